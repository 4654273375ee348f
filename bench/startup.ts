/**
 * Start to ready, and resident memory, of the real service: `npm run bench -- startup`.
 *
 * Spawns `node --liftoff-only --max-semi-space-size=4 --import tsx src/main.ts` (what `npm start` runs) on a fresh SQLite file, times it until /healthz
 * answers — cold (migrations and demo content loaded into the new file) and warm (second start on the same file) —
 * then reads the process's resident memory (VmRSS) once ready and again after 50 web chat sessions asked 8
 * questions each through the real HTTP API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const questions = ['làm giấy khai sinh cần gì', 'dk ket hon mat bao lau', 'phí chứng thực bản sao', 'sđt đường dây nóng', 'xin chào', 'đăng ký khai tử ở đâu', 'giờ làm việc', 'cap lai giay khai sinh'];

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function startOnce(db: string, port: number): Promise<{ child: ChildProcess; readyMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--liftoff-only', '--max-semi-space-size=4', '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), DATABASE_URL: `file:${db}`, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false);
    if (ok) return { child, readyMs: performance.now() - started };
    if (child.exitCode !== null) throw new Error('service exited before it was ready');
    if (performance.now() - started > 60_000) throw new Error('not ready within 60 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function chat(base: string): Promise<number> {
  const post = (p: string, body: object) =>
    fetch(`${base}/chat/api/${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);
  let answered = 0;
  await Promise.all(
    Array.from({ length: 50 }, async (_, s) => {
      const { session } = (await post('session', {})) as { session: string };
      for (const [i, text] of questions.entries()) {
        await post('messages', { session, id: `b${s}q${i}x${Date.now().toString(36)}`, text });
      }
      let after = 0;
      for (let tries = 0; tries < 20; tries++) {
        const r = (await post('replies', { session, after, wait: 2 })) as { replies?: unknown[]; cursor?: number };
        answered += r.replies?.length ?? 0;
        after = r.cursor ?? after;
        if (answered >= 0 && (r.replies?.length ?? 0) === 0 && tries > 2) break;
      }
    }),
  );
  return answered;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-bench-start-'));
const db = path.join(dir, 'bench.db');
const port = 40000 + Math.floor(Math.random() * 10000);
try {
  const cold = await startOnce(db, port);
  const coldRss = rssMb(cold.child.pid!);
  await stop(cold.child);
  const warm = await startOnce(db, port);
  const readyRss = rssMb(warm.child.pid!);
  const replies = await chat(`http://127.0.0.1:${port}`);
  const busyRss = rssMb(warm.child.pid!);
  await stop(warm.child);
  const result = {
    coldStartToReadyMs: Math.round(cold.readyMs),
    warmStartToReadyMs: Math.round(warm.readyMs),
    rssAfterColdStartMb: Math.round(coldRss),
    rssReadyMb: Math.round(readyRss),
    rssAfter400WebChatQuestionsMb: Math.round(busyRss),
    webChatRepliesReceived: replies,
    loadAverage: os.loadavg().map((l) => l.toFixed(1)).join(' '),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
