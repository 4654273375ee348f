/**
 * The ledger's outbound side, which is also the outbox: every message is written here before it is sent, then
 * updated with the platform's id or the error. Nothing leaves the service except through these rows.
 */
import type { Db, DbTx } from '../../db/client.js';
import { insertRows } from '../../db/insert-rows.js';
import { setColumnById } from '../../db/set-by-id.js';
import { replyText, type Reply } from '../messages.js';
import { countFailed, countSent, countSentMany } from '../reports/tally-counters.repo.js';
import { communeIdOf } from '../../db/tenant.js';

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

const rowSelect = { id: true, channel: true, kind: true, address: true, conversationId: true, inboundId: true, body: true, attempts: true, createdAt: true } as const;

/** Writes pending ledger rows inside the caller's transaction, in one INSERT; returns their ids in draft order. */
export async function enqueueOutbound(tx: DbTx, drafts: OutboundDraft[], at: Date = new Date()): Promise<number[]> {
  if (drafts.length === 0) return [];
  const communeId = communeIdOf(tx);
  return insertRows(
    tx,
    'OutboundMessage',
    ['communeId', 'channel', 'kind', 'recipientRef', 'address', 'conversationId', 'inboundId', 'seq', 'scheduledPostId', 'procedureCode', 'field', 'topic', 'text', 'body', 'nextAttemptAt', 'createdAt', 'updatedAt'],
    drafts.map((d) => ({
      communeId,
      channel: d.channel,
      kind: d.kind,
      recipientRef: d.recipientRef,
      address: d.address,
      conversationId: d.conversationId ?? null,
      inboundId: d.inboundId ?? null,
      seq: d.seq ?? 0,
      scheduledPostId: d.scheduledPostId ?? null,
      procedureCode: d.procedureCode ?? null,
      field: d.field ?? null,
      topic: d.topic ?? null,
      text: replyText(d.reply),
      body: JSON.stringify({ reply: d.reply, context: d.sendContext ?? {} } satisfies OutboundBody),
      nextAttemptAt: at,
      createdAt: at,
      updatedAt: at,
    })),
  );
}

/** A pending row as the dispatcher queues it before the claim (attempts not yet counted). */
export type QueuedOutbound = OutboundRow;

/**
 * The rows among `ids` that are pending and due, in the order of `ids`, read without claiming them: the dispatcher
 * claims each one only when it releases it to the network (see claimOutbound).
 */
export async function findQueuedOutbound(db: Db, ids: number[], now: Date): Promise<QueuedOutbound[]> {
  if (ids.length === 0) return [];
  const rows = await db.outboundMessage.findMany({ where: { id: { in: ids }, status: 'pending', nextAttemptAt: { lte: now } }, select: rowSelect });
  const byId = new Map<number, OutboundRow>(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Claims pending, due rows for sending: ONE statement (UPDATE … RETURNING) that sets them `sending`, counts the
 * attempt and returns the rows won, so only the claimer may call the platform for a row and nothing stands between
 * the claim's commit and the call. Rows another process won (or no longer due) are left out; order is that of `ids`.
 */
export async function claimOutbound(db: Db, ids: number[], now: Date): Promise<OutboundRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.outboundMessage.updateManyAndReturn({
    where: { id: { in: ids }, status: 'pending', nextAttemptAt: { lte: now } },
    data: { status: 'sending', attempts: { increment: 1 }, updatedAt: now },
    select: rowSelect,
  });
  const byId = new Map<number, OutboundRow>(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Records a send; the report's roll-up counts it in the same transaction, once even if called twice. */
export async function markSent(db: Db, id: number, platformMessageId: string | null, at: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const r = await tx.outboundMessage.updateMany({
      where: { id, status: { not: 'sent' } },
      data: { status: 'sent', platformMessageId, sentAt: at, lastError: null },
    });
    if (r.count !== 1) return;
    const row = await tx.outboundMessage.findUniqueOrThrow({ where: { id }, select: { channel: true, kind: true, topic: true } });
    await countSent(tx, { ...row, sentAt: at });
  });
}

/**
 * Records many successful sends in one transaction (group commit of the dispatcher's batch); the report's roll-ups
 * count each row that becomes sent, once.
 */
export async function markSentBatch(db: Db, sent: { id: number; platformMessageId: string | null }[], at: Date): Promise<void> {
  if (sent.length === 0) return;
  if (sent.length === 1) return markSent(db, sent[0]!.id, sent[0]!.platformMessageId, at);
  await db.$transaction(async (tx) => {
    const fresh = await tx.outboundMessage.findMany({
      where: { id: { in: sent.map((s) => s.id) }, status: { not: 'sent' } },
      select: { id: true, channel: true, kind: true, topic: true },
    });
    if (fresh.length === 0) return;
    const freshIds = new Set(fresh.map((r) => r.id));
    await tx.outboundMessage.updateMany({ where: { id: { in: [...freshIds] } }, data: { status: 'sent', sentAt: at, lastError: null } });
    await setColumnById(tx, 'OutboundMessage', 'platformMessageId', sent.filter((s) => freshIds.has(s.id)).map((s) => ({ id: s.id, value: s.platformMessageId })));
    await countSentMany(tx, fresh.map((r) => ({ channel: r.channel, kind: r.kind, topic: r.topic, sentAt: at })));
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
