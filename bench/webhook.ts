/**
 * Webhook benchmark of the real path: signed Messenger webhooks carrying real citizens' questions (each from its own
 * sender) against the service as `npm start` runs it (compiled dist/, same node flags, fresh database, the REAL
 * conversation engine), with a mock Graph API on loopback; then the same load against the naive express echo bot
 * (no storage) in the same run. Prints the shared peer harness's columns.
 *
 *   npm run bench:webhook
 *   npm run bench:webhook -- --seconds 10 --warmup 2 --concurrency 32 --runs 1 --grace 10 --json out.json
 *     --engine ack          the acknowledging engine (one reply quoting the text): the pipeline alone, labelled so
 *     --paced               keep the default Send API pacing (MESSENGER_SENDS_PER_SECOND); default: pacing lifted
 *     --db postgresql://…   a fresh PostgreSQL database under that server (created and dropped); default: SQLite file
 *     --questions FILE      one question per line (default: the harness's five)
 *     --no-echo / --no-build
 *
 * The bot and the echo peer run as their own processes; their CPU (user+system, all threads, from /proc) is read at
 * the start and end of the measured window, and their memory as VmRSS once ready (idle) and VmHWM after the load (peak).
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_SECRET = 'bench-app-secret';
const VERIFY_TOKEN = 'bench-verify-token';
const PAGE_ID = '104000000000001';
const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const has = (name: string) => args.includes(`--${name}`);
const text = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const num = (name: string, fallback: number) => Number(text(name, String(fallback)));

const defaultQuestions = ['làm giấy khai sinh cần gì', 'lam giay khai sinh can gi', 'đăng ký kết hôn mất bao lâu', 'sđt đường dây nóng', 'xin chào'];

interface LoadSpec {
  url: string;
  warmup: number;
  seconds: number;
  concurrency: number;
  grace: number;
  questions: string[];
}

interface LoadResult {
  webhookRps: number;
  webhookP50: number;
  webhookP99: number;
  repliesRps: number;
  e2eP50: number;
  e2eP99: number;
  acked: number;
  answered: number;
  lost: number;
  duplicates: number;
  short: number;
  callsPerAnswer: string;
  late: number;
  errors: number;
}

// ---------------------------------------------------------------- child: mock Graph API + load driver
async function driver(): Promise<void> {
  /** Per recipient PSID: first Send call time and number of message calls. */
  const calls = new Map<string, { first: number; count: number }>();
  let lastCallAt = 0;
  const mock = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      let recipient = '';
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { recipient?: { id?: string }; message?: unknown };
        recipient = body.recipient?.id ?? '';
        if (body.message !== undefined && recipient) {
          const c = calls.get(recipient);
          if (c) c.count++;
          else calls.set(recipient, { first: now, count: 1 });
          lastCallAt = now;
        }
      } catch {
        /* counted as nothing */
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ recipient_id: recipient, message_id: `m_${Math.random().toString(36).slice(2)}` }));
    });
  });
  mock.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => mock.listen(0, '127.0.0.1', r));
  process.send!({ type: 'mock', port: (mock.address() as { port: number }).port });

  process.on('message', async (m: { type: string; spec: LoadSpec }) => {
    if (m.type !== 'run') return;
    calls.clear();
    process.send!({ type: 'result', result: await load(m.spec) });
  });

  async function load(spec: LoadSpec): Promise<LoadResult> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
    const sent = new Map<string, { at: number; q: number; acked: boolean }>();
    const webhookMs: number[] = [];
    let errors = 0;
    let n = 0;
    const start = performance.now();
    const windowStart = start + spec.warmup * 1000;
    const windowEnd = windowStart + spec.seconds * 1000;
    let okInWindow = 0;
    let announced = false;
    const post = (body: string) =>
      new Promise<number>((resolve) => {
        const req = http.request(spec.url, {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': 'sha256=' + createHmac('sha256', APP_SECRET).update(body).digest('hex') },
        }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(0));
        req.end(body);
      });
    const worker = async () => {
      while (performance.now() < windowEnd) {
        const i = n++;
        const q = i % spec.questions.length;
        // All digits like a real PSID, unique per question, too long for a JS number: it must stay a string.
        const psid = `7${String(q).padStart(2, '0')}${String(i).padStart(19, '0')}`;
        const t = Date.now();
        const body = JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, time: t, messaging: [{ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: t, message: { mid: `m_bench_${i}_${t}`, text: spec.questions[q] } }] }] });
        const t0 = performance.now();
        if (!announced && t0 >= windowStart) {
          announced = true;
          process.send!({ type: 'window-start' });
        }
        const entry = { at: t0, q, acked: false };
        sent.set(psid, entry);
        const status = await post(body);
        const t1 = performance.now();
        if (status >= 200 && status < 300) {
          entry.acked = true;
          if (t1 >= windowStart && t1 < windowEnd) {
            okInWindow++;
            webhookMs.push(t1 - t0);
          }
        } else errors++;
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
    process.send!({ type: 'window-end' });
    // Drain: every acked question answered and 0.5 s without calls, or the grace period is over.
    const drainUntil = performance.now() + spec.grace * 1000;
    const ackedList = [...sent.entries()].filter(([, s]) => s.acked);
    while (performance.now() < drainUntil) {
      const missing = ackedList.some(([psid]) => !calls.has(psid));
      if (!missing && performance.now() - lastCallAt > 500) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    agent.destroy();
    // The usual number of calls per question (its mode): more is a duplicate, fewer is short.
    const perQuestion = spec.questions.map(() => new Map<number, number>());
    for (const [psid, c] of calls) {
      const s = sent.get(psid);
      if (s) perQuestion[s.q]!.set(c.count, (perQuestion[s.q]!.get(c.count) ?? 0) + 1);
    }
    const usual = perQuestion.map((m) => [...m].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0);
    let duplicates = 0;
    let short = 0;
    let answered = 0;
    let totalCalls = 0;
    const e2e: number[] = [];
    let late = 0;
    let repliesInWindow = 0;
    for (const [psid, c] of calls) {
      const s = sent.get(psid);
      if (!s) continue;
      answered++;
      totalCalls += c.count;
      if (c.count > usual[s.q]!) duplicates++;
      if (c.count < usual[s.q]!) short++;
      if (c.first >= windowStart && c.first < windowEnd) repliesInWindow++;
      if (s.at >= windowStart && s.at < windowEnd) {
        e2e.push(c.first - s.at);
        if (c.first >= windowEnd) late++;
      }
    }
    const lost = ackedList.filter(([psid]) => !calls.has(psid)).length;
    const distinct = [...new Set(usual)].sort((a, b) => a - b);
    return {
      webhookRps: Math.round(okInWindow / spec.seconds),
      webhookP50: pct(webhookMs, 50),
      webhookP99: pct(webhookMs, 99),
      repliesRps: Math.round(repliesInWindow / spec.seconds),
      e2eP50: pct(e2e, 50),
      e2eP99: pct(e2e, 99),
      acked: ackedList.length,
      answered,
      lost,
      duplicates,
      short,
      callsPerAnswer: distinct.length === 1 ? String(distinct[0]) : `${distinct[0]}–${distinct.at(-1)} (${(totalCalls / Math.max(1, answered)).toFixed(1)})`,
      late,
      errors,
    };
  }
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

// ---------------------------------------------------------------- parent: the peers as processes
const clockTicks = 100; // USER_HZ on Linux
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}
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

interface Peer {
  label: string;
  mode: 'question';
  proc: ChildProcess;
  url: string;
  close(): Promise<void>;
}

async function waitReady(url: string, proc: ChildProcess, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`peer exited with ${proc.exitCode}`);
    const ok = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=ready`).then((r) => r.text(), () => '');
    if (ok === 'ready') return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`peer not ready at ${url} within ${seconds} s`);
}

function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    proc.once('exit', () => (clearTimeout(kill), resolve()));
    proc.kill('SIGTERM');
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function startBot(graph: string, run: number): Promise<Peer & { cleanup(): Promise<void> }> {
  const engine = text('engine', 'real');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-bench-'));
  const pgServer = text('db', '');
  let databaseUrl = `file:${path.join(dir, 'bench.db')}`;
  let dropDb = async () => {};
  if (pgServer.startsWith('postgres')) {
    const pg = (await import('pg')).default;
    const name = `cchc_bench_${process.pid}_${run}`;
    const admin = new pg.Client({ connectionString: pgServer });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(pgServer);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: pgServer });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  }
  const entry = engine === 'ack' ? path.join(root, 'bench/ack-service.mjs') : path.join(root, 'dist/main.js');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    MESSENGER_APP_SECRET: APP_SECRET,
    MESSENGER_PAGE_ACCESS_TOKEN: 'bench-page-access-token',
    MESSENGER_VERIFY_TOKEN: VERIFY_TOKEN,
    MESSENGER_PAGE_ID: PAGE_ID,
    GRAPH_API_BASE_URL: graph,
  };
  if (!has('paced')) env.MESSENGER_SENDS_PER_SECOND = '10000';
  const proc = spawn(process.execPath, [...startFlags(), entry], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}/webhooks/messenger`;
  await waitReady(url, proc, 120);
  const db = pgServer ? 'PostgreSQL' : 'SQLite';
  const label = `cchc-bot, ${engine === 'ack' ? 'acknowledging engine (NOT the real answers)' : 'real engine'}, ${db}, ${has('paced') ? 'default pacing' : 'pacing lifted'}`;
  return {
    label,
    mode: 'question',
    proc,
    url,
    close: () => stop(proc),
    async cleanup() {
      await dropDb().catch((e: unknown) => console.error(`could not drop the benchmark database: ${String(e)}`));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startEcho(graph: string): Promise<Peer> {
  const proc = fork(path.join(root, 'bench/echo-bot.mjs'), [], { env: { ...process.env, PORT: '0', APP_SECRET, GRAPH_ORIGIN: graph, VERIFY_TOKEN }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((r) => proc.once('message', (m: { port: number }) => r(m.port)));
  const url = `http://127.0.0.1:${port}/webhook`;
  await waitReady(url, proc, 30);
  return { label: 'express 5 echo (no storage)', mode: 'question', proc, url, close: () => stop(proc) };
}

async function measure(child: ChildProcess, peer: Peer, spec: Omit<LoadSpec, 'url'>) {
  const pid = peer.proc.pid!;
  await new Promise((r) => setTimeout(r, 1000));
  const idle = memoryMb(pid, 'VmRSS');
  let cpuStart = 0;
  let cpuEnd = 0;
  const result = await new Promise<LoadResult>((resolve) => {
    const onMessage = (m: { type: string; result: LoadResult }) => {
      if (m.type === 'window-start') cpuStart = cpuSeconds(pid);
      if (m.type === 'window-end') cpuEnd = cpuSeconds(pid);
      if (m.type !== 'result') return;
      child.off('message', onMessage);
      resolve(m.result);
    };
    child.on('message', onMessage);
    child.send({ type: 'run', spec: { ...spec, url: peer.url } });
  });
  const peak = memoryMb(pid, 'VmHWM');
  const cpuUsPerReq = Math.round(((cpuEnd - cpuStart) * 1e6) / Math.max(1, result.webhookRps * spec.seconds));
  return { label: peer.label, mode: peer.mode, ...result, peakRssMb: peak, idleRssMb: idle, cpuUsPerReq };
}

type Row = Awaited<ReturnType<typeof measure>>;

function median(rows: Row[], key: keyof Row): number {
  const v = rows.map((r) => Number(r[key])).sort((a, b) => a - b);
  return v[Math.floor((v.length - 1) / 2)]!;
}

async function main(): Promise<void> {
  if (!has('no-build')) {
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const questionsFile = text('questions', '');
  const questions = questionsFile
    ? fs.readFileSync(questionsFile, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).slice(0, 100)
    : defaultQuestions;
  const spec = { warmup: num('warmup', 2), seconds: num('seconds', 10), concurrency: num('concurrency', 32), grace: num('grace', has('paced') ? 60 : 10), questions };
  const runs = num('runs', 1);
  const loadBefore = os.loadavg()[0]!;
  const child = fork(fileURLToPath(import.meta.url), ['--driver'], { stdio: 'inherit' });
  const mockPort = await new Promise<number>((r) => child.once('message', (m: { port: number }) => r(m.port)));
  const graph = `http://127.0.0.1:${mockPort}`;
  const byLabel = new Map<string, Row[]>();
  const keep = (r: Row) => byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), r]);
  for (let run = 1; run <= runs; run++) {
    const order = has('no-echo') ? ['bot'] : run % 2 ? ['bot', 'echo'] : ['echo', 'bot'];
    for (const which of order) {
      if (which === 'bot') {
        const bot = await startBot(graph, run);
        try {
          keep(await measure(child, bot, spec));
        } finally {
          await bot.close();
          await bot.cleanup();
        }
      } else {
        const echo = await startEcho(graph);
        try {
          keep(await measure(child, echo, spec));
        } finally {
          await echo.close();
        }
      }
    }
  }
  child.kill();
  const load = { before: Math.round(loadBefore * 10) / 10, after: Math.round(os.loadavg()[0]! * 10) / 10 };
  console.log(
    `\nWebhook benchmark (question mode): ${spec.concurrency} connections, ${spec.warmup} s warm-up + ${spec.seconds} s measured, ${questions.length} questions round robin, each from its own sender; ` +
      `${runs} run(s), medians; ${os.cpus().length} cores, Node ${process.version}, 1-min load average ${load.before} before / ${load.after} after`,
  );
  const head = ['peer', 'mode', 'webhook req/s', 'webhook p99 ms', 'replies/s', 'e2e p99 ms', 'calls/answer', 'lost', 'dup', 'peak RSS MB', 'idle RSS MB', 'webhook p50 ms', 'e2e p50 ms', 'bot CPU us/req', 'keeps up'];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| ${head.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`);
  const summary = [];
  for (const [label, rows] of byLabel) {
    const keepsUp = rows.filter((r) => r.repliesRps >= 0.98 * r.webhookRps && r.late <= Math.max(2 * spec.concurrency, 0.01 * r.answered)).length;
    const lost = rows.reduce((a, r) => a + r.lost, 0);
    const dup = rows.reduce((a, r) => a + r.duplicates, 0);
    const row = {
      label,
      webhookRps: median(rows, 'webhookRps'),
      webhookP99: median(rows, 'webhookP99'),
      repliesRps: median(rows, 'repliesRps'),
      e2eP99: median(rows, 'e2eP99'),
      callsPerAnswer: rows[0]!.callsPerAnswer,
      lost,
      dup,
      peakRssMb: median(rows, 'peakRssMb'),
      idleRssMb: median(rows, 'idleRssMb'),
      webhookP50: median(rows, 'webhookP50'),
      e2eP50: median(rows, 'e2eP50'),
      cpuUsPerReq: median(rows, 'cpuUsPerReq'),
      keepsUp: `${keepsUp}/${rows.length}`,
    };
    summary.push({ ...row, runs: rows });
    console.log(`| ${[row.label, 'question', row.webhookRps, row.webhookP99, row.repliesRps, row.e2eP99, row.callsPerAnswer, row.lost, row.dup, row.peakRssMb, row.idleRssMb, row.webhookP50, row.e2eP50, row.cpuUsPerReq, row.keepsUp].join(' | ')} |`);
  }
  const jsonPath = text('json', '');
  if (jsonPath) fs.writeFileSync(jsonPath, JSON.stringify({ at: new Date().toISOString(), node: process.version, cores: os.cpus().length, load, spec, summary }, null, 2) + '\n');
}

if (process.argv.includes('--driver')) await driver();
else await main();
