/**
 * The thin, I/O half of the scheduler. One `tick(deps, now)`:
 * 1. rows stuck in `publishing` past the lease become `unconfirmed` (crash mid-call: never re-sent blindly);
 * 2. plans due by `now` materialise at most one occurrence each (see {@link catchUpPlan}) into queued rows;
 * 3. held rows of channels that are healthy again are released; due rows of unhealthy channels are held;
 * 4. due rows older than the grace window are missed; the others are claimed one by one (a conditional update,
 *    so of several instances exactly one publishes a row), the ledger row is written in `sending`, the outlet
 *    publishes, and the outcome is recorded where the error was classified.
 * Everything is a row update; node-cron only calls this function.
 */
import type { Db } from '../../db/client.js';
import { DeliveryError, type Outlet } from '../delivery.js';
import { markChannelUnhealthy, unhealthyChannels } from '../ledger/channel-health.repo.js';
import type { Logger } from '../logger.js';
import { catchUpPlan, defaultPublishRetry, dueDecision, pickNextItem, retryDelayMs, type RetryPolicy } from './plan.js';
import { advancePlan, createPlannedRow, findDuePlans, libraryItems, usedPostIds, type PlanRow } from './plan.repo.js';
import {
  cancelQueued,
  claimRow,
  expirePublishing,
  findDueRows,
  holdRows,
  markMissed,
  openLedgerRow,
  postpone,
  recordFinal,
  recordPublished,
  recordRequeued,
  releaseHeldRows,
  type ClaimedRow,
} from './scheduled.repo.js';
import { formatVietnam } from './vn-time.js';
import { topicLabel } from '../content/topics.js';

export interface TickDeps {
  db: Db;
  /** The channels this instance can publish through (only those with `publish` are used). */
  outlets: readonly Outlet[];
  /** Name of this instance in claims. */
  instanceId: string;
  /** config.SCHEDULER_GRACE_MINUTES */
  graceMinutes: number;
  log: Logger;
  retry?: RetryPolicy;
  /** How long a row may stay `publishing` before it is declared unconfirmed. */
  publishLeaseMs?: number;
  /** Most rows handled per tick. */
  batchSize?: number;
}

export interface TickResult {
  unconfirmedByLease: number;
  materialised: number;
  missed: number;
  published: number;
  retrying: number;
  held: number;
  failed: number;
  unconfirmed: number;
  /** Rows not published because their post was withdrawn or is past its last day. */
  cancelled: number;
  /** Rows another instance claimed first. */
  lostClaims: number;
  /** Vietnamese notes for staff (library ran dry, …). */
  notes: string[];
}

export const DEFAULT_PUBLISH_LEASE_MS = 10 * 60_000;

const channelLabel: Record<string, string> = { messenger: 'Fanpage Facebook', zalo: 'Zalo OA', telegram: 'kênh Telegram', webchat: 'Trang thông tin điện tử' };
export const channelLabelOf = (channel: string): string => channelLabel[channel] ?? channel;

/** The reason shown to staff on a due row whose channel this instance cannot publish to (written once). */
export function unconfiguredNote(channel: string): string {
  return `Chưa đăng được: ${channelLabelOf(channel)} chưa được cấu hình trên máy chủ (chưa có thông tin kết nối). Bài chờ trong hàng đợi và sẽ được đăng khi kênh được cấu hình; hoặc hủy lượt đăng này.`;
}

async function noteUnconfigured(db: Db, row: { id: number; channel: string; lastError: string | null }): Promise<void> {
  const note = unconfiguredNote(row.channel);
  if (row.lastError === note) return;
  await db.scheduledPost.updateMany({ where: { id: row.id, state: { in: ['queued', 'draft'] } }, data: { lastError: note } });
  row.lastError = note;
}

/** Runs one scheduler tick at `now`. Safe to run concurrently on several instances sharing one database. */
export async function tick(deps: TickDeps, now: Date): Promise<TickResult> {
  const { db, log } = deps;
  const result: TickResult = { unconfirmedByLease: 0, materialised: 0, missed: 0, published: 0, retrying: 0, held: 0, failed: 0, unconfirmed: 0, cancelled: 0, lostClaims: 0, notes: [] };

  result.unconfirmedByLease = await expirePublishing(db, now, deps.publishLeaseMs ?? DEFAULT_PUBLISH_LEASE_MS);
  if (result.unconfirmedByLease > 0) log.warn({ count: result.unconfirmedByLease }, 'posts left publishing past the lease marked unconfirmed');

  for (const plan of await findDuePlans(db, now)) {
    await materialisePlan(deps, plan, now, result);
  }

  const unhealthy = await unhealthyChannels(db);
  const outlets = new Map(deps.outlets.filter((o) => typeof o.publish === 'function').map((o) => [o.name as string, o]));
  for (const channel of outlets.keys()) {
    if (!unhealthy.has(channel)) {
      const r = await releaseHeldRows(db, channel, now);
      result.missed += r.missed;
    }
  }

  const due = await findDueRows(db, now, deps.batchSize ?? 200);
  const hold = async (channel: string) => {
    const ids = due.filter((r) => r.channel === channel && r.heldSince === null).map((r) => r.id);
    await holdRows(db, ids, now, `Đang tạm giữ: ${channelLabelOf(channel)} đang lỗi đăng nhập/quyền truy cập. Bài sẽ được đăng khi kênh được khôi phục.`);
    for (const r of due) if (ids.includes(r.id)) r.heldSince = now;
    result.held += ids.length;
  };
  for (const channel of unhealthy) await hold(channel);

  for (const row of due) {
    if (unhealthy.has(row.channel) || row.heldSince !== null) continue;
    const outlet = outlets.get(row.channel);
    // Another instance may have this channel configured: leave the row to it, but never silently.
    if (!outlet) {
      await noteUnconfigured(db, row);
      continue;
    }
    // The library may have changed since the row was queued.
    if (row.post.archived || (row.post.notAfter && row.post.notAfter < now)) {
      const why = row.post.archived
        ? 'Không đăng: bài đã được gỡ khỏi thư viện (tệp bị xoá) sau khi xếp lịch.'
        : `Không đăng: bài chỉ được đăng đến ${formatVietnam(row.post.notAfter!)}.`;
      if (await cancelQueued(db, row.id, why)) {
        result.cancelled++;
        log.info({ scheduledPostId: row.id, channel: row.channel, archived: row.post.archived }, 'queued post withdrawn before publishing');
      }
      continue;
    }
    if (row.post.notBefore && row.post.notBefore > now) {
      await postpone(db, row.id, row.post.notBefore, `Chờ đến ${formatVietnam(row.post.notBefore)}: bài chưa được phép đăng trước thời điểm này.`);
      continue;
    }
    if (dueDecision(row.nextAttemptAt, now, deps.graceMinutes) === 'missed') {
      const message = `Không đăng: đã quá giờ đăng (${formatVietnam(row.nextAttemptAt)}) hơn ${deps.graceMinutes} phút, có thể do hệ thống ngừng hoạt động. Hãy xếp lịch lại nếu vẫn cần đăng.`;
      if (await markMissed(db, row.id, message)) {
        result.missed++;
        log.warn({ scheduledPostId: row.id, channel: row.channel, dueAt: row.nextAttemptAt.toISOString() }, 'scheduled post missed: older than the grace window');
      }
      continue;
    }
    const claimed = await claimRow(db, row.id, deps.instanceId, now);
    if (!claimed) {
      result.lostClaims++;
      continue;
    }
    row.heldSince = null;
    const outcome = await publishClaimed(deps, outlet, claimed, now, result);
    if (outcome === 'auth') {
      // The rest of this channel's rows wait with it.
      unhealthy.add(row.channel);
      row.heldSince = now;
      await hold(row.channel);
    }
  }
  return result;
}

async function publishClaimed(deps: TickDeps, outlet: Outlet, row: ClaimedRow, now: Date, result: TickResult): Promise<'published' | DeliveryError['kind']> {
  const { db, log } = deps;
  const outboundId = await openLedgerRow(db, row, now);
  const context = { scheduledPostId: row.id, outboundId, channel: row.channel, slug: row.post.slug, attempt: row.attempts };
  let platformPostId: string;
  try {
    const { slug: _slug, ...post } = row.post;
    ({ platformPostId } = await outlet.publish!(post));
  } catch (e) {
    return recordFailure(deps, row, outboundId, e, now, result);
  }
  await recordPublished(db, row, outboundId, platformPostId, now);
  result.published++;
  log.info({ ...context, platformPostId }, 'post published');
  return 'published';
}

async function recordFailure(deps: TickDeps, row: ClaimedRow, outboundId: number, e: unknown, now: Date, result: TickResult): Promise<DeliveryError['kind']> {
  const { db, log } = deps;
  const err = e instanceof DeliveryError ? e : new DeliveryError('unknown', e instanceof Error ? e.message : String(e));
  const label = channelLabelOf(row.channel);
  const context = { scheduledPostId: row.id, outboundId, channel: row.channel, kind: err.kind, attempt: row.attempts, cause: err.message };
  const platformSays = err.options.staffMessage ?? err.message;
  switch (err.kind) {
    case 'retry': {
      const policy = deps.retry ?? defaultPublishRetry;
      if (row.attempts >= policy.maxAttempts) {
        await recordFinal(db, row, outboundId, 'failed', `Đăng lên ${label} không thành công sau ${row.attempts} lần thử (nền tảng tạm thời không nhận). Hãy thử đăng lại sau.`, `gave up after ${row.attempts} attempts: ${err.message}`);
        result.failed++;
        log.warn(context, 'post failed for good after retries');
      } else {
        const next = new Date(now.getTime() + retryDelayMs(row.attempts, policy, err.options.retryAfterMs));
        await recordRequeued(db, row, outboundId, {
          nextAttemptAt: next,
          staffMessage: `${label} tạm thời chưa nhận bài (lần thử ${row.attempts}); hệ thống sẽ tự thử lại lúc ${formatVietnam(next)}.`,
          logMessage: err.message,
          held: false,
          now,
        });
        result.retrying++;
        log.info({ ...context, nextAttemptAt: next.toISOString() }, 'post publish failed, will retry');
      }
      return err.kind;
    }
    case 'auth':
      await markChannelUnhealthy(db, row.channel, err.message, now);
      await recordRequeued(db, row, outboundId, {
        nextAttemptAt: now,
        staffMessage: `Đang tạm giữ: ${label} báo lỗi đăng nhập/quyền truy cập (mã truy cập hết hạn hoặc sai). Hãy cập nhật mã truy cập rồi khôi phục kênh; bài sẽ được đăng sau đó.`,
        logMessage: err.message,
        held: true,
        now,
      });
      result.held++;
      log.error(context, 'channel auth failed: channel marked unhealthy, its posts held');
      return err.kind;
    case 'rejected':
    case 'gone':
      await recordFinal(db, row, outboundId, 'failed', `${label} từ chối bài đăng: ${platformSays}. Hãy sửa bài rồi xếp lịch lại.`, err.message);
      result.failed++;
      log.warn(context, 'post rejected by the platform');
      return err.kind;
    default:
      await recordFinal(db, row, outboundId, 'unconfirmed', `Không rõ bài đã lên ${label} hay chưa (mất kết nối hoặc hết thời gian chờ). Hãy kiểm tra trên kênh rồi xác nhận hoặc đăng lại; hệ thống không tự đăng lại để tránh đăng trùng.`, err.message);
      result.unconfirmed++;
      log.warn(context, 'post outcome unknown: marked unconfirmed');
      return err.kind;
  }
}

async function materialisePlan(deps: TickDeps, plan: PlanRow, now: Date, result: TickResult): Promise<void> {
  const { db, log } = deps;
  if (!plan.nextRunAt) return;
  const catchUp = catchUpPlan(plan.schedule, plan.nextRunAt, now, deps.graceMinutes);
  let note: string | null | undefined;
  let materialised = false;
  const reachedMax = plan.maxCount !== null && plan.occurrences >= plan.maxCount;
  if (catchUp.materialise && !reachedMax) {
    materialised = true;
    const items = await libraryItems(db);
    const dry: string[] = [];
    for (const channel of plan.channels) {
      const pick = pickNextItem({
        items,
        topics: plan.topics,
        occurrenceIndex: plan.occurrences,
        channel,
        usedOnChannel: await usedPostIds(db, channel),
        at: catchUp.materialise,
      });
      if (pick.kind === 'dry') {
        dry.push(channelLabelOf(channel));
        continue;
      }
      if (await createPlannedRow(db, { planId: plan.id, postId: pick.item.id, channel, dueAt: catchUp.materialise })) result.materialised++;
      if (pick.insteadOf) {
        log.info({ planId: plan.id, channel, topic: pick.topic, insteadOf: pick.insteadOf }, 'plan topic exhausted, used the next topic');
      }
    }
    if (dry.length > 0) {
      const topics = plan.topics.length > 0 ? plan.topics.map(topicLabel).join('; ') : 'mọi chủ đề';
      note = `Thư viện đã hết bài chưa đăng cho kế hoạch "${plan.name}" trên ${dry.join(', ')} (chủ đề: ${topics}) lúc ${formatVietnam(catchUp.materialise)}. Hãy bổ sung bài mới.`;
      result.notes.push(note);
      log.warn({ planId: plan.id, channels: dry }, 'post library ran dry for a plan');
    } else {
      note = null;
    }
  }
  if (catchUp.missed.length > 0) {
    log.warn({ planId: plan.id, missed: catchUp.missed.length, first: catchUp.missed[0]?.toISOString() }, 'plan occurrences missed during downtime');
  }
  const occurrencesAfter = plan.occurrences + (materialised ? 1 : 0);
  const ended = catchUp.nextRunAt === null || (plan.maxCount !== null && occurrencesAfter >= plan.maxCount);
  const advanced = await advancePlan(db, plan.id, plan.nextRunAt, {
    nextRunAt: ended ? null : catchUp.nextRunAt,
    materialised,
    missed: catchUp.missed.length,
    note,
    active: !ended,
  });
  if (advanced) result.missed += catchUp.missed.length;
}
