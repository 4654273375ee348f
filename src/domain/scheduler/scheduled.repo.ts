/**
 * Prisma queries of the scheduler: ScheduledPost state changes (each one a conditional row update, so two
 * instances can run side by side) and the ledger row of each publication.
 */
import type { Db, DbTx } from '../../db/client.js';
import type { PublishablePost } from '../delivery.js';
import { countFailed, countSent, uncountFailed } from '../reports/tally-counters.repo.js';
import { communeIdOf } from '../../db/tenant.js';

/** States a publication moves through. */
export const scheduledStates = ['draft', 'queued', 'publishing', 'published', 'failed', 'unconfirmed', 'cancelled', 'missed'] as const;
export type ScheduledState = (typeof scheduledStates)[number];

/** States in which a post counts as used on a channel (a plan does not pick it again there). */
export const usedStates: ScheduledState[] = ['draft', 'queued', 'publishing', 'published', 'failed', 'unconfirmed'];

/** Where a post goes on each channel, as recorded in the ledger's recipientRef/address. */
const feedTarget: Record<string, string> = { messenger: 'page', zalo: 'oa', telegram: 'channel', webchat: 'website' };

export interface ClaimedRow {
  id: number;
  channel: string;
  attempts: number;
  planId: number | null;
  outboundId: number | null;
  post: PublishablePost & { slug: string };
}

export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === 'P2002' || /unique constraint/i.test(String(err?.message ?? ''));
}

/** Rows left in `publishing` past the lease: the process stopped mid-call, so the outcome is unknown. */
export async function expirePublishing(db: Db, now: Date, leaseMs: number): Promise<number> {
  const stale = await db.scheduledPost.findMany({
    where: { state: 'publishing', claimedAt: { lt: new Date(now.getTime() - leaseMs) } },
    select: { id: true, outboundId: true },
  });
  let count = 0;
  for (const row of stale) {
    const r = await db.scheduledPost.updateMany({
      where: { id: row.id, state: 'publishing' },
      data: {
        state: 'unconfirmed',
        lastError: 'Hệ thống dừng đột ngột khi đang đăng bài nên không rõ bài đã lên hay chưa. Hãy kiểm tra trên kênh rồi xác nhận hoặc đăng lại.',
      },
    });
    if (r.count === 1) {
      count++;
      if (row.outboundId) {
        await db.outboundMessage.updateMany({
          where: { id: row.outboundId, status: 'sending' },
          data: { status: 'unconfirmed', lastError: 'Process stopped while publishing; outcome unknown' },
        });
      }
    }
  }
  return count;
}

/** Queued rows whose time has come, oldest first. */
export async function findDueRows(db: Db, now: Date, limit: number) {
  return db.scheduledPost.findMany({
    where: { state: 'queued', nextAttemptAt: { lte: now } },
    orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
    take: limit,
    select: {
      id: true, channel: true, nextAttemptAt: true, dueAt: true, planId: true, heldSince: true, attempts: true, lastError: true,
      post: { select: { archived: true, notBefore: true, notAfter: true } },
    },
  });
}

/** A queued row that must not go out (post withdrawn, or past its last day): cancelled with the reason for staff. */
export async function cancelQueued(db: Db, id: number, staffMessage: string): Promise<boolean> {
  const r = await db.scheduledPost.updateMany({ where: { id, state: 'queued' }, data: { state: 'cancelled', lastError: staffMessage, heldSince: null } });
  return r.count === 1;
}

/** A queued row whose post may not go out yet: it waits until `at`. */
export async function postpone(db: Db, id: number, at: Date, staffMessage: string): Promise<void> {
  await db.scheduledPost.updateMany({ where: { id, state: 'queued' }, data: { nextAttemptAt: at, lastError: staffMessage } });
}

export async function markMissed(db: Db, id: number, staffMessage: string): Promise<boolean> {
  const r = await db.scheduledPost.updateMany({ where: { id, state: 'queued' }, data: { state: 'missed', lastError: staffMessage, heldSince: null } });
  return r.count === 1;
}

/** Holds due rows of an unhealthy channel (they wait, untouched by the grace window, until it is healthy). */
export async function holdRows(db: Db, ids: number[], now: Date, staffMessage: string): Promise<void> {
  if (ids.length === 0) return;
  await db.scheduledPost.updateMany({ where: { id: { in: ids }, state: 'queued', heldSince: null }, data: { heldSince: now, lastError: staffMessage } });
}

/**
 * Releases held rows of a healthy channel so they go out now: every manual row, and for each plan only its latest
 * held row (a plan never bursts); the plan's older held rows are missed.
 */
export async function releaseHeldRows(db: Db, channel: string, now: Date): Promise<{ released: number; missed: number }> {
  const held = await db.scheduledPost.findMany({
    where: { channel, state: 'queued', heldSince: { not: null } },
    orderBy: [{ dueAt: 'desc' }, { id: 'desc' }],
    select: { id: true, planId: true },
  });
  const seenPlans = new Set<number>();
  let released = 0;
  let missed = 0;
  for (const row of held) {
    if (row.planId !== null && seenPlans.has(row.planId)) {
      if (await markMissed(db, row.id, 'Bỏ qua: kênh bị tạm dừng nên kế hoạch chỉ đăng bài mới nhất khi kênh hoạt động lại.')) missed++;
      continue;
    }
    if (row.planId !== null) seenPlans.add(row.planId);
    const r = await db.scheduledPost.updateMany({
      where: { id: row.id, state: 'queued', heldSince: { not: null } },
      data: { heldSince: null, nextAttemptAt: now, lastError: null },
    });
    released += r.count;
  }
  return { released, missed };
}

/**
 * Claims one queued row for this instance: the conditional update succeeds for exactly one claimer, whatever
 * the number of instances. Returns the row with its post, or null when another instance (or staff) got there first.
 */
export async function claimRow(db: Db, id: number, instanceId: string, now: Date): Promise<ClaimedRow | null> {
  const r = await db.scheduledPost.updateMany({
    where: { id, state: 'queued', heldSince: null, nextAttemptAt: { lte: now } },
    data: { state: 'publishing', claimedBy: instanceId, claimedAt: now, attempts: { increment: 1 } },
  });
  if (r.count !== 1) return null;
  const row = await db.scheduledPost.findUnique({
    where: { id },
    select: {
      id: true, channel: true, attempts: true, planId: true, outboundId: true,
      post: { select: { id: true, slug: true, title: true, body: true, topic: true, imageUrl: true, link: true } },
    },
  });
  return row;
}

/** Writes (or re-opens, on a later attempt) the ledger row in `sending` BEFORE the platform is called. */
export async function openLedgerRow(db: Db, row: ClaimedRow, now: Date): Promise<number> {
  const text = `${row.post.title}\n\n${row.post.body}`;
  if (row.outboundId) {
    const outboundId = row.outboundId;
    await db.$transaction(async (tx) => {
      const before = await tx.outboundMessage.findUniqueOrThrow({ where: { id: outboundId }, select: { status: true, channel: true, kind: true, createdAt: true } });
      await tx.outboundMessage.update({
        where: { id: outboundId },
        data: { status: 'sending', attempts: { increment: 1 }, nextAttemptAt: now, lastError: null },
      });
      // A failed publication tried again (staff pressed retry) no longer counts as failed in the report.
      if (before.status === 'failed') await uncountFailed(tx, before);
    });
    return outboundId;
  }
  const target = feedTarget[row.channel] ?? 'feed';
  const ledger = await db.outboundMessage.create({
    data: {
      communeId: communeIdOf(db),
      channel: row.channel,
      kind: 'post',
      recipientRef: target,
      address: target,
      scheduledPostId: row.id,
      topic: row.post.topic,
      text,
      body: { reply: { kind: 'text', text }, context: {}, post: { ...row.post } },
      // Never `pending`: the reply dispatcher sends pending rows, and a post is published only by its claimer.
      status: 'sending',
      attempts: 1,
      nextAttemptAt: now,
    },
    select: { id: true },
  });
  await db.scheduledPost.update({ where: { id: row.id }, data: { outboundId: ledger.id } });
  return ledger.id;
}

export async function recordPublished(db: Db, row: ClaimedRow, outboundId: number, platformPostId: string, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.scheduledPost.update({
      where: { id: row.id },
      data: { state: 'published', platformPostId, publishedAt: now, lastError: null, heldSince: null },
    });
    await markLedgerSent(tx, outboundId, platformPostId, now);
  });
}

/** The post's ledger row becomes sent and the report's roll-ups count it, in the caller's transaction, once. */
export async function markLedgerSent(tx: DbTx, outboundId: number, platformPostId: string | null, now: Date): Promise<void> {
  const r = await tx.outboundMessage.updateMany({
    where: { id: outboundId, status: { not: 'sent' } },
    data: { status: 'sent', platformMessageId: platformPostId, sentAt: now, lastError: null },
  });
  if (r.count !== 1) return;
  const o = await tx.outboundMessage.findUniqueOrThrow({ where: { id: outboundId }, select: { channel: true, kind: true, topic: true } });
  await countSent(tx, { ...o, sentAt: now });
}

/**
 * Back to queued after a failed attempt: for a retry at `nextAttemptAt`, or held when `held` (auth failure: the
 * attempt does not count). The ledger row waits as `not_sent` (never `pending`, which the reply dispatcher sends).
 */
export async function recordRequeued(
  db: Db,
  row: ClaimedRow,
  outboundId: number,
  input: { nextAttemptAt: Date; staffMessage: string; logMessage: string; held: boolean; now: Date },
): Promise<void> {
  await db.$transaction([
    db.scheduledPost.update({
      where: { id: row.id },
      data: {
        state: 'queued',
        nextAttemptAt: input.nextAttemptAt,
        lastError: input.staffMessage,
        claimedBy: null,
        claimedAt: null,
        ...(input.held ? { heldSince: input.now, attempts: { decrement: 1 } } : {}),
      },
    }),
    db.outboundMessage.update({ where: { id: outboundId }, data: { status: 'not_sent', lastError: input.logMessage.slice(0, 1000) } }),
  ]);
}

/** A final state other than published: failed (do not retry) or unconfirmed (outcome unknown, staff check). */
export async function recordFinal(
  db: Db,
  row: ClaimedRow,
  outboundId: number,
  state: 'failed' | 'unconfirmed',
  staffMessage: string,
  logMessage: string,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.scheduledPost.update({ where: { id: row.id }, data: { state, lastError: staffMessage } });
    const r = await tx.outboundMessage.updateMany({ where: { id: outboundId, status: { not: state } }, data: { status: state, lastError: logMessage.slice(0, 1000) } });
    if (r.count !== 1 || state !== 'failed') return;
    const o = await tx.outboundMessage.findUniqueOrThrow({ where: { id: outboundId }, select: { channel: true, kind: true, createdAt: true } });
    await countFailed(tx, o);
  });
}
