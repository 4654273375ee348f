/**
 * Two service processes on one PostgreSQL database behind a round-robin proxy, N communes (default 100) each with
 * its own Facebook Page: every commune's scheduled post must be published exactly once (both processes tick the
 * scheduler), and every signed webhook event, whichever process the proxy hands it to, answered exactly once with
 * its own Page's token.
 *
 *   npm run bench:two-processes   (options: --communes 100 --events 400 --concurrency 16)
 *
 * Spawns `node src/main.ts` twice (as `npm start` does), a tiny node round-robin proxy and a mock Graph API, all on
 * loopback. Every wait is bounded (start 300 s, drain 180 s). Needs PostgreSQL at PG_URL; creates and drops its own
 * database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP_SECRET = 'bench-two-app-secret';
const pageOf = (i: number) => `8${String(i).padStart(14, '0')}`;
const tokenOf = (i: number) => `two-token-${i}`;

const listen = (server: http.Server) => new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(500);
  }
  throw new Error(`service on port ${port} not healthy after ${ms} ms`);
}

async function main(): Promise<void> {
  const communes = option('communes', 100);
  const events = option('events', 400);
  const concurrency = option('concurrency', 16);
  const loadBefore = os.loadavg();
  const pgUrl = process.env.PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `cchc_bench_two_${process.pid}`;
  const adminClient = new pg.Client({ connectionString: pgUrl });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE "${dbName}"`);
  await adminClient.end();
  const url = new URL(pgUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();

  // The mock Graph API: feed posts per Page token, sends per recipient.
  const feeds = new Map<string, number>();
  const sends = new Map<string, string[]>();
  const mock = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const auth = String(req.headers.authorization ?? '');
      if (req.url?.includes('/feed') || req.url?.includes('/photos')) feeds.set(auth, (feeds.get(auth) ?? 0) + 1);
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { recipient?: { id: string }; sender_action?: string; message?: unknown };
        if (req.url?.includes('/messages') && body.recipient && !body.sender_action) {
          const list = sends.get(body.recipient.id) ?? [];
          list.push(`${auth} ${JSON.stringify(body.message)}`);
          sends.set(body.recipient.id, list);
        }
      } catch {
        /* not JSON */
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `post_${Math.random().toString(36).slice(2)}`, recipient_id: 'x', message_id: `m_${Math.random().toString(36).slice(2)}` }));
    });
  });
  const mockPort = await listen(mock);

  const { deployMigrations } = await import('../src/db/migrate.js');
  const { createDb } = await import('../src/db/client.js');
  const { scopeToCommune } = await import('../src/db/tenant.js');
  const { createCommune, toTenant } = await import('../src/domain/commune/communes.repo.js');
  const { upsertChannelAccount } = await import('../src/channels/accounts.js');
  const { queuePost } = await import('../src/domain/scheduler/staff.repo.js');

  const children: ChildProcess[] = [];
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-two-'));
  const startProcess = (name: string, port: number) => {
    const child = spawn(process.execPath, ['--liftoff-only', '--max-semi-space-size=4', '--import', 'tsx', 'src/main.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SEED_DEMO: 'true',
        INSTANCE_ID: name,
        SCHEDULER_TICK: '*/2 * * * * *',
        CITIZEN_ID_SECRET: 'bench-two-citizen-secret',
        MESSENGER_APP_SECRET: APP_SECRET,
        MESSENGER_VERIFY_TOKEN: 'bench-two-verify',
        MESSENGER_SENDS_PER_SECOND: '0',
        GRAPH_API_BASE_URL: `http://127.0.0.1:${mockPort}`,
      },
      stdio: ['ignore', fs.openSync(path.join(logDir, `${name}.log`), 'w'), fs.openSync(path.join(logDir, `${name}.err`), 'w')],
    });
    children.push(child);
    return child;
  };
  const freePort = async () => {
    const s = http.createServer();
    const p = await listen(s);
    await new Promise((r) => s.close(r));
    return p;
  };

  const root = await createDb(databaseUrl);
  let proxy: http.Server | null = null;
  try {
    await deployMigrations(databaseUrl);
    const rows = [];
    for (let i = 0; i < communes; i++) {
      const c = await createCommune(root.db, { slug: `xa-hai-${String(i).padStart(3, '0')}`, name: `Xã Hai Tiến Trình ${i}` });
      await upsertChannelAccount(root.db, { communeId: c.id, channel: 'messenger', externalId: pageOf(i), settings: { pageAccessToken: tokenOf(i) } });
      rows.push(c);
    }
    const ports = [await freePort(), await freePort()];
    const t0 = performance.now();
    startProcess('A', ports[0]!);
    await waitHealthy(ports[0]!, 300_000);
    const readyA = (performance.now() - t0) / 1000;

    // One post per commune on its Page, due shortly: both processes will be ticking when it falls due.
    const due = new Date(Date.now() + 20_000);
    for (const c of rows) {
      const scoped = scopeToCommune(root.db, toTenant(c));
      const post = (await scoped.post.findMany({ where: { archived: false }, select: { slug: true, channels: true } })).find((p) => Array.isArray(p.channels) && (p.channels as string[]).includes('messenger'));
      if (!post) throw new Error(`commune ${c.slug} has no post meant for messenger in its library`);
      await queuePost(scoped, { post: post.slug, at: due, now: new Date(), channels: ['messenger'] });
    }
    startProcess('B', ports[1]!);
    await waitHealthy(ports[1]!, 300_000);

    // The round-robin proxy in front of both.
    let next = 0;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    proxy = http.createServer((req, res) => {
      const port = ports[next++ % ports.length]!;
      const upstream = http.request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers, agent }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    const proxyPort = await listen(proxy);

    // Signed webhook events through the proxy, each for a Page of the N, each from a citizen of its own.
    const acked: string[] = [];
    let refused = 0;
    let seq = 0;
    const loadUntil = Date.now() + 120_000;
    const worker = async () => {
      while (seq < events && Date.now() < loadUntil) {
        const i = seq++;
        const page = i % communes;
        const psid = `two-${page}-${i}`;
        const now = Date.now();
        const body = JSON.stringify({ object: 'page', entry: [{ id: pageOf(page), time: now, messaging: [{ sender: { id: psid }, recipient: { id: pageOf(page) }, timestamp: now, message: { mid: `m-two-${i}`, text: 'làm giấy khai sinh cần gì' } }] }] });
        const sig = 'sha256=' + createHmac('sha256', APP_SECRET).update(body).digest('hex');
        const status = await fetch(`http://127.0.0.1:${proxyPort}/webhooks/messenger`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig }, body })
          .then((r) => r.status)
          .catch(() => 0);
        if (status === 200) acked.push(psid);
        else refused++;
      }
    };
    const loadStart = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const loadSeconds = (performance.now() - loadStart) / 1000;

    // Drain: every post published and every event answered, at most 180 s; then 10 s more for late doubles.
    const drainUntil = Date.now() + 180_000;
    while (Date.now() < drainUntil && (feeds.size < communes || !acked.every((p) => sends.has(p)) || Date.now() < due.getTime() + 5_000)) await sleep(500);
    const drainSeconds = (performance.now() - loadStart) / 1000 - loadSeconds;
    await sleep(10_000);

    let postedOnce = 0;
    let postedTwice = 0;
    let notPosted = 0;
    for (let i = 0; i < communes; i++) {
      const n = feeds.get(`Bearer ${tokenOf(i)}`) ?? 0;
      if (n === 1) postedOnce++;
      else if (n === 0) notPosted++;
      else postedTwice++;
    }
    let lost = 0;
    let doubled = 0;
    let wrongToken = 0;
    for (const psid of acked) {
      const got = sends.get(psid);
      if (!got) {
        lost++;
        continue;
      }
      if (new Set(got).size !== got.length) doubled++;
      const page = Number(psid.split('-')[1]);
      if (got.some((g) => !g.startsWith(`Bearer ${tokenOf(page)} `))) wrongToken++;
    }
    // Where unanswered events stand in the ledger (a message left in `processing` by a failed transaction waits
    // for its lease before either process takes it over).
    const inboundStates = Object.fromEntries((await root.db.inboundMessage.groupBy({ by: ['status'], _count: { _all: true } })).map((g) => [g.status, g._count._all]));
    const outboundStates = Object.fromEntries((await root.db.outboundMessage.groupBy({ by: ['status'], _count: { _all: true } })).map((g) => [g.status, g._count._all]));
    const byInstance = await root.db.scheduledPost.groupBy({ by: ['state', 'claimedBy'], _count: { _all: true } }).catch(() => []);
    const report = {
      when: new Date().toISOString(),
      machine: { cores: os.cpus().length, loadBefore: loadBefore.map((l) => +l.toFixed(1)), loadAfter: os.loadavg().map((l) => +l.toFixed(1)) },
      database: 'postgresql',
      processes: 2,
      communes,
      firstProcessReadySeconds: +readyA.toFixed(1),
      posts: { expected: communes, postedOnce, postedTwice, notPosted, byInstance },
      replies: { events, acked: acked.length, refused, lost, doubled, repliedWithAnotherCommunesToken: wrongToken, loadSeconds: +loadSeconds.toFixed(1), drainSeconds: +drainSeconds.toFixed(1) },
      ledger: { inbound: inboundStates, outbound: outboundStates },
      logs: logDir,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await sleep(2_000);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    proxy?.close();
    mock.close();
    await root.close();
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.end();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
