/**
 * The pure half of the scheduler: when a plan's occurrences fall (in Vietnam time, whatever the server's TZ),
 * what to do with occurrences missed during downtime, which library item an occurrence publishes, how far a
 * plan is towards its monthly target. No clock, no database: every function takes `now` and the data it needs.
 */
import { fromVietnam, toVietnam, vietnamMonth } from './vn-time.js';

/** When a plan fires: ISO weekdays (1 Monday … 7 Sunday) and "HH:MM" times, both in Vietnam time. */
export interface PlanSchedule {
  weekdays: readonly number[];
  times: readonly string[];
  startAt: Date;
  endAt?: Date | null;
}

/** Parses "HH:MM" (or "H:MM"); null when it is not a time of day. */
export function parseTimeOfDay(text: string): { hour: number; minute: number } | null {
  const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

function sortedTimes(times: readonly string[]): { hour: number; minute: number }[] {
  return times
    .map(parseTimeOfDay)
    .filter((t): t is { hour: number; minute: number } => t !== null)
    .sort((a, b) => a.hour * 60 + a.minute - (b.hour * 60 + b.minute));
}

/**
 * The first occurrence strictly after `after` (and not before startAt, not after endAt); null when the plan has
 * no further occurrence.
 *
 * @example nextOccurrence({ weekdays: [1], times: ['08:00'], startAt }, new Date('2024-12-31T02:00:00Z'))
 *   // → Monday 2025-01-06 08:00 in Vietnam = 2025-01-06T01:00:00Z
 */
export function nextOccurrence(schedule: PlanSchedule, after: Date): Date | null {
  const times = sortedTimes(schedule.times);
  const weekdays = new Set(schedule.weekdays);
  if (times.length === 0 || weekdays.size === 0) return null;
  const from = new Date(Math.max(after.getTime(), schedule.startAt.getTime() - 1));
  const day = toVietnam(from);
  // Eight days always contain every weekday once past the starting day.
  for (let offset = 0; offset <= 8; offset++) {
    const date = toVietnam(fromVietnam(day.year, day.month, day.day + offset));
    if (!weekdays.has(date.weekday)) continue;
    for (const t of times) {
      const at = fromVietnam(date.year, date.month, date.day, t.hour, t.minute);
      if (at.getTime() <= from.getTime()) continue;
      if (schedule.endAt && at.getTime() > schedule.endAt.getTime()) return null;
      return at;
    }
  }
  return null;
}

/** The next `count` occurrences after `after` (for staff previews and tests). */
export function upcomingOccurrences(schedule: PlanSchedule, after: Date, count: number): Date[] {
  const out: Date[] = [];
  let cursor = after;
  while (out.length < count) {
    const next = nextOccurrence(schedule, cursor);
    if (!next) break;
    out.push(next);
    cursor = next;
  }
  return out;
}

/** What to do with a row or occurrence that was due at `dueAt`, seen at `now`. */
export type DueDecision = 'wait' | 'publish' | 'missed';

/**
 * Grace window: something due up to `graceMinutes` ago still goes out (once); anything older is missed, so a
 * restart after downtime never publishes stale posts.
 */
export function dueDecision(dueAt: Date, now: Date, graceMinutes: number): DueDecision {
  const late = now.getTime() - dueAt.getTime();
  if (late < 0) return 'wait';
  return late <= graceMinutes * 60_000 ? 'publish' : 'missed';
}

export interface PlanCatchUp {
  /** The one occurrence to materialise now, if any. */
  materialise: Date | null;
  /** Occurrences that will not be published (too old, or superseded by a later one within the grace window). */
  missed: Date[];
  /** The plan's next occurrence strictly in the future; null when the plan has ended. */
  nextRunAt: Date | null;
}

/**
 * Brings a plan up to `now` from its stored `nextRunAt`: at most ONE occurrence goes out (the latest one still
 * within the grace window), every other past occurrence is missed, and the plan moves to its next future
 * occurrence. A recurring plan therefore never bursts after downtime.
 */
export function catchUpPlan(schedule: PlanSchedule, nextRunAt: Date, now: Date, graceMinutes: number): PlanCatchUp {
  const due: Date[] = [];
  let cursor: Date | null = nextRunAt;
  // A year of three posts a day is ~1100 occurrences; the cap only guards against a corrupt schedule.
  while (cursor && cursor.getTime() <= now.getTime() && due.length < 5000) {
    due.push(cursor);
    cursor = nextOccurrence(schedule, cursor);
  }
  const last = due.at(-1);
  const materialise = last && dueDecision(last, now, graceMinutes) === 'publish' ? last : null;
  const missed = materialise ? due.slice(0, -1) : due;
  const next = cursor && cursor.getTime() > now.getTime() ? cursor : nextOccurrence(schedule, now);
  return { materialise, missed, nextRunAt: next };
}

/** What the picker needs to know of a library post. */
export interface LibraryItem {
  id: number;
  slug: string;
  topic: string;
  channels: readonly string[];
  notBefore?: Date | null;
  notAfter?: Date | null;
  archived?: boolean;
}

export type Pick =
  | { kind: 'picked'; item: LibraryItem; topic: string; /** the rotation's topic when it was dry and another was used */ insteadOf?: string }
  | { kind: 'dry'; triedTopics: string[] };

/**
 * Which library item occurrence number `occurrenceIndex` of a plan publishes on `channel` at `at`: topics are
 * used in turn (occurrence k takes topic k mod n); within a topic, the first item by slug that targets the channel,
 * is in its date window and has not yet been published (or scheduled) on that channel. When the rotation's topic
 * is exhausted the next topics in turn are tried; when every topic is, the library has run dry for this channel.
 */
export function pickNextItem(input: {
  items: readonly LibraryItem[];
  topics: readonly string[];
  occurrenceIndex: number;
  channel: string;
  /** Ids of posts already published or scheduled on this channel. */
  usedOnChannel: ReadonlySet<number>;
  at: Date;
}): Pick {
  const rotation = input.topics.length > 0 ? input.topics : [...new Set(input.items.map((i) => i.topic))].sort();
  if (rotation.length === 0) return { kind: 'dry', triedTopics: [] };
  const start = ((input.occurrenceIndex % rotation.length) + rotation.length) % rotation.length;
  const eligible = input.items
    .filter(
      (i) =>
        !i.archived &&
        i.channels.includes(input.channel) &&
        !input.usedOnChannel.has(i.id) &&
        (!i.notBefore || i.notBefore.getTime() <= input.at.getTime()) &&
        (!i.notAfter || i.notAfter.getTime() >= input.at.getTime()),
    )
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const tried: string[] = [];
  for (let k = 0; k < rotation.length; k++) {
    const topic = rotation[(start + k) % rotation.length]!;
    tried.push(topic);
    const item = eligible.find((i) => i.topic === topic);
    if (item) return k === 0 ? { kind: 'picked', item, topic } : { kind: 'picked', item, topic, insteadOf: rotation[start]! };
  }
  return { kind: 'dry', triedTopics: tried };
}

export interface TargetProgress {
  /** Vietnam month, "2024-05". */
  month: string;
  /** Distinct posts published this month. */
  done: number;
  target: number;
  remaining: number;
  /** Posts expected by now if the target is spread evenly over the month. */
  expectedByNow: number;
  onTrack: boolean;
}

/**
 * Progress of a monthly target (e.g. 8 posts a month) in the Vietnam month containing `now`: a post counts once
 * however many channels it went out on.
 */
export function monthProgress(
  published: readonly { postId: number; publishedAt: Date }[],
  target: number,
  now: Date,
  /** When the plan started: a plan that began mid-month is expected to have done only the share since then. */
  activeFrom?: Date,
): TargetProgress {
  const month = vietnamMonth(now);
  const done = new Set(
    published.filter((p) => p.publishedAt >= month.start && p.publishedAt < month.end && p.publishedAt <= now).map((p) => p.postId),
  ).size;
  const from = activeFrom && activeFrom > month.start ? activeFrom : month.start;
  const elapsed = (now.getTime() - from.getTime()) / (month.end.getTime() - month.start.getTime());
  const expectedByNow = Math.floor(target * Math.min(1, Math.max(0, elapsed)));
  return { month: month.key, done, target, remaining: Math.max(0, target - done), expectedByNow, onTrack: done >= expectedByNow };
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultPublishRetry: RetryPolicy = { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60 * 60_000 };

/** Delay before attempt `attempt + 1` after a retryable error: doubling from the base, capped, at least retry-after. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(exp, retryAfterMs ?? 0);
}
