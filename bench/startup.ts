/**
 * Start to ready, and idle resident memory, of the service as `npm start` runs it: `npm run bench:startup`.
 *
 * Each sample builds nothing (run `npm run build` first, or pass --build): it spawns `node <npm start's flags>
 * dist/main.js` on a fresh SQLite file with one Messenger Page configured (as the shared peer harness's
 * `cchc-bot-unpaced` does), waits for the Messenger verification handshake to answer — the moment the harness calls
 * "ready" and samples its idle RSS — and reads VmRSS then, and again 10 s later with no load. The cold start
 * applies the migrations and loads the demo commune's content into the new file.
 *
 *   npm run --silent bench:startup                       # 5 samples, a fresh database each
 *   npm run --silent bench:startup -- --samples 3 --after 10 --chat --build --db postgresql://…/postgres
 *     --chat   after the +10 s sample, 50 web chat sessions ask 8 questions each; RSS after them
 *     --json F write the samples as JSON to F
 *
 * Resident memory is robust on a loaded machine; the ready time is not (label it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const has = (name: string) => args.includes(`--${name}`);
const text = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const samples = Number(text('samples', '5'));
const afterSeconds = Number(text('after', '10'));
const VERIFY_TOKEN = 'bench-verify-token';
const questions = ['làm giấy khai sinh cần gì', 'dk ket hon mat bao lau', 'phí chứng thực bản sao', 'sđt đường dây nóng', 'xin chào', 'đăng ký khai tử ở đâu', 'giờ làm việc', 'cap lai giay khai sinh'];

function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** The node flags of `npm start`, read from package.json so the benchmark runs what production runs. */
function startFlags(): string[] {
  const start = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const words = start.split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('dist/main.js'));
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function databaseFor(sample: number): Promise<{ url: string; drop(): Promise<void> }> {
  const server = text('db', '');
  if (!server.startsWith('postgres')) return { url: '', drop: async () => {} };
  const pg = (await import('pg')).default;
  const name = `cchc_bench_start_${process.pid}_${sample}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

async function waitReady(url: string, proc: ChildProcess, started: number): Promise<number> {
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`service exited with ${proc.exitCode} before it was ready`);
    const ok = await fetch(`${url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=ready`).then((r) => r.text(), () => '');
    if (ok === 'ready') return performance.now() - started;
    if (performance.now() - started > 120_000) throw new Error('not ready within 120 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    proc.once('exit', () => (clearTimeout(kill), resolve()));
    proc.kill('SIGTERM');
  });
}

async function chat(base: string): Promise<number> {
  const post = (p: string, body: object) =>
    fetch(`${base}/chat/api/${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);
  let answered = 0;
  await Promise.all(
    Array.from({ length: 50 }, async (_, s) => {
      const { session } = (await post('session', {})) as { session: string };
      for (const [i, q] of questions.entries()) await post('messages', { session, id: `b${s}q${i}x${Date.now().toString(36)}`, text: q });
      let after = 0;
      for (let tries = 0; tries < 20; tries++) {
        const r = (await post('replies', { session, after, wait: 2 })) as { replies?: unknown[]; cursor?: number };
        answered += r.replies?.length ?? 0;
        after = r.cursor ?? after;
        if ((r.replies?.length ?? 0) === 0 && tries > 2) break;
      }
    }),
  );
  return answered;
}

interface Sample {
  readyMs: number;
  idleRssMb: number;
  rssAfterMb: number;
  peakRssMb: number;
  rssAfterChatMb?: number;
  chatReplies?: number;
}

async function sampleOnce(i: number): Promise<Sample> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-bench-start-'));
  const pg = await databaseFor(i);
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: pg.url || `file:${path.join(dir, 'bench.db')}`,
    LOG_LEVEL: 'warn',
    FIRST_ADMIN_PASSWORD_FILE: path.join(dir, 'first-admin.txt'),
    MESSENGER_APP_SECRET: 'bench-app-secret',
    MESSENGER_PAGE_ACCESS_TOKEN: 'bench-page-access-token',
    MESSENGER_VERIFY_TOKEN: VERIFY_TOKEN,
    MESSENGER_PAGE_ID: '100000000000001',
    MESSENGER_SENDS_PER_SECOND: '10000',
    GRAPH_API_BASE_URL: 'http://127.0.0.1:9',
  };
  const started = performance.now();
  const proc = spawn(process.execPath, [...startFlags(), path.join(root, 'dist/main.js')], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const base = `http://127.0.0.1:${port}`;
    const readyMs = await waitReady(base, proc, started);
    const idleRssMb = memoryMb(proc.pid!, 'VmRSS');
    await new Promise((r) => setTimeout(r, afterSeconds * 1000));
    const sample: Sample = { readyMs: Math.round(readyMs), idleRssMb, rssAfterMb: memoryMb(proc.pid!, 'VmRSS'), peakRssMb: memoryMb(proc.pid!, 'VmHWM') };
    if (has('chat')) {
      sample.chatReplies = await chat(base);
      sample.rssAfterChatMb = memoryMb(proc.pid!, 'VmRSS');
    }
    return sample;
  } finally {
    await stop(proc);
    await pg.drop().catch((e: unknown) => console.error(`could not drop the benchmark database: ${String(e)}`));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (has('build')) {
  const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (b.status !== 0) process.exit(1);
}
if (!fs.existsSync(path.join(root, 'dist/main.js'))) {
  console.error('dist/main.js is missing: run `npm run build` first (or pass --build)');
  process.exit(1);
}
const results: Sample[] = [];
for (let i = 0; i < samples; i++) {
  const s = await sampleOnce(i);
  results.push(s);
  console.log(
    `sample ${i + 1}: ready ${s.readyMs} ms, idle RSS ${s.idleRssMb} MB at ready, ${s.rssAfterMb} MB ${afterSeconds} s later, peak ${s.peakRssMb} MB` +
      (s.rssAfterChatMb !== undefined ? `, ${s.rssAfterChatMb} MB after ${s.chatReplies} web chat replies` : '') +
      ` (load ${os.loadavg()[0]!.toFixed(1)})`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const col = (k: keyof Sample) => results.map((r) => r[k] as number);
console.log(
  `median of ${samples} (${text('db', '') ? 'PostgreSQL' : 'SQLite'}, loaded machine): ready ${median(col('readyMs'))} ms, idle RSS at ready ${median(col('idleRssMb'))} MB ` +
    `(${Math.min(...col('idleRssMb'))}–${Math.max(...col('idleRssMb'))}), +${afterSeconds} s ${median(col('rssAfterMb'))} MB (${Math.min(...col('rssAfterMb'))}–${Math.max(...col('rssAfterMb'))}), peak ${median(col('peakRssMb'))} MB`,
);
if (text('json', '')) fs.writeFileSync(text('json', ''), JSON.stringify({ flags: startFlags(), samples: results, load: os.loadavg() }, null, 2));
