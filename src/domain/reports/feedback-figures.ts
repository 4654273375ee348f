/**
 * The report's figures for phản ánh, kiến nghị and satisfaction, exact per period (Vietnam local midnights).
 *
 * Feedback: items received in the period; of them, answered on time / late and transferred BEFORE the period's end
 * (from their timestamps, so a closed period's figures never change), and those still open at the period's end (or
 * now, for the current period), overdue when their due date has passed by then.
 * Satisfaction: ratings given in the period, the share satisfied overall, by channel, by field, by procedure and for
 * staff conversations. The database sums ratings with one GROUP BY; `satisfactionFromRows` counts rows one by one
 * (tests compare the two).
 */
import type { DbTx } from '../../db/client.js';
import { isFeedbackSubject, feedbackSubjectLabels } from '../feedback/feedback.js';
import { channelLabel, CHANNEL_ORDER } from './labels.js';
import type { Period } from './period.js';

export interface FeedbackFigures {
  received: number;
  answeredOnTime: number;
  answeredLate: number;
  transferred: number;
  /** Not answered nor transferred by the period's end (or now). */
  open: number;
  /** Of the open ones, past their due date by then. */
  overdue: number;
  bySubject: { key: string; label: string; count: number }[];
}

export interface RatingShare {
  key: string;
  label: string;
  total: number;
  satisfied: number;
  neutral: number;
  unsatisfied: number;
  /** Percent satisfied, one decimal; null when there is no rating. */
  share: number | null;
}

export interface SatisfactionFigures {
  overall: RatingShare;
  byChannel: RatingShare[];
  byField: RatingShare[];
  byProcedure: RatingShare[];
  /** Ratings given after staff closed a handover. */
  staff: RatingShare;
}

export interface FeedbackRow {
  subject: string;
  receivedAt: Date;
  dueAt: Date;
  answeredAt: Date | null;
  transferredAt: Date | null;
  state: string;
}

export interface RatingGroup {
  channel: string;
  about: string;
  field: string | null;
  procedureCode: string | null;
  score: string;
  count: number;
}

export function emptyFeedbackFigures(): FeedbackFigures {
  return { received: 0, answeredOnTime: 0, answeredLate: 0, transferred: 0, open: 0, overdue: 0, bySubject: [] };
}

/** Shapes the items received in the period (pure); `asOf` is the earlier of the period's end and now. */
export function shapeFeedback(rows: readonly FeedbackRow[], period: Pick<Period, 'start' | 'end'>, asOf: Date): FeedbackFigures {
  const f = emptyFeedbackFigures();
  const subjects = new Map<string, number>();
  for (const r of rows) {
    if (r.receivedAt < period.start || r.receivedAt >= period.end) continue;
    f.received++;
    subjects.set(r.subject, (subjects.get(r.subject) ?? 0) + 1);
    if (r.answeredAt && r.state === 'answered' && r.answeredAt < asOf) {
      if (r.answeredAt <= r.dueAt) f.answeredOnTime++;
      else f.answeredLate++;
    } else if (r.transferredAt && r.transferredAt < asOf) {
      f.transferred++;
    } else {
      f.open++;
      if (r.dueAt <= asOf) f.overdue++;
    }
  }
  f.bySubject = [...subjects]
    .map(([key, count]) => ({ key, label: isFeedbackSubject(key) ? feedbackSubjectLabels[key] : key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return f;
}

function share(key: string, label: string): RatingShare {
  return { key, label, total: 0, satisfied: 0, neutral: 0, unsatisfied: 0, share: null };
}

function add(s: RatingShare, score: string, count: number): void {
  if (score !== 'satisfied' && score !== 'neutral' && score !== 'unsatisfied') return;
  s[score] += count;
  s.total += count;
  s.share = Math.round((s.satisfied / s.total) * 1000) / 10;
}

export const TOP_RATED = 10;

/** Shapes summed rating groups (pure). */
export function shapeSatisfaction(groups: readonly RatingGroup[], procedureNames: ReadonlyMap<string, string>): SatisfactionFigures {
  const overall = share('', 'Tất cả');
  const staff = share('staff', 'Sau khi cán bộ trả lời trực tiếp');
  const byChannel = new Map<string, RatingShare>();
  const byField = new Map<string, RatingShare>();
  const byProcedure = new Map<string, RatingShare>();
  const bucket = (map: Map<string, RatingShare>, key: string, label: string) => {
    let s = map.get(key);
    if (!s) map.set(key, (s = share(key, label)));
    return s;
  };
  for (const g of groups) {
    add(overall, g.score, g.count);
    add(bucket(byChannel, g.channel, channelLabel(g.channel)), g.score, g.count);
    if (g.about === 'staff') add(staff, g.score, g.count);
    if (g.field) add(bucket(byField, g.field, g.field), g.score, g.count);
    if (g.procedureCode) add(bucket(byProcedure, g.procedureCode, procedureNames.get(g.procedureCode) ?? g.procedureCode), g.score, g.count);
  }
  const rank = (key: string) => (CHANNEL_ORDER.indexOf(key) === -1 ? CHANNEL_ORDER.length : CHANNEL_ORDER.indexOf(key));
  const byCount = (a: RatingShare, b: RatingShare) => b.total - a.total || a.key.localeCompare(b.key);
  return {
    overall,
    byChannel: [...byChannel.values()].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key)),
    byField: [...byField.values()].sort(byCount).slice(0, TOP_RATED),
    byProcedure: [...byProcedure.values()].sort(byCount).slice(0, TOP_RATED),
    staff,
  };
}

export function emptySatisfactionFigures(): SatisfactionFigures {
  return shapeSatisfaction([], new Map());
}

export interface RatingRow {
  channel: string;
  about: string;
  field: string | null;
  procedureCode: string | null;
  score: string;
  ratedAt: Date;
}

/** The direct count: every rating row of the period looked at one by one. */
export function satisfactionFromRows(rows: readonly RatingRow[], period: Pick<Period, 'start' | 'end'>, procedureNames: ReadonlyMap<string, string>): SatisfactionFigures {
  const groups: RatingGroup[] = rows
    .filter((r) => r.ratedAt >= period.start && r.ratedAt < period.end)
    .map((r) => ({ channel: r.channel, about: r.about, field: r.field, procedureCode: r.procedureCode, score: r.score, count: 1 }));
  return shapeSatisfaction(groups, procedureNames);
}

/** Loads and shapes both sets of figures for a period. */
export async function loadFeedbackFigures(db: DbTx, period: Period, now: Date): Promise<{ feedback: FeedbackFigures; satisfaction: SatisfactionFigures }> {
  const window = { gte: period.start, lt: period.end };
  const [items, grouped] = await Promise.all([
    db.feedbackItem.findMany({ where: { receivedAt: window }, select: { subject: true, receivedAt: true, dueAt: true, answeredAt: true, transferredAt: true, state: true } }),
    db.satisfactionRating.groupBy({ by: ['channel', 'about', 'field', 'procedureCode', 'score'], where: { ratedAt: window }, _count: { _all: true } }),
  ]);
  const groups = grouped.map((g) => ({ channel: g.channel, about: g.about, field: g.field, procedureCode: g.procedureCode, score: g.score, count: g._count._all }));
  const codes = [...new Set(groups.flatMap((g) => (g.procedureCode ? [g.procedureCode] : [])))];
  const names = codes.length === 0 ? new Map<string, string>() : new Map((await db.procedure.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } })).map((p) => [p.code, p.name]));
  const asOf = now < period.end ? now : period.end;
  return { feedback: shapeFeedback(items, period, asOf), satisfaction: shapeSatisfaction(groups, names) };
}
