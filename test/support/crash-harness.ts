/**
 * Kills the real service with SIGKILL while it answers signed webhook events of Messenger, Zalo and Telegram,
 * restarts it on the same database, and counts per channel the citizens' questions that were never answered (lost)
 * or answered twice (doubled). Used by `npm run bench:crash` (several runs, SQLite and PostgreSQL) and by a small
 * run in the vitest suite (test/ledger/crash.test.ts).
 *
 * The platforms are loopback mocks (test/support/); like the real platforms, the event sender re-delivers an event
 * until the service acknowledges it with a 2xx, so an event refused while the service was down is not counted lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import Database from 'better-sqlite3';
import { loadFixture } from '../fixtures/load.js';
import { telegramTextUpdate } from '../fixtures/telegram/load.js';
import { startPlatformMock, type PlatformMock } from './platform-mock.js';
import { startTelegramMock, isTelegramSend } from './telegram-mock.js';
import type { MockServer } from './mock-server.js';

export type CrashChannel = 'messenger' | 'zalo' | 'telegram';
export const crashChannels: CrashChannel[] = ['messenger', 'zalo', 'telegram'];

export interface CrashRunOptions {
  /** PostgreSQL server to create the run's database on; SQLite file when absent. */
  pgServer?: string;
  /** Events per channel. */
  perChannel: number;
  /** Events per second per channel. */
  ratePerSecond: number;
  /**
   * When the SIGKILL comes: once the platforms have received this share of all replies (so it lands mid-run however
   * slow the machine is), and no earlier than `killAfterMs` after the first event.
   */
  killAtShare?: number;
  killAfterMs: number;
  /** Take-over lease of the child (processing and sending). */
  leaseMs?: number;
  /** The repository the child runs (another worktree measures another commit). */
  root?: string;
  /** Gives up waiting for the answers this long after the restart. */
  settleTimeoutMs?: number;
  channels?: CrashChannel[];
  /** Told of each phase (start, kill, restart, settled) with the milliseconds since the run began. */
  progress?: (phase: string, ms: number) => void;
}

export interface ChannelCrashCount {
  events: number;
  acknowledged: number;
  answered: number;
  lost: number;
  doubled: number;
  /** Ledger rows per status after the run. */
  rows: Record<string, number>;
  /** Of the unconfirmed rows, those whose call the platform had received (delivered, only the outcome was lost). */
  unconfirmedDelivered: number;
  /** The ledger status of each lost reply's row ('none' when the event never got one). */
  lostRows: Record<string, number>;
}

const appSecret = 'crash-app-secret';
const zaloAppId = '3141592653589793';
const zaloKey = 'crash-oa-secret';
const tgToken = '123456:crash-token';
const tgSecret = 'crash-secret';
const users = 8;

const tag = (channel: CrashChannel, n: number) => `[${channel}-${String(n).padStart(5, '0')}]`;

function event(channel: CrashChannel, n: number): { body: string; headers: Record<string, string> } {
  const text = `câu hỏi ${tag(channel, n)}`;
  const now = Date.now();
  if (channel === 'messenger') {
    const body = loadFixture('messenger', 'text-message');
    const e = body.entry[0].messaging[0];
    e.sender.id = String(7_000_000_000_000_000 + (n % users));
    e.message.mid = `m_crash_${n}_${crypto.randomUUID()}`;
    e.message.text = text;
    body.entry[0].time = now;
    e.timestamp = now;
    const raw = JSON.stringify(body);
    return { body: raw, headers: { 'x-hub-signature-256': 'sha256=' + crypto.createHmac('sha256', appSecret).update(raw).digest('hex') } };
  }
  if (channel === 'zalo') {
    const body = loadFixture('zalo', 'user-send-text');
    body.sender.id = String(8_421_000_000_000_000 + (n % users));
    body.message.msg_id = `zcrash${n}x${crypto.randomUUID().replaceAll('-', '')}`;
    body.message.text = text;
    body.timestamp = String(now);
    const raw = JSON.stringify(body);
    return { body: raw, headers: { 'x-zevent-signature': 'mac=' + crypto.createHash('sha256').update(zaloAppId + raw + body.timestamp + zaloKey).digest('hex') } };
  }
  const u = telegramTextUpdate(n, text);
  u.message.chat.id = 900_000 + (n % users);
  u.message.from.id = 900_000 + (n % users);
  u.message.date = Math.floor(now / 1000);
  return { body: JSON.stringify(u), headers: { 'x-telegram-bot-api-secret-token': tgSecret } };
}

async function freshDatabase(pgServer?: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (pgServer) {
    const name = `cchc_crash_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const c = new pg.Client({ connectionString: pgServer });
    await c.connect();
    await c.query(`CREATE DATABASE "${name}"`);
    await c.end();
    const url = new URL(pgServer);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const d = new pg.Client({ connectionString: pgServer });
        await d.connect();
        await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await d.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-crash-'));
  return { url: `file:${path.join(dir, 'crash.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Work still open in the ledger: inbound not yet processed, outbound not yet final. */
async function openWork(url: string): Promise<number> {
  const rows = await query(
    url,
    `SELECT (SELECT COUNT(*) FROM "InboundMessage" WHERE status IN ('received', 'processing')) + (SELECT COUNT(*) FROM "OutboundMessage" WHERE status IN ('pending', 'sending')) AS n`,
  );
  return Number(rows[0]?.n ?? 0);
}

async function ledgerCounts(url: string): Promise<{ channel: string; status: string; n: number }[]> {
  const rows = await query(url, 'SELECT channel, status, COUNT(*) AS n FROM "OutboundMessage" GROUP BY channel, status');
  return rows.map((r) => ({ channel: String(r.channel), status: String(r.status), n: Number(r.n) }));
}

/** Each outbound row's status with the event tags its body carries. */
async function taggedRows(url: string): Promise<{ status: string; tags: string[] }[]> {
  const rows = await query(url, 'SELECT status, body FROM "OutboundMessage"');
  return rows.map((r) => ({
    status: String(r.status),
    tags: [...(typeof r.body === 'string' ? r.body : JSON.stringify(r.body)).matchAll(/\[(messenger|zalo|telegram)-\d{5}\]/g)].map((m) => m[0]),
  }));
}

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  if (url.startsWith('file:')) {
    const db = new Database(url.slice('file:'.length), { readonly: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One run: start, load, SIGKILL, restart, wait for the answers, count. */
export async function crashRun(options: CrashRunOptions): Promise<Record<string, ChannelCrashCount>> {
  const channels = options.channels ?? crashChannels;
  const root = options.root ?? path.resolve(import.meta.dirname, '../..');
  const leaseMs = options.leaseMs ?? 4_000;
  const graph = await startPlatformMock();
  const zalo = await startPlatformMock();
  const telegram = await startTelegramMock();
  const database = await freshDatabase(options.pgServer);
  const port = 41_000 + Math.floor(Math.random() * 9_000);
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    LOG_LEVEL: 'error',
    SEED_DEMO: 'false',
    CITIZEN_ID_SECRET: 'crash-citizen-secret',
    PUBLIC_BASE_URL: 'https://xa.example.vn',
    SCHEDULER_TICK: '*/1 * * * * *',
    ...(channels.includes('messenger')
      ? { MESSENGER_APP_SECRET: appSecret, MESSENGER_PAGE_ACCESS_TOKEN: 'crash-page-token', MESSENGER_VERIFY_TOKEN: 'crash-verify', MESSENGER_PAGE_ID: '1122334455', GRAPH_API_BASE_URL: graph.url, MESSENGER_SENDS_PER_SECOND: '20' }
      : {}),
    ...(channels.includes('zalo')
      ? { ZALO_APP_ID: zaloAppId, ZALO_OA_ID: zaloAppId, ZALO_OA_SECRET_KEY: zaloKey, ZALO_APP_SECRET: 'crash-app', ZALO_ACCESS_TOKEN: 'crash-access', ZALO_REFRESH_TOKEN: 'crash-refresh', ZALO_OPENAPI_BASE_URL: zalo.url, ZALO_OAUTH_BASE_URL: zalo.url }
      : {}),
    ...(channels.includes('telegram') ? { TELEGRAM_BOT_TOKEN: tgToken, TELEGRAM_WEBHOOK_SECRET: tgSecret, TELEGRAM_API_ROOT: telegram.url } : {}),
  };
  let child: ChildProcess | null = null;
  /** Starts the child; a port still held for a moment (or taken by another test's service) is tried again. */
  const start = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await startOnce();
      } catch (e) {
        if (attempt >= 10) throw e;
        await sleep(500);
      }
    }
  };
  const startOnce = async () => {
    const c = spawn(process.execPath, ['--import', 'tsx', 'test/support/crash-child.ts', String(leaseMs)], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child = c;
    const until = Date.now() + 180_000;
    for (;;) {
      if (await fetch(`${base}/healthz`).then((r) => r.ok).catch(() => false)) return;
      if (c.exitCode !== null) throw new Error(`service exited with ${c.exitCode} before it was ready`);
      if (Date.now() > until) throw new Error('service not ready within 180 s');
      await sleep(20);
    }
  };
  const stop = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  };

  const acked = new Map<string, boolean>();
  const deliver = async (channel: CrashChannel, n: number) => {
    const e = event(channel, n);
    // Like a platform, re-deliver until acknowledged (bounded: a slow machine restarts the service slowly).
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      const ok = await fetch(`${base}/webhooks/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...e.headers }, body: e.body, signal: AbortSignal.timeout(30_000) })
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) {
        acked.set(tag(channel, n), true);
        return;
      }
      await sleep(300);
    }
  };
  const repliesTo = (): Map<string, number> => {
    const counts = new Map<string, number>();
    const note = (raw: string) => {
      for (const m of raw.matchAll(/\[(messenger|zalo|telegram)-\d{5}\]/g)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    };
    for (const r of graph.requests) if (r.path.endsWith('/messages')) note(r.rawBody);
    for (const r of zalo.requests) if (r.path.includes('/oa/message')) note(r.rawBody);
    for (const r of (telegram as MockServer).requests) if (isTelegramSend(r)) note(JSON.stringify(r.body));
    return counts;
  };

  const t0 = Date.now();
  const phase = (name: string) => options.progress?.(name, Date.now() - t0);
  try {
    await start();
    phase('ready');
    const sending: Promise<void>[] = [];
    const load = (async () => {
      for (let i = 0; i < options.perChannel; i++) {
        for (const channel of channels) sending.push(deliver(channel, i));
        await sleep(1000 / options.ratePerSecond);
      }
    })();
    await sleep(options.killAfterMs);
    const killAt = Math.ceil(channels.length * options.perChannel * (options.killAtShare ?? 0.3));
    for (let waited = 0; waited < 120_000 && [...repliesTo().values()].reduce((a, b) => a + b, 0) < killAt; waited += 10) await sleep(10);
    await stop('SIGKILL');
    phase('killed');
    await start();
    phase('restarted');
    await load;
    await Promise.all(sending);
    phase('all acknowledged');
    const expected = channels.flatMap((c) => Array.from({ length: options.perChannel }, (_, i) => tag(c, i))).filter((t) => acked.get(t));
    const until = Date.now() + (options.settleTimeoutMs ?? leaseMs + 20_000);
    while (Date.now() < until) {
      const got = repliesTo();
      if (expected.every((t) => (got.get(t) ?? 0) > 0)) break;
      // Or nothing is left to do: what is not answered by now never will be (unconfirmed after the lease).
      if ((await openWork(database.url)) === 0) break;
      await sleep(200);
    }
    phase('answered or settled');
    // A little longer, so a late second reply would be seen.
    await sleep(1_500);
    await stop('SIGTERM');
    const got = repliesTo();
    const rows = await ledgerCounts(database.url);
    const statusOf = new Map<string, string>();
    for (const row of await taggedRows(database.url)) for (const t of row.tags) statusOf.set(t, row.status);
    const out: Record<string, ChannelCrashCount> = {};
    for (const channel of channels) {
      const tags = Array.from({ length: options.perChannel }, (_, i) => tag(channel, i));
      const ack = tags.filter((t) => acked.get(t));
      out[channel] = {
        events: tags.length,
        acknowledged: ack.length,
        answered: ack.filter((t) => (got.get(t) ?? 0) > 0).length,
        lost: ack.filter((t) => (got.get(t) ?? 0) === 0).length,
        doubled: tags.filter((t) => (got.get(t) ?? 0) > 1).length,
        rows: Object.fromEntries(rows.filter((r) => r.channel === channel).map((r) => [r.status, r.n])),
        unconfirmedDelivered: tags.filter((t) => statusOf.get(t) === 'unconfirmed' && (got.get(t) ?? 0) > 0).length,
        lostRows: {},
      };
      for (const t of ack.filter((t) => (got.get(t) ?? 0) === 0)) {
        const status = statusOf.get(t) ?? 'none';
        out[channel].lostRows[status] = (out[channel].lostRows[status] ?? 0) + 1;
      }
    }
    return out;
  } finally {
    await stop('SIGKILL');
    await Promise.all([graph.close(), zalo.close(), (telegram as PlatformMock | MockServer).close()]);
    await database.drop();
  }
}
