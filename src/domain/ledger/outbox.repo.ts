/**
 * The ledger's outbound side, which is also the outbox: every message is written here before it is sent, then
 * updated with the platform's id or the error. Nothing leaves the service except through these rows.
 */
import type { Db, DbTx } from '../../db/client.js';
import { asDate, asJson, asNumber, communeOf, runnerOf, sqlOf, type SqlTarget } from '../../db/sql.js';
import { replyText, type Reply } from '../messages.js';
import { countFailed, countSentMany } from '../reports/tally-counters.repo.js';

export interface OutboundDraft {
  channel: string;
  /** reply: the bot's answer; post: a publication; staff: a staff member's message; test: a channel test send; alert: a note to the staff group (neither counted in reports). */
  kind: 'reply' | 'post' | 'staff' | 'test' | 'alert';
  recipientRef: string;
  address: string;
  conversationId?: number | null;
  inboundId?: number | null;
  seq?: number;
  scheduledPostId?: number | null;
  procedureCode?: string | null;
  field?: string | null;
  topic?: string | null;
  reply: Reply;
  /** What the channel needs to send this reply later, maybe after a restart (Zalo message id, window start). */
  sendContext?: StoredSendContext;
}

export interface StoredSendContext {
  replyContext?: Record<string, string>;
  lastInboundAt?: string | null;
}

/** The JSON kept in OutboundMessage.body. */
export interface OutboundBody {
  reply: Reply;
  context: StoredSendContext;
}

export interface OutboundRow {
  id: number;
  channel: string;
  kind: string;
  address: string;
  conversationId: number | null;
  inboundId: number | null;
  body: unknown;
  attempts: number;
  createdAt: Date;
}

const outboundColumns = ['communeId', 'channel', 'kind', 'recipientRef', 'address', 'conversationId', 'inboundId', 'seq', 'scheduledPostId', 'procedureCode', 'field', 'topic', 'text', 'body', 'nextAttemptAt', 'createdAt', 'updatedAt'];
const insertOutbound = `INSERT INTO "OutboundMessage" (${outboundColumns.map((c) => `"${c}"`).join(', ')})`;

/**
 * Writes pending ledger rows inside the caller's transaction (a Prisma transaction or a runner's), in one INSERT
 * (one cached statement per row on direct SQLite); returns their ids in draft order.
 */
export async function enqueueOutbound(tx: SqlTarget, drafts: OutboundDraft[], at: Date = new Date()): Promise<number[]> {
  if (drafts.length === 0) return [];
  const q = runnerOf(tx);
  const communeId = communeOf(q);
  const rows = await q.insert<{ id: number }>(
    insertOutbound,
    drafts.map((d) => [
      communeId,
      d.channel,
      d.kind,
      d.recipientRef,
      d.address,
      d.conversationId ?? null,
      d.inboundId ?? null,
      d.seq ?? 0,
      d.scheduledPostId ?? null,
      d.procedureCode ?? null,
      d.field ?? null,
      d.topic ?? null,
      replyText(d.reply),
      JSON.stringify({ reply: d.reply, context: d.sendContext ?? {} } satisfies OutboundBody),
      at,
      at,
      at,
    ]),
    'RETURNING "id"',
  );
  // Ids of one multi-row INSERT ascend in row order (AUTOINCREMENT on SQLite, a sequence on PostgreSQL).
  return rows.map((r) => asNumber(r.id)).sort((a, b) => a - b);
}

/** A pending row as the dispatcher queues it before the claim (attempts not yet counted). */
export type QueuedOutbound = OutboundRow;

const rowColumns = '"id", "channel", "kind", "address", "conversationId", "inboundId", "body", "attempts", "createdAt"';

function toOutboundRow(r: Record<string, unknown>): OutboundRow {
  const raw = r.body;
  let body: unknown;
  let parsed = false;
  return {
    id: asNumber(r.id),
    channel: r.channel as string,
    kind: r.kind as string,
    address: r.address as string,
    conversationId: r.conversationId === null ? null : asNumber(r.conversationId),
    inboundId: r.inboundId === null ? null : asNumber(r.inboundId),
    // Parsed on first read: the claim returns the row again, and the dispatcher reads the body it queued.
    get body() {
      if (!parsed) {
        body = asJson(raw);
        parsed = true;
      }
      return body;
    },
    attempts: asNumber(r.attempts),
    createdAt: asDate(r.createdAt),
  };
}

function inOrder(ids: number[], rows: Record<string, unknown>[]): OutboundRow[] {
  const byId = new Map<number, OutboundRow>();
  for (const r of rows) {
    const row = toOutboundRow(r);
    byId.set(row.id, row);
  }
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * The rows among `ids` that are pending and due, in the order of `ids`, read without claiming them: the dispatcher
 * claims each one only when it releases it to the network (see claimOutbound).
 */
export async function findQueuedOutbound(db: Db, ids: number[], now: Date): Promise<QueuedOutbound[]> {
  if (ids.length === 0) return [];
  const q = sqlOf(db);
  const rows = await q.all(`SELECT ${rowColumns} FROM "OutboundMessage" WHERE "id" IN (?*) AND ~"status" = 'pending' AND ~"nextAttemptAt" <= ? AND ~"communeId" = ?`, [ids, now, communeOf(q)]);
  return inOrder(ids, rows);
}

/**
 * Claims pending, due rows for sending: ONE statement (UPDATE … RETURNING) that sets them `sending`, counts the
 * attempt and returns the rows won, so only the claimer may call the platform for a row and nothing stands between
 * the claim's commit and the call. Rows another process won (or no longer due) are left out; order is that of `ids`.
 */
export async function claimOutbound(db: Db, ids: number[], now: Date): Promise<OutboundRow[]> {
  if (ids.length === 0) return [];
  const q = sqlOf(db);
  const rows = await q.all(
    `UPDATE "OutboundMessage" SET "status" = 'sending', "attempts" = "attempts" + 1, "updatedAt" = ? WHERE "id" IN (?*) AND ~"status" = 'pending' AND ~"nextAttemptAt" <= ? AND ~"communeId" = ? RETURNING ${rowColumns}`,
    [now, ids, now, communeOf(q)],
  );
  return inOrder(ids, rows);
}

/** Records a send; the report's roll-up counts it in the same transaction, once even if called twice. */
export async function markSent(db: Db, id: number, platformMessageId: string | null, at: Date): Promise<void> {
  await markSentBatch(db, [{ id, platformMessageId }], at);
}

/**
 * Records many successful sends in one transaction (group commit of the dispatcher's batch); the report's roll-ups
 * count each row that becomes sent, once.
 */
export async function markSentBatch(db: Db, sent: { id: number; platformMessageId: string | null }[], at: Date): Promise<void> {
  if (sent.length === 0) return;
  await sqlOf(db).transaction(async (q) => {
    // Only rows not yet sent change (and count): a second markSent of a row is a no-op.
    const fresh = await q.all<{ id: number; channel: string; kind: string; topic: string | null }>(
      `UPDATE "OutboundMessage" SET "status" = 'sent', "sentAt" = ?, "lastError" = NULL, "updatedAt" = ? WHERE "id" IN (?*) AND ~"status" <> 'sent' AND ~"communeId" = ? RETURNING "id", "channel", "kind", "topic"`,
      [at, at, sent.map((s) => s.id), communeOf(q)],
    );
    if (fresh.length === 0) return;
    const freshIds = new Set(fresh.map((r) => asNumber(r.id)));
    await q.setById('OutboundMessage', 'platformMessageId', sent.filter((s) => freshIds.has(s.id)).map((s) => ({ id: s.id, value: s.platformMessageId })));
    await countSentMany(q, fresh.map((r) => ({ channel: r.channel, kind: r.kind, topic: r.topic, sentAt: at })));
  });
}

/** Back to pending for another try at `nextAttemptAt`. */
export async function markRetry(db: Db, id: number, error: string, nextAttemptAt: Date): Promise<void> {
  await db.outboundMessage.update({ where: { id }, data: { status: 'pending', lastError: error.slice(0, 1000), nextAttemptAt } });
}

/** A final state other than sent: failed, unconfirmed (outcome unknown) or not_sent (e.g. outside the window). */
export async function markFinal(db: Db, id: number, status: 'failed' | 'unconfirmed' | 'not_sent', error: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const r = await tx.outboundMessage.updateMany({ where: { id, status: { not: status } }, data: { status, lastError: error.slice(0, 1000) } });
    if (r.count !== 1 || status !== 'failed') return;
    const row = await tx.outboundMessage.findUniqueOrThrow({ where: { id }, select: { channel: true, kind: true, createdAt: true } });
    await countFailed(tx, row);
  });
}

/** Pending rows that are due, oldest first (restart and retry pick-up). */
export async function findDueOutbound(db: Db, now: Date, limit = 200): Promise<number[]> {
  const rows = await db.outboundMessage.findMany({
    where: { status: 'pending', nextAttemptAt: { lte: now } },
    orderBy: { id: 'asc' },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/**
 * Rows left in `sending` past the lease: the process died while the platform call was in flight (a row is claimed
 * only when it is released to the network), so the message may or may not have gone out. They become unconfirmed
 * for staff, never re-sent blindly. Rows that were only waiting to be sent are still `pending` and are sent.
 */
export async function expireSending(db: Db, now: Date, leaseMs: number): Promise<number> {
  const r = await db.outboundMessage.updateMany({
    where: { status: 'sending', updatedAt: { lt: new Date(now.getTime() - leaseMs) } },
    data: { status: 'unconfirmed', lastError: 'Process stopped while sending; delivery unknown' },
  });
  return r.count;
}
