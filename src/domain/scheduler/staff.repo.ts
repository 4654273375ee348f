/**
 * What staff do with the schedule (the CLI and the admin call these): queue a post, publish now, cancel, retry,
 * settle an unconfirmed publication, restore a channel, add and pause plans, list the queue and plans with their
 * monthly progress. Input is validated here; a refusal is a {@link StaffInputError} with a Vietnamese message.
 */
import type { Db } from '../../db/client.js';
import { markChannelHealthy as markLedgerChannelHealthy } from '../ledger/channel-health.repo.js';
import { channelNames, type ChannelName } from '../messages.js';
import { isTopicKey, topicKeys } from '../content/topics.js';
import { monthProgress, nextOccurrence, parseTimeOfDay, upcomingOccurrences, type PlanSchedule, type TargetProgress } from './plan.js';
import { toPlanRow, type PlanRow } from './plan.repo.js';
import { markLedgerSent, releaseHeldRows, type ScheduledState } from './scheduled.repo.js';
import { formatVietnam } from './vn-time.js';
import { channelLabelOf } from './run.js';
import { communeIdOf } from '../../db/tenant.js';

/** Input staff must fix: `staffMessage` is Vietnamese, `message` English for the log. */
export class StaffInputError extends Error {
  constructor(
    readonly staffMessage: string,
    logMessage: string,
    /** The form field to fix (plan and queue forms put the message beside it). */
    readonly field: string | null = null,
  ) {
    super(logMessage);
    this.name = 'StaffInputError';
  }
}

const channelAliases: Record<string, ChannelName> = { website: 'webchat', web: 'webchat', facebook: 'messenger', fanpage: 'messenger' };

/** Parses staff's channel names ("messenger,zalo,website"); throws naming the unknown one. */
export function parseChannels(list: readonly string[]): ChannelName[] {
  const out: ChannelName[] = [];
  for (const raw of list.flatMap((s) => s.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const name = channelAliases[raw] ?? raw;
    if (!(channelNames as readonly string[]).includes(name)) {
      throw new StaffInputError(`Kênh "${raw}" không có. Dùng: messenger, zalo, telegram, website.`, `unknown channel "${raw}"`);
    }
    if (!out.includes(name as ChannelName)) out.push(name as ChannelName);
  }
  return out;
}

async function findPost(db: Db, ref: string | number) {
  const post =
    typeof ref === 'number' || /^\d+$/.test(ref)
      ? await db.post.findUnique({ where: { id: Number(ref) } })
      : await db.post.findFirst({ where: { slug: ref } });
  if (!post) throw new StaffInputError(`Không tìm thấy bài "${ref}" trong thư viện.`, `post ${ref} not found`);
  return post;
}

export interface QueueInput {
  /** Slug or id. */
  post: string | number;
  /** Default: every channel the post is meant for. */
  channels?: readonly string[];
  at: Date;
  now: Date;
  /** Publishing a post again on a channel where it is already published needs this. */
  repeat?: boolean;
  createdBy?: string;
  graceMinutes?: number;
  /** Channels this installation can publish to (configured); others are refused with the reason. Omitted: no check. */
  publishable?: readonly string[];
}

/**
 * Refuses channels that are not configured here: a post queued to them would sit «chờ đăng» past its time with no
 * word. Staff are told which channel and what to do.
 */
export function refuseUnconfigured(channels: readonly string[], publishable: readonly string[] | undefined): void {
  if (!publishable) return;
  const missing = channels.filter((c) => !publishable.includes(c));
  if (missing.length === 0) return;
  const names = missing.map(channelLabelOf).join(', ');
  throw new StaffInputError(
    `${names} chưa được cấu hình trên máy chủ này (chưa có thông tin kết nối), nên bài sẽ không đăng được. Bỏ chọn kênh này, hoặc nhờ cán bộ CNTT cấu hình kênh (xem trang Kênh) rồi xếp lịch lại.`,
    `channel not configured for publishing: ${missing.join(', ')}`,
    'channels',
  );
}

export interface QueuedRow {
  id: number;
  channel: string;
  dueAt: Date;
}

/** Queues a post on some channels at `at` (publish now: `at = now`). One row per channel. */
export async function queuePost(db: Db, input: QueueInput): Promise<QueuedRow[]> {
  const post = await findPost(db, input.post);
  if (post.archived) throw new StaffInputError(`Bài "${post.slug}" đã được lưu trữ (tệp đã bị xoá khỏi thư viện).`, `post ${post.slug} is archived`);
  const meant = Array.isArray(post.channels) ? (post.channels as string[]) : [];
  const channels = input.channels && input.channels.length > 0 ? parseChannels(input.channels) : parseChannels(meant);
  if (channels.length === 0) throw new StaffInputError('Chưa chọn kênh đăng.', 'no channel given', 'channels');
  for (const c of channels) {
    if (!meant.includes(c)) {
      throw new StaffInputError(`Bài "${post.slug}" không dành cho kênh ${c} (kênh của bài: ${meant.join(', ')}). Sửa "channels" trong tệp bài nếu cần.`, `post ${post.slug} is not meant for ${c}`, 'channels');
    }
  }
  refuseUnconfigured(channels, input.publishable);
  const grace = (input.graceMinutes ?? 60) * 60_000;
  if (input.at.getTime() < input.now.getTime() - grace) {
    throw new StaffInputError(`Thời điểm ${formatVietnam(input.at)} đã qua. Hãy chọn thời điểm trong tương lai.`, 'time is in the past', 'at');
  }
  if (post.notBefore && input.at < post.notBefore) {
    throw new StaffInputError(`Bài "${post.slug}" chỉ được đăng từ ${formatVietnam(post.notBefore)}.`, 'before notBefore', 'at');
  }
  if (post.notAfter && input.at > post.notAfter) {
    throw new StaffInputError(`Bài "${post.slug}" chỉ được đăng đến ${formatVietnam(post.notAfter)}.`, 'after notAfter', 'at');
  }
  const existing = await db.scheduledPost.findMany({
    where: { postId: post.id, channel: { in: channels }, state: { in: ['draft', 'queued', 'publishing', 'unconfirmed', 'published'] } },
    select: { channel: true, state: true },
  });
  for (const e of existing) {
    if (e.state === 'published' && input.repeat) continue;
    const what = e.state === 'published' ? 'đã được đăng' : e.state === 'unconfirmed' ? 'đang chờ xác nhận' : 'đã có trong hàng đợi';
    throw new StaffInputError(`Bài "${post.slug}" ${what} trên kênh ${e.channel}.${e.state === 'published' ? ' Chọn đăng lại nếu thật sự cần.' : ''}`, `post ${post.slug} already ${e.state} on ${e.channel}`, 'channels');
  }
  const rows: QueuedRow[] = [];
  for (const channel of channels) {
    const row = await db.scheduledPost.create({
      data: { communeId: communeIdOf(db), postId: post.id, channel, dueAt: input.at, nextAttemptAt: input.at, state: 'queued', createdBy: input.createdBy ?? null },
      select: { id: true, channel: true, dueAt: true },
    });
    rows.push(row);
  }
  return rows;
}

async function transition(db: Db, id: number, from: ScheduledState[], data: Record<string, unknown>, refusal: (state: string) => string): Promise<void> {
  const r = await db.scheduledPost.updateMany({ where: { id, state: { in: from } }, data });
  if (r.count === 1) return;
  const row = await db.scheduledPost.findUnique({ where: { id }, select: { state: true } });
  if (!row) throw new StaffInputError(`Không có lịch đăng số ${id}.`, `scheduled post ${id} not found`);
  throw new StaffInputError(refusal(row.state), `scheduled post ${id} is ${row.state}`);
}

const stateLabel: Record<string, string> = {
  draft: 'nháp', queued: 'chờ đăng', publishing: 'đang đăng', published: 'đã đăng', failed: 'lỗi',
  unconfirmed: 'chưa xác nhận', cancelled: 'đã huỷ', missed: 'bỏ lỡ',
};
export const scheduledStateLabel = (state: string): string => stateLabel[state] ?? state;

/** Cancels a draft or queued publication. */
export async function cancelScheduled(db: Db, id: number): Promise<void> {
  await transition(db, id, ['draft', 'queued'], { state: 'cancelled', heldSince: null }, (s) => `Không huỷ được: lịch đăng số ${id} đang ở trạng thái "${scheduledStateLabel(s)}".`);
}

/** Queues a failed, missed or unconfirmed publication again, now (staff checked it is not on the channel). */
export async function retryScheduled(db: Db, id: number, now: Date): Promise<void> {
  await transition(
    db, id, ['failed', 'missed', 'unconfirmed'],
    { state: 'queued', nextAttemptAt: now, attempts: 0, lastError: null, claimedBy: null, claimedAt: null, heldSince: null },
    (s) => `Chỉ đăng lại được bài lỗi, bỏ lỡ hoặc chưa xác nhận; lịch đăng số ${id} đang "${scheduledStateLabel(s)}".`,
  );
}

/** Staff found an unconfirmed publication on the channel: record it as published (ledger too). */
export async function confirmPublished(db: Db, id: number, input: { platformPostId?: string; now: Date }): Promise<void> {
  const row = await db.scheduledPost.findUnique({ where: { id }, select: { outboundId: true } });
  await transition(
    db, id, ['unconfirmed'],
    { state: 'published', publishedAt: input.now, platformPostId: input.platformPostId ?? null, lastError: null },
    (s) => `Chỉ xác nhận được bài "chưa xác nhận"; lịch đăng số ${id} đang "${scheduledStateLabel(s)}".`,
  );
  if (row?.outboundId) {
    const outboundId = row.outboundId;
    await db.$transaction((tx) => markLedgerSent(tx, outboundId, input.platformPostId ?? null, input.now));
  }
}

/**
 * Staff fixed a channel's credentials: marks it healthy and releases its held posts (each manual one goes out;
 * a plan only its latest, so nothing bursts).
 */
export async function markChannelHealthy(db: Db, channel: string, now: Date): Promise<{ released: number; missed: number }> {
  await markLedgerChannelHealthy(db, channel);
  return releaseHeldRows(db, channel, now);
}

export interface PlanInput {
  name: string;
  /** ISO weekdays 1–7 (Monday–Sunday), Vietnam time. */
  weekdays: readonly number[];
  /** "HH:MM", Vietnam time. */
  times: readonly string[];
  /** Topic keys in rotation; empty: every topic. */
  topics: readonly string[];
  channels: readonly string[];
  startAt: Date;
  endAt?: Date | null;
  maxCount?: number | null;
  targetPerMonth?: number | null;
  /** Channels this installation can publish to; others are refused (see refuseUnconfigured). */
  publishable?: readonly string[];
}

/** Checks a plan; throws StaffInputError naming the first field to fix. */
export function validatePlan(input: PlanInput): PlanSchedule & { channels: ChannelName[] } {
  if (!input.name.trim()) throw new StaffInputError('Kế hoạch cần có tên.', 'plan name missing', 'name');
  if (input.weekdays.length === 0 || input.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new StaffInputError(input.weekdays.length === 0 ? 'Hãy chọn ít nhất một ngày trong tuần.' : 'Ngày trong tuần phải là số từ 1 (thứ Hai) đến 7 (Chủ nhật).', 'bad weekdays', 'weekdays');
  }
  if (input.times.length === 0 || input.times.some((t) => parseTimeOfDay(t) === null)) {
    throw new StaffInputError('Giờ đăng phải có dạng HH:MM, ví dụ 08:00.', 'bad times', 'times');
  }
  const badTopic = input.topics.find((t) => !isTopicKey(t));
  if (badTopic) throw new StaffInputError(`Chủ đề "${badTopic}" không có. Dùng: ${topicKeys.join(', ')}.`, `unknown topic ${badTopic}`, 'topics');
  const channels = parseChannels(input.channels);
  if (channels.length === 0) throw new StaffInputError('Kế hoạch cần ít nhất một kênh đăng.', 'plan has no channel', 'channels');
  refuseUnconfigured(channels, input.publishable);
  if (input.endAt && input.endAt <= input.startAt) throw new StaffInputError('Ngày kết thúc phải sau ngày bắt đầu.', 'endAt before startAt', 'endAt');
  if (input.maxCount != null && (!Number.isInteger(input.maxCount) || input.maxCount < 1)) {
    throw new StaffInputError('Số lần đăng tối đa phải là số nguyên dương.', 'bad maxCount', 'maxCount');
  }
  if (input.targetPerMonth != null && (!Number.isInteger(input.targetPerMonth) || input.targetPerMonth < 1)) {
    throw new StaffInputError('Chỉ tiêu mỗi tháng phải là số nguyên dương.', 'bad targetPerMonth', 'targetPerMonth');
  }
  return { weekdays: [...new Set(input.weekdays)].sort(), times: [...new Set(input.times)], startAt: input.startAt, endAt: input.endAt ?? null, channels };
}

/** The columns a plan's form sets, shared by create and edit. */
function planColumns(input: PlanInput, schedule: ReturnType<typeof validatePlan>) {
  return {
    name: input.name.trim(),
    weekdays: [...schedule.weekdays],
    times: [...schedule.times],
    topics: [...input.topics],
    channels: schedule.channels,
    startAt: input.startAt,
    endAt: input.endAt ?? null,
    maxCount: input.maxCount ?? null,
    targetPerMonth: input.targetPerMonth ?? null,
  };
}

/** Adds a plan; its first occurrence is the first one after both `now` and its start. */
export async function createPlan(db: Db, input: PlanInput, now: Date): Promise<PlanRow> {
  const schedule = validatePlan(input);
  if (await db.postPlan.findFirst({ where: { name: input.name.trim() } })) {
    throw new StaffInputError(`Đã có kế hoạch tên "${input.name.trim()}".`, 'plan name taken');
  }
  const nextRunAt = nextOccurrence(schedule, now);
  const row = await db.postPlan.create({
    data: {
      communeId: communeIdOf(db),
      ...planColumns(input, schedule),
      nextRunAt,
      active: nextRunAt !== null,
    },
  });
  return toPlanRow(row);
}

/**
 * Changes a plan (admin edit). Its schedule restarts from the first occurrence after `now`; its occurrence count
 * (rotation, maxCount) and history stay.
 */
export async function updatePlan(db: Db, id: number, input: PlanInput, now: Date): Promise<PlanRow> {
  const schedule = validatePlan(input);
  const current = await db.postPlan.findUnique({ where: { id } });
  if (!current) throw new StaffInputError(`Không có kế hoạch số ${id}.`, `plan ${id} not found`);
  const clash = await db.postPlan.findFirst({ where: { name: input.name.trim() } });
  if (clash && clash.id !== id) throw new StaffInputError(`Đã có kế hoạch tên "${input.name.trim()}".`, 'plan name taken');
  const nextRunAt = nextOccurrence(schedule, now);
  const ended = nextRunAt === null || (input.maxCount != null && current.occurrences >= input.maxCount);
  const row = await db.postPlan.update({
    where: { id },
    data: {
      ...planColumns(input, schedule),
      nextRunAt: ended ? null : nextRunAt,
      active: current.active && !ended,
    },
  });
  return toPlanRow(row);
}

/** Pauses or resumes a plan; resuming starts from the next occurrence after `now` (no catching up). */
export async function setPlanActive(db: Db, id: number, active: boolean, now: Date): Promise<void> {
  const plan = await db.postPlan.findUnique({ where: { id } });
  if (!plan) throw new StaffInputError(`Không có kế hoạch số ${id}.`, `plan ${id} not found`);
  const row = toPlanRow(plan);
  const nextRunAt = active ? nextOccurrence(row.schedule, now) : row.nextRunAt;
  if (active && (nextRunAt === null || (row.maxCount !== null && row.occurrences >= row.maxCount))) {
    throw new StaffInputError(`Kế hoạch "${row.name}" đã kết thúc (hết thời hạn hoặc đủ số lần đăng).`, `plan ${id} has ended`);
  }
  await db.postPlan.update({ where: { id }, data: { active, nextRunAt } });
}

export interface PlanView extends PlanRow {
  progress: TargetProgress | null;
  upcoming: Date[];
}

/** Plans with their monthly target progress and next occurrences, for the CLI and the admin. */
export async function listPlans(db: Db, now: Date): Promise<PlanView[]> {
  const plans = (await db.postPlan.findMany({ orderBy: { id: 'asc' } })).map(toPlanRow);
  const out: PlanView[] = [];
  for (const plan of plans) {
    let progress: TargetProgress | null = null;
    if (plan.targetPerMonth) {
      const published = await db.scheduledPost.findMany({
        where: { planId: plan.id, state: 'published', publishedAt: { not: null, gte: new Date(now.getTime() - 32 * 86_400_000) } },
        select: { postId: true, publishedAt: true },
      });
      progress = monthProgress(published.map((p) => ({ postId: p.postId, publishedAt: p.publishedAt! })), plan.targetPerMonth, now, plan.schedule.startAt);
    }
    const upcoming = plan.active && plan.nextRunAt ? [plan.nextRunAt, ...upcomingOccurrences(plan.schedule, plan.nextRunAt, 2)] : [];
    out.push({ ...plan, progress, upcoming });
  }
  return out;
}

export interface QueueView {
  id: number;
  postId: number;
  slug: string;
  title: string;
  topic: string;
  channel: string;
  state: string;
  dueAt: Date;
  nextAttemptAt: Date;
  attempts: number;
  planId: number | null;
  lastError: string | null;
  platformPostId: string | null;
  publishedAt: Date | null;
  held: boolean;
}

/** The queue and its history, soonest first; filter by states. */
export async function listScheduled(db: Db, filter: { states?: readonly string[]; limit?: number } = {}): Promise<QueueView[]> {
  const rows = await db.scheduledPost.findMany({
    where: filter.states ? { state: { in: [...filter.states] } } : {},
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    take: filter.limit ?? 200,
    include: { post: { select: { slug: true, title: true, topic: true } } },
  });
  return rows.map((r) => ({
    id: r.id, postId: r.postId, slug: r.post.slug, title: r.post.title, topic: r.post.topic, channel: r.channel, state: r.state,
    dueAt: r.dueAt, nextAttemptAt: r.nextAttemptAt, attempts: r.attempts, planId: r.planId, lastError: r.lastError,
    platformPostId: r.platformPostId, publishedAt: r.publishedAt, held: r.heldSince !== null,
  }));
}
