/**
 * A province on one process: N communes (default 100) on PostgreSQL, each with its own Facebook Page and the demo
 * catalog (the province's shared procedure set), served by ONE real service (startService). Measures:
 *   - resident memory (RSS) once ready and its peak under load;
 *   - search-and-reply: the real conversation engine of every commune answering the demo questions, in-process
 *     (engine time only: no HTTP, no database; labelled as such);
 *   - webhook load spread over the N Pages: signed Messenger events through the real HTTP path, one app secret,
 *     routed by entry.id; the mock Graph API counts what each Page token sent: lost, doubled, and replies sent
 *     with another commune's token (must all be 0).
 *
 *   npm run bench:communes   (options: --communes 100 --seconds 10 --concurrency 32 --json out.json)
 *
 * Needs PostgreSQL at PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres); creates and drops its own
 * database. The load generator and the mock Graph API run in a child process. Every loop is bounded in count and
 * time; everything is on loopback.
 */
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const APP_SECRET = 'bench-communes-app-secret';
const pageOf = (i: number) => `9${String(i).padStart(14, '0')}`;
const tokenOf = (i: number) => `page-token-${i}`;
const questions = [
  'làm giấy khai sinh cần gì',
  'dk ket hon can giay to gi',
  'chứng thực bản sao mất bao nhiêu tiền',
  'đăng ký thường trú ở đâu',
  'xin trợ cấp người cao tuổi',
  'mất giấy khai sinh làm lại thế nào',
  'giờ làm việc của xã',
  'số điện thoại đường dây nóng',
];

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

// ------------------------------------------------------------------ child: mock Graph API and load generator
async function driver(): Promise<void> {
  /** recipient → list of [token, text] received. */
  const received = new Map<string, [string, string][]>();
  const mock = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { recipient?: { id: string }; message?: unknown; sender_action?: string };
        if (req.url?.includes('/messages') && body.recipient && !body.sender_action) {
          const list = received.get(body.recipient.id) ?? [];
          list.push([String(req.headers.authorization ?? ''), JSON.stringify(body.message)]);
          received.set(body.recipient.id, list);
        }
      } catch {
        /* not JSON: not a send */
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ recipient_id: 'x', message_id: `m_${Math.random().toString(36).slice(2)}` }));
    });
  });
  mock.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => mock.listen(0, '127.0.0.1', r));
  process.send!({ type: 'mock', port: (mock.address() as { port: number }).port });

  process.on('message', async (msg: { type: string; target: string; communes: number; seconds: number; concurrency: number }) => {
    if (msg.type === 'count') {
      process.send!({ type: 'counts', received: [...received.entries()] });
      return;
    }
    if (msg.type !== 'run') return;
    const agent = new http.Agent({ keepAlive: true, maxSockets: msg.concurrency });
    const acked: string[] = [];
    const ackMs: number[] = [];
    let errors = 0;
    let seq = 0;
    const until = Date.now() + msg.seconds * 1000;
    const post = (body: string) =>
      new Promise<number>((resolve) => {
        const sig = 'sha256=' + createHmac('sha256', APP_SECRET).update(body).digest('hex');
        const req = http.request(`${msg.target}/webhooks/messenger`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig }, timeout: 15_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(0));
        req.on('timeout', () => req.destroy());
        req.end(body);
      });
    const worker = async () => {
      // Bounded by time and by a hard count per worker.
      for (let n = 0; Date.now() < until && n < 100_000; n++) {
        const i = seq++;
        const page = i % msg.communes;
        const psid = `psid-${page}-${i}`;
        const now = Date.now();
        const body = JSON.stringify({
          object: 'page',
          entry: [{ id: pageOf(page), time: now, messaging: [{ sender: { id: psid }, recipient: { id: pageOf(page) }, timestamp: now, message: { mid: `m-bench-${i}`, text: questions[i % questions.length] } }] }],
        });
        const t0 = performance.now();
        const status = await post(body);
        ackMs.push(performance.now() - t0);
        if (status === 200) acked.push(psid);
        else errors++;
      }
    };
    await Promise.all(Array.from({ length: msg.concurrency }, worker));
    ackMs.sort((a, b) => a - b);
    process.send!({ type: 'ran', acked, errors, ackP50: percentile(ackMs, 50), ackP99: percentile(ackMs, 99) });
  });
}

// ------------------------------------------------------------------ parent: the service under test
async function main(): Promise<void> {
  const communes = option('communes', 100);
  const seconds = option('seconds', 10);
  const concurrency = option('concurrency', 32);
  const jsonIdx = args.indexOf('--json');
  const loadBefore = os.loadavg();
  const pgUrl = process.env.PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `cchc_bench_communes_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();

  const child = fork(fileURLToPath(import.meta.url), ['--driver'], { execArgv: ['--import', 'tsx'] });
  const fromChild = <T>(type: string) => new Promise<T>((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type === type) {
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
  });
  const { port: mockPort } = await fromChild<{ port: number }>('mock');

  const { deployMigrations } = await import('../src/db/migrate.js');
  const { createDb } = await import('../src/db/client.js');
  const { createCommune } = await import('../src/domain/commune/communes.repo.js');
  const { upsertChannelAccount } = await import('../src/channels/accounts.js');
  const { loadConfig } = await import('../src/config.js');
  const { startService } = await import('../src/app/service.js');

  let service: Awaited<ReturnType<typeof startService>> | null = null;
  try {
    const setupStart = performance.now();
    await deployMigrations(databaseUrl);
    const root = await createDb(databaseUrl);
    for (let i = 0; i < communes; i++) {
      const c = await createCommune(root.db, { slug: `xa-bench-${String(i).padStart(3, '0')}`, name: `Xã Thử Nghiệm ${i}` });
      await upsertChannelAccount(root.db, { communeId: c.id, channel: 'messenger', externalId: pageOf(i), settings: { pageAccessToken: tokenOf(i) } });
    }
    await root.close();
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
      CITIZEN_ID_SECRET: 'bench-communes-secret',
      MESSENGER_APP_SECRET: APP_SECRET,
      MESSENGER_VERIFY_TOKEN: 'bench-verify',
      MESSENGER_SENDS_PER_SECOND: '0',
      GRAPH_API_BASE_URL: `http://127.0.0.1:${mockPort}`,
    });
    const startAt = performance.now();
    service = await startService(config, { noCron: true, logger: pino({ level: 'warn' }), onFirstAdministrator: () => undefined });
    const readyMs = performance.now() - startAt;
    const setupMs = startAt - setupStart;
    global.gc?.();
    const rssReady = process.memoryUsage().rss;
    const heapReady = process.memoryUsage().heapUsed;

    // Search-and-reply: every commune's engine, the demo questions, in-process (bounded: 3 rounds).
    const engineMs: number[] = [];
    let engineCpuUs = 0;
    for (let round = 0; round < 3; round++) {
      const cpu0 = process.cpuUsage();
      for (const c of service.communes) {
        for (const [n, text] of questions.entries()) {
          const message = { channel: 'messenger' as const, platformMessageId: `e-${round}-${n}`, address: 'bench', kind: 'text' as const, text, receivedAt: new Date() };
          const t0 = performance.now();
          c.conversation.respond({ message, context: {} });
          if (round > 0) engineMs.push(performance.now() - t0);
        }
      }
      const cpu = process.cpuUsage(cpu0);
      if (round > 0) engineCpuUs += cpu.user + cpu.system;
    }
    engineMs.sort((a, b) => a - b);

    // Webhook load over every Page.
    let rssPeak = process.memoryUsage().rss;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
    const ran = fromChild<{ acked: string[]; errors: number; ackP50: number; ackP99: number }>('ran');
    const loadStart = performance.now();
    child.send({ type: 'run', target: service.url, communes, seconds, concurrency });
    const result = await ran;
    const loadSeconds = (performance.now() - loadStart) / 1000;
    // Drain: until every acknowledged event has its reply at the mock, at most 120 s.
    let counts: [string, [string, string][]][] = [];
    const drainUntil = Date.now() + 120_000;
    for (;;) {
      const c = fromChild<{ received: [string, [string, string][]][] }>('counts');
      child.send({ type: 'count' });
      counts = (await c).received;
      const replied = new Set(counts.map(([r]) => r));
      if (result.acked.every((p) => replied.has(p)) || Date.now() > drainUntil) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    clearInterval(sampler);
    const drainedSeconds = (performance.now() - loadStart) / 1000;
    const byRecipient = new Map(counts);
    let lost = 0;
    let doubled = 0;
    let wrongPage = 0;
    let sends = 0;
    for (const psid of result.acked) {
      const got = byRecipient.get(psid);
      if (!got || got.length === 0) {
        lost++;
        continue;
      }
      sends += got.length;
      const page = Number(psid.split('-')[1]);
      if (got.some(([token]) => token !== `Bearer ${tokenOf(page)}`)) wrongPage++;
      const texts = got.map(([, t]) => t);
      if (new Set(texts).size !== texts.length) doubled++;
    }
    // Every reply row in the ledger of the commune whose Page received the event.
    const ledger = await service.db.root.outboundMessage.groupBy({ by: ['status'], _count: { _all: true } });
    const report = {
      when: new Date().toISOString(),
      machine: { cores: os.cpus().length, loadBefore: loadBefore.map((l) => +l.toFixed(1)), loadAfter: os.loadavg().map((l) => +l.toFixed(1)) },
      database: 'postgresql',
      communes,
      setupSeconds: +(setupMs / 1000).toFixed(1),
      startToReadySeconds: +(readyMs / 1000).toFixed(1),
      rssReadyMB: +(rssReady / 2 ** 20).toFixed(0),
      heapUsedReadyMB: +(heapReady / 2 ** 20).toFixed(0),
      rssPeakMB: +(rssPeak / 2 ** 20).toFixed(0),
      engine: { calls: engineMs.length, p50Ms: +percentile(engineMs, 50).toFixed(3), p99Ms: +percentile(engineMs, 99).toFixed(3), cpuUsPerCall: +(engineCpuUs / Math.max(1, engineMs.length)).toFixed(1), label: 'in-process conversation engine, no HTTP or database' },
      webhook: {
        seconds: +loadSeconds.toFixed(1),
        concurrency,
        acked: result.acked.length,
        ackErrors: result.errors,
        eventsPerSecond: +(result.acked.length / loadSeconds).toFixed(0),
        ackP50Ms: +result.ackP50.toFixed(1),
        ackP99Ms: +result.ackP99.toFixed(1),
        sendsReceived: sends,
        drainedAfterSeconds: +drainedSeconds.toFixed(1),
        lost,
        doubled,
        repliedWithAnotherCommunesToken: wrongPage,
      },
      ledger: Object.fromEntries(ledger.map((g) => [g.status, g._count._all])),
    };
    console.log(JSON.stringify(report, null, 2));
    if (jsonIdx >= 0) fs.writeFileSync(args[jsonIdx + 1]!, JSON.stringify(report, null, 2));
  } finally {
    await service?.close();
    child.kill();
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.end();
  }
}

if (args.includes('--driver')) void driver();
else
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
