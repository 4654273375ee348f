/**
 * Benchmark of the periodic report at scale: fills a fresh SQLite file and a fresh PostgreSQL database with the same
 * synthetic ledger (default 10 million rows over 2023–2024), builds the daily roll-ups with rebuildTallies, then
 * times a year's report (computeTallies for "2024") and measures the exports' peak memory.
 *
 *   node --import tsx bench/report.ts [--rows 10000000] [--db both|sqlite|pg] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
 *
 * The PostgreSQL database is created and dropped by the run; the SQLite file lives in a temporary folder, removed at
 * the end. Figures are printed as a table; bench/README.md keeps the last measured ones.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createDb, tuneDatabase, type DbHandle } from '../src/db/client.js';
import { deployMigrations } from '../src/db/migrate.js';
import { exportReport, type ExportFormat } from '../src/domain/reports/export/index.js';
import { parsePeriod } from '../src/domain/reports/period.js';
import { rebuildTallies } from '../src/domain/reports/rollups.repo.js';
import { computeTallies, type Tallies } from '../src/domain/reports/tallies.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    db: { type: 'string', default: 'both' },
    pg: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
  },
});
const TOTAL_ROWS = Number(values.rows);
const CITIZENS = 40_000;
const FROM = Date.parse('2022-12-31T17:00:00Z'); // 2023-01-01 00:00 in Vietnam
const TO = Date.parse('2024-12-31T17:00:00Z'); // 2025-01-01 00:00 in Vietnam
const BATCH = 20_000;
const CHANNELS = ['zalo', 'messenger', 'telegram', 'webchat'] as const;
const OUTCOMES = ['answered', 'answered', 'answered', 'choices', 'choices', 'unanswered', 'greeting', 'menu', 'followup', 'handover', 'offtopic', 'hotline'];
const FIELDS = ['Hộ tịch', 'Chứng thực', 'Đất đai', 'Bảo trợ xã hội', 'Người có công', 'Thi đua khen thưởng'];
const TOPICS = ['Dịch vụ công trực tuyến', 'Thủ tục hộ tịch', 'Đường dây nóng', 'Cải cách hành chính', null];

/** mulberry32: a small seeded PRNG, so both databases get the same rows. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface InboundRow {
  channel: string;
  pmid: string;
  conversationId: number;
  citizenRef: string;
  outcome: string;
  procedureCode: string | null;
  field: string | null;
  at: number;
}
interface OutboundRow {
  channel: string;
  kind: string;
  recipientRef: string;
  conversationId: number | null;
  topic: string | null;
  status: string;
  attempts: number;
  at: number;
}

const conversationOf = (citizen: number) => ({ id: citizen + 1, channel: CHANNELS[citizen % 4]!, address: `addr-${citizen}`, ref: `ref-${citizen}` });

/**
 * The synthetic ledger in time order, in batches: sessions of 1–4 citizen messages each answered by a reply, a
 * handover now and then answered by staff, a few posts a day, about 1% failed and 1% unconfirmed sends.
 */
function* ledgerBatches(total: number): Generator<{ inbound: InboundRow[]; outbound: OutboundRow[] }> {
  const random = prng(20240630);
  const step = (TO - FROM) / total;
  let inbound: InboundRow[] = [];
  let outbound: OutboundRow[] = [];
  let produced = 0;
  let pmid = 0;
  while (produced < total) {
    const at = FROM + produced * step;
    const citizen = Math.floor(random() * CITIZENS);
    const conv = conversationOf(citizen);
    if (random() < 0.002) {
      for (const channel of CHANNELS) {
        outbound.push({ channel, kind: 'post', recipientRef: 'feed', conversationId: null, topic: TOPICS[Math.floor(random() * TOPICS.length)]!, status: random() < 0.97 ? 'sent' : 'failed', attempts: 1, at });
      }
      produced += 4;
    } else {
      const messages = 1 + Math.floor(random() * 4);
      for (let m = 0; m < messages && produced < total; m++) {
        const outcome = OUTCOMES[Math.floor(random() * OUTCOMES.length)]!;
        const aboutProcedure = outcome === 'answered' || outcome === 'followup';
        const code = aboutProcedure ? `1.00${String(1000 + Math.floor(random() ** 2 * 120))}` : null;
        inbound.push({ channel: conv.channel, pmid: `m${String(++pmid).padStart(10, '0')}`, conversationId: conv.id, citizenRef: conv.ref, outcome, procedureCode: code, field: code ? FIELDS[Number(code.slice(-2)) % FIELDS.length]! : null, at: at + m * 20_000 });
        const r = random();
        const status = r < 0.01 ? 'failed' : r < 0.02 ? 'unconfirmed' : 'sent';
        outbound.push({ channel: conv.channel, kind: outcome === 'handover' && random() < 0.5 ? 'staff' : 'reply', recipientRef: conv.ref, conversationId: conv.id, topic: null, status, attempts: 1 + (random() < 0.05 ? 2 : 0), at: at + m * 20_000 + 900 });
        produced += 2;
      }
    }
    if (inbound.length + outbound.length >= BATCH) {
      yield { inbound, outbound };
      inbound = [];
      outbound = [];
    }
  }
  if (inbound.length + outbound.length > 0) yield { inbound, outbound };
}

const sqliteTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
const pgTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

async function loadSqlite(file: string): Promise<void> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const conv = db.prepare(`INSERT INTO "Conversation" ("id","channel","address","citizenRef","state","context","createdAt","updatedAt") VALUES (?,?,?,?,'bot','{}',?,?)`);
  db.transaction(() => {
    for (let c = 0; c < CITIZENS; c++) {
      const x = conversationOf(c);
      conv.run(x.id, x.channel, x.address, x.ref, sqliteTime(FROM), sqliteTime(FROM));
    }
  })();
  const inb = db.prepare(`INSERT INTO "InboundMessage" ("channel","platformMessageId","conversationId","citizenRef","kind","text","message","status","outcome","procedureCode","field","receivedAt","processedAt","attempts")
    VALUES (?,?,?,?,'text','câu hỏi','{}','processed',?,?,?,?,?,1)`);
  const out = db.prepare(`INSERT INTO "OutboundMessage" ("channel","kind","recipientRef","address","conversationId","seq","topic","text","body","status","attempts","nextAttemptAt","createdAt","sentAt","updatedAt")
    VALUES (?,?,?,'addr',?,0,?,'Nội dung','{}',?,?,?,?,?,?)`);
  const insertBatch = db.transaction((batch: { inbound: InboundRow[]; outbound: OutboundRow[] }) => {
    for (const r of batch.inbound) inb.run(r.channel, r.pmid, r.conversationId, r.citizenRef, r.outcome, r.procedureCode, r.field, sqliteTime(r.at), sqliteTime(r.at + 500));
    for (const r of batch.outbound) {
      const t = sqliteTime(r.at);
      out.run(r.channel, r.kind, r.recipientRef, r.conversationId, r.topic, r.status, r.attempts, t, t, r.status === 'sent' ? sqliteTime(r.at + 300) : null, t);
    }
  });
  for (const batch of ledgerBatches(TOTAL_ROWS)) insertBatch(batch);
  db.pragma('synchronous = NORMAL');
  db.close();
}

async function loadPg(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const convs = Array.from({ length: CITIZENS }, (_, c) => conversationOf(c));
    await client.query(
      `INSERT INTO "Conversation" ("id","channel","address","citizenRef","state","context","createdAt","updatedAt")
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS t(id, channel, address, ref)
       CROSS JOIN LATERAL (SELECT 'bot', '{}'::jsonb, $5::timestamp, $5::timestamp) x`,
      [convs.map((c) => c.id), convs.map((c) => c.channel), convs.map((c) => c.address), convs.map((c) => c.ref), pgTime(FROM)],
    );
    await client.query(`SELECT setval(pg_get_serial_sequence('"Conversation"', 'id'), ${CITIZENS})`);
    for (const batch of ledgerBatches(TOTAL_ROWS)) {
      const i = batch.inbound;
      await client.query(
        `INSERT INTO "InboundMessage" ("channel","platformMessageId","conversationId","citizenRef","kind","text","message","status","outcome","procedureCode","field","receivedAt","processedAt","attempts")
         SELECT channel, pmid, conv, ref, 'text', 'câu hỏi', '{}'::jsonb, 'processed', outcome, code, field, at, at + interval '500 milliseconds', 1
         FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamp[]) AS t(channel, pmid, conv, ref, outcome, code, field, at)`,
        [i.map((r) => r.channel), i.map((r) => r.pmid), i.map((r) => r.conversationId), i.map((r) => r.citizenRef), i.map((r) => r.outcome), i.map((r) => r.procedureCode), i.map((r) => r.field), i.map((r) => pgTime(r.at))],
      );
      const o = batch.outbound;
      await client.query(
        `INSERT INTO "OutboundMessage" ("channel","kind","recipientRef","address","conversationId","seq","topic","text","body","status","attempts","nextAttemptAt","createdAt","sentAt","updatedAt")
         SELECT channel, kind, ref, 'addr', conv, 0, topic, 'Nội dung', '{}'::jsonb, status, attempts, at, at, CASE WHEN status = 'sent' THEN at + interval '300 milliseconds' END, at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::int[], $8::timestamp[]) AS t(channel, kind, ref, conv, topic, status, attempts, at)`,
        [o.map((r) => r.channel), o.map((r) => r.kind), o.map((r) => r.recipientRef), o.map((r) => r.conversationId), o.map((r) => r.topic), o.map((r) => r.status), o.map((r) => r.attempts), o.map((r) => pgTime(r.at))],
      );
    }
  } finally {
    await client.end();
  }
}

/** Peak RSS and heap growth while `fn` runs, sampled every 2 ms. */
async function peakMemory<T>(fn: () => Promise<T>): Promise<{ result: T; rssMiB: number; heapDeltaMiB: number }> {
  global.gc?.();
  const base = process.memoryUsage();
  let rss = base.rss;
  let heap = base.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 2);
  const result = await fn();
  clearInterval(timer);
  const m = process.memoryUsage();
  rss = Math.max(rss, m.rss);
  heap = Math.max(heap, m.heapUsed);
  return { result, rssMiB: rss / 2 ** 20, heapDeltaMiB: (heap - base.heapUsed) / 2 ** 20 };
}

class CountingSink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.bytes += chunk.length;
    done();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const millis = (ms: number) => `${ms.toFixed(0)} ms`;

async function measure(kind: 'sqlite' | 'postgresql', url: string, load: () => Promise<void>): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  let t = performance.now();
  await deployMigrations(url);
  figures['deploy migrations'] = seconds(performance.now() - t);
  t = performance.now();
  await load();
  figures['load ledger rows'] = seconds(performance.now() - t);
  console.error(`[${kind}] loaded in ${figures['load ledger rows']}`);
  const handle: DbHandle = await createDb(url);
  await tuneDatabase(handle);
  try {
    const [inbound, outbound] = await Promise.all([handle.db.inboundMessage.count(), handle.db.outboundMessage.count()]);
    figures['ledger rows'] = `${inbound + outbound} (${inbound} inbound, ${outbound} outbound)`;
    t = performance.now();
    const written = await rebuildTallies(handle.db);
    figures['rebuildTallies (all days)'] = seconds(performance.now() - t);
    console.error(`[${kind}] roll-ups built in ${figures['rebuildTallies (all days)']}`);
    figures['roll-up rows'] = `${written}`;
    await handle.db.$executeRawUnsafe('ANALYZE');
    const period = parsePeriod('2024');
    const times: number[] = [];
    let tallies: Tallies | null = null;
    for (let i = 0; i < 6; i++) {
      t = performance.now();
      tallies = await computeTallies(handle.db, period);
      times.push(performance.now() - t);
    }
    figures["year's report, first call"] = millis(times[0]!);
    figures["year's report, median of next 5"] = millis(times.slice(1).sort((a, b) => a - b)[2]!);
    figures['2024 figures'] = `${tallies!.inbound.messages} messages from ${tallies!.inbound.citizens} citizens, ${tallies!.replies.total} replies, ${tallies!.posts.total} posts, ${tallies!.failed.total} failed`;
    for (const format of ['json', 'csv', 'xlsx', 'docx'] as ExportFormat[]) {
      const sink = new CountingSink();
      const m = await peakMemory(() => exportReport(tallies!, format, sink));
      figures[`export ${format}: size, peak RSS, heap growth`] = `${sink.bytes} B, ${m.rssMiB.toFixed(0)} MiB, ${m.heapDeltaMiB.toFixed(1)} MiB`;
    }
    console.error(`[${kind}] done`);
  } finally {
    await handle.close();
  }
  return figures;
}

async function main(): Promise<void> {
  const results: Record<string, Record<string, string>> = {};
  console.error(`rows: ${TOTAL_ROWS}; cores: ${os.cpus().length}; node ${process.version}`);
  if (values.db === 'both' || values.db === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-bench-'));
    const file = path.join(dir, 'bench.db');
    try {
      results.sqlite = await measure('sqlite', `file:${file}`, () => loadSqlite(file));
      results.sqlite['database file'] = `${(fs.statSync(file).size / 2 ** 30).toFixed(2)} GiB`;
      printTable({ sqlite: results.sqlite });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (values.db === 'both' || values.db === 'pg') {
    const name = `cchc_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: values.pg });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(values.pg!);
    url.pathname = `/${name}`;
    try {
      results.postgresql = await measure('postgresql', url.toString(), () => loadPg(url.toString()));
      const size = await admin.query<{ s: string }>(`SELECT pg_size_pretty(pg_database_size('${name}')) AS s`);
      results.postgresql['database size'] = size.rows[0]!.s;
      printTable({ postgresql: results.postgresql });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }
  if (Object.keys(results).length > 1) printTable(results);
}

function printTable(results: Record<string, Record<string, string>>): void {
  const keys = [...new Set(Object.values(results).flatMap((r) => Object.keys(r)))];
  const kinds = Object.keys(results);
  console.log(`| measure | ${kinds.join(' | ')} |`);
  console.log(`|---|${kinds.map(() => '---').join('|')}|`);
  for (const k of keys) console.log(`| ${k} | ${kinds.map((kind) => results[kind]![k] ?? '').join(' | ')} |`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
