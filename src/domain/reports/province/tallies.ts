/**
 * The province's report: every commune's tallies of one period side by side, with the province's totals — what the
 * Sở Nội vụ compiles by hand from commune reports. Each commune's figures come from its own roll-ups, read through
 * its commune-scoped client, so the province view is exactly the sum of the commune reports.
 */
import { loadFeedbackFigures } from '../feedback-figures.js';
import type { DbTx } from '../../../db/client.js';
import { periodPhrase, type Period } from '../period.js';
import { computeTallies, type Tallies } from '../tallies.js';

/** One commune's line of the province table. */
export interface ProvinceFigures {
  /** Tin bài: published by the service plus recorded by hand. */
  posts: number;
  postsService: number;
  postsManual: number;
  replies: number;
  inbound: number;
  citizens: number;
  answered: number;
  unanswered: number;
  handovers: number;
  staffReplies: number;
  failed: number;
  /** Phản ánh, kiến nghị received in the period, answered within their time limit, still open past it. */
  feedbackReceived: number;
  feedbackAnsweredOnTime: number;
  feedbackOverdue: number;
  /** Satisfaction ratings given in the period, and how many were «hài lòng» (counts: they add up across communes). */
  ratings: number;
  ratingsSatisfied: number;
}

export interface ProvinceRow extends ProvinceFigures {
  slug: string;
  name: string;
}

export interface ProvinceReport {
  period: Tallies['period'];
  communes: ProvinceRow[];
  totals: ProvinceFigures;
}

/** Column keys and Vietnamese headers, in table order (shared by every export and the admin page). */
export const PROVINCE_COLUMNS: readonly { key: keyof ProvinceFigures; label: string }[] = [
  { key: 'posts', label: 'Tin bài (tổng)' },
  { key: 'postsService', label: 'Tin bài do hệ thống đăng' },
  { key: 'postsManual', label: 'Tin bài ghi nhận thủ công' },
  { key: 'inbound', label: 'Tin nhắn của người dân' },
  { key: 'citizens', label: 'Số người dân hỏi' },
  { key: 'replies', label: 'Tin trả lời tự động' },
  { key: 'answered', label: 'Câu hỏi được trả lời' },
  { key: 'unanswered', label: 'Câu hỏi chưa trả lời được' },
  { key: 'handovers', label: 'Chuyển cán bộ' },
  { key: 'staffReplies', label: 'Tin cán bộ trả lời' },
  { key: 'failed', label: 'Tin gửi lỗi' },
  { key: 'feedbackReceived', label: 'Phản ánh, kiến nghị tiếp nhận' },
  { key: 'feedbackAnsweredOnTime', label: 'Phản ánh trả lời đúng hạn' },
  { key: 'feedbackOverdue', label: 'Phản ánh quá hạn chưa xử lý' },
  { key: 'ratings', label: 'Lượt đánh giá' },
  { key: 'ratingsSatisfied', label: 'Lượt hài lòng' },
];

/** The province line of one commune's tallies and feedback figures (pure). */
export function figuresOf(t: Tallies, f: Awaited<ReturnType<typeof loadFeedbackFigures>> | null = null): ProvinceFigures {
  return {
    feedbackReceived: f?.feedback.received ?? 0,
    feedbackAnsweredOnTime: f?.feedback.answeredOnTime ?? 0,
    feedbackOverdue: f?.feedback.overdue ?? 0,
    ratings: f?.satisfaction.overall.total ?? 0,
    ratingsSatisfied: f?.satisfaction.overall.satisfied ?? 0,
    posts: t.posts.total,
    postsService: t.posts.service,
    postsManual: t.posts.manual,
    replies: t.replies.total,
    inbound: t.inbound.messages,
    citizens: t.inbound.citizens,
    answered: t.questions.answered,
    unanswered: t.questions.unanswered,
    handovers: t.staff.handovers,
    staffReplies: t.staff.replies,
    failed: t.failed.total,
  };
}

/** Sums the communes' figures (pure). Citizens are summed too: a citizen ref belongs to one commune. */
export function totalsOf(rows: readonly ProvinceFigures[]): ProvinceFigures {
  const totals = Object.fromEntries(PROVINCE_COLUMNS.map((c) => [c.key, 0])) as unknown as ProvinceFigures;
  for (const row of rows) for (const { key } of PROVINCE_COLUMNS) totals[key] += row[key];
  return totals;
}

/** A commune as the province report reads it: its slug, name and a client scoped to it. */
export interface CommuneSource {
  slug: string;
  name: string;
  db: DbTx;
}

/** Computes every commune's tallies for the period (one commune at a time: bounded memory and connections). */
export async function computeProvinceReport(communes: readonly CommuneSource[], period: Period, now: Date = new Date()): Promise<ProvinceReport> {
  const rows: ProvinceRow[] = [];
  let shape: Tallies['period'] | null = null;
  for (const c of communes) {
    const t = await computeTallies(c.db, period);
    const f = await loadFeedbackFigures(c.db, period, now);
    shape ??= t.period;
    rows.push({ slug: c.slug, name: c.name, ...figuresOf(t, f) });
  }
  const periodOut = shape ?? {
    key: period.key, label: period.label, phrase: periodPhrase(period), firstDay: period.firstDay, lastDay: period.lastDay,
    start: period.start.toISOString(), end: period.end.toISOString(),
  };
  return { period: periodOut, communes: rows, totals: totalsOf(rows) };
}
