/**
 * Web chat benchmark: many browsers chatting at once through the real service (HTTP, inbox, ledger, long poll).
 * Each simulated browser opens a session, keeps one long poll open and sends questions one after another, waiting
 * for each reply. Reports reply latency (POST sent → reply received by the poll) and throughput.
 *
 *   node --import tsx bench/webchat.ts [sessions=50] [messagesPerSession=10]
 *
 * Uses a temporary SQLite file (or DATABASE_URL=postgresql://… to bench PostgreSQL) and a fixed echo responder,
 * so it measures the channel, the inbox and the ledger, not the conversation engine (bench that separately).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startService } from '../src/app/service.js';
import { createWebchatChannel } from '../src/channels/webchat/index.js';
import { TokenBuckets } from '../src/channels/webchat/rate-limit.js';
import { loadConfig } from '../src/config.js';

const sessions = Number(process.argv[2] ?? 50);
const perSession = Number(process.argv[3] ?? 10);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-bench-webchat-'));
const databaseUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : `file:${path.join(dir, 'bench.db')}`;
const config = loadConfig({ DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false' });
// Every simulated browser comes from 127.0.0.1: lift the per-IP new-session limit, keep the per-session one.
const service = await startService(config, {
  noCron: true,
  respond: ({ message, context }) => ({ replies: [{ kind: 'text', text: `Đã nhận: ${message.text}` }], context, outcome: 'answered', handover: false }),
  channels: (deps) => [createWebchatChannel(deps, { limits: { sessions: new TokenBuckets({ capacity: 1e9, refillPerSecond: 1e9 }) } })],
});

async function post(pathname: string, body: unknown): Promise<any> {
  const res = await fetch(`${service.url}/chat/api/${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
  return res.json();
}

const latencies: number[] = [];
const postLatencies: number[] = [];
const afterStore: number[] = [];

async function browser(index: number, record = true): Promise<void> {
  // People arrive spread over the first seconds, not in the same millisecond.
  if (record) await new Promise((r) => setTimeout(r, Math.random() * 3_000));
  const { session } = await post('session', {});
  let cursor = 0;
  for (let i = 0; i < perSession; i++) {
    const started = performance.now();
    const poll = post('replies', { session, after: cursor, wait: 25 });
    await post('messages', { session, id: `bench-${index}-${i}-xxxx`, text: `câu hỏi số ${i} về thủ tục khai sinh` });
    postLatencies.push(performance.now() - started);
    if (process.env.BENCH_DEBUG && postLatencies.at(-1)! > 500) console.error(`slow store: session ${index} message ${i}: ${postLatencies.at(-1)!.toFixed(0)} ms`);
    const { replies, cursor: next } = await poll;
    if (replies.length !== 1) throw new Error(`session ${index} message ${i}: ${replies.length} replies`);
    cursor = next;
    if (!record) return;
    latencies.push(performance.now() - started);
    afterStore.push(latencies.at(-1)! - postLatencies.at(-1)!);
    // A person reads the answer before asking again; keeps the per-session rate limit (8 burst, 1 per 3 s) honest.
    await new Promise((r) => setTimeout(r, 3_000 + Math.random() * 500));
  }
}

// Warm-up: the first request of a fresh process pays for JIT and the database's first queries.
await browser(-1, false);
postLatencies.length = 0;
latencies.length = 0;
afterStore.length = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: sessions }, (_, i) => browser(i)));
const wall = (performance.now() - t0) / 1000;
const quantiles = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: sorted.at(-1)!.toFixed(1) };
};
console.log(
  JSON.stringify(
    {
      database: service.db.provider,
      sessions,
      messagesPerSession: perSession,
      replies: latencies.length,
      /** From sending the question to the reply arriving in the waiting long poll. */
      replyLatencyMs: quantiles(latencies),
      /** The POST alone: the message stored in the inbox (the part the browser waits for). */
      storeLatencyMs: quantiles(postLatencies),
      /** The rest: processing (placeholder engine), ledger rows, outlet send, the poll woken and answering. */
      replyAfterStoreMs: quantiles(afterStore),
      loadAverage1m: os.loadavg()[0]!.toFixed(1),
      cpus: os.cpus().length,
      wallSeconds: wall.toFixed(1),
      rssMB: (process.memoryUsage().rss / 1e6).toFixed(0),
    },
    null,
    2,
  ),
);
await service.close();
fs.rmSync(dir, { recursive: true, force: true });
