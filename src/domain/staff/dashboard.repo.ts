/** Figures for the overview page, read straight from the ledger: messages in and out and posts, per local week. */
import type { Db } from '../../db/client.js';
import { citizenMessageKinds } from '../reports/metrics.js';
import { channelTestTopic } from './channels.js';
import { vnWeekStart } from './vn-time.js';

export interface WeekFigures {
  weekStart: Date;
  inbound: number;
  replies: number;
  posts: number;
}

export interface Overview {
  weeks: WeekFigures[];
  waitingStaff: number;
  openUnanswered: number;
  failedLast7Days: number;
  procedures: number;
}

/** The last `weeks` local weeks (Monday to Sunday), oldest first, and the counts staff act on. */
export async function overview(db: Db, now = new Date(), weeks = 12): Promise<Overview> {
  const current = vnWeekStart(now);
  const starts = Array.from({ length: weeks }, (_, i) => new Date(current.getTime() - (weeks - 1 - i) * 7 * 86_400_000));
  const from = starts[0]!;
  const [inbound, outbound, waitingStaff, openUnanswered, failedLast7Days, procedures] = await Promise.all([
    db.inboundMessage.findMany({ where: { receivedAt: { gte: from }, kind: { in: [...citizenMessageKinds] } }, select: { receivedAt: true } }),
    db.outboundMessage.findMany({
      where: { sentAt: { gte: from }, status: 'sent', OR: [{ topic: null }, { topic: { not: channelTestTopic } }] },
      select: { sentAt: true, kind: true },
    }),
    db.conversation.count({ where: { state: 'waiting_staff' } }),
    db.unansweredQuestion.count({ where: { status: 'open' } }),
    db.outboundMessage.count({ where: { status: { in: ['failed', 'unconfirmed'] }, createdAt: { gte: new Date(now.getTime() - 7 * 86_400_000) } } }),
    db.procedure.count({ where: { active: true } }),
  ]);
  const figures = starts.map((weekStart) => ({ weekStart, inbound: 0, replies: 0, posts: 0 }));
  const slot = (d: Date) => figures[Math.floor((d.getTime() - from.getTime()) / (7 * 86_400_000))];
  for (const m of inbound) {
    const f = slot(m.receivedAt);
    if (f) f.inbound++;
  }
  for (const m of outbound) {
    const f = m.sentAt ? slot(m.sentAt) : undefined;
    if (!f) continue;
    if (m.kind === 'post') f.posts++;
    else f.replies++;
  }
  return { weeks: figures, waitingStaff, openUnanswered, failedLast7Days, procedures };
}

/** Counts shown as badges in the menu: conversations waiting for staff, open questions, publications to fix. */
export async function attentionCounts(db: Db): Promise<{ inbox: number; unanswered: number; schedule: number }> {
  const [inbox, unanswered, schedule] = await Promise.all([
    db.conversation.count({ where: { state: 'waiting_staff' } }),
    db.unansweredQuestion.count({ where: { status: 'open' } }),
    db.scheduledPost.count({ where: { state: { in: ['failed', 'unconfirmed', 'missed'] } } }),
  ]);
  return { inbox, unanswered, schedule };
}
