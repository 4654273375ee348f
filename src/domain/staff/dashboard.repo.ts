/** Figures for the overview page, read straight from the ledger: messages in and out and posts, per local week. */
import type { Db } from '../../db/client.js';
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
    db.inboundMessage.findMany({ where: { receivedAt: { gte: from }, kind: { in: ['text', 'choice'] } }, select: { receivedAt: true } }),
    db.outboundMessage.findMany({
      // Staff-group alerts are not messages to citizens.
      where: { sentAt: { gte: from }, status: 'sent', kind: { not: 'alert' }, OR: [{ topic: null }, { topic: { not: channelTestTopic } }] },
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

/** The menu counts and a fingerprint of the inbox's rows: it changes when any message, assignment or note does. */
export interface AttentionSnapshot {
  counts: { inbox: number; unanswered: number; schedule: number };
  version: string;
}

/**
 * Read from rows, not from this process's events, so a page served by one instance sees what another stored.
 * Cheap: three counts and four indexed maxima.
 */
export async function attentionSnapshot(db: Db): Promise<AttentionSnapshot> {
  const [counts, inbound, outbound, conversation, note] = await Promise.all([
    attentionCounts(db),
    db.inboundMessage.aggregate({ _max: { id: true } }),
    db.outboundMessage.aggregate({ _max: { id: true } }),
    db.conversation.aggregate({ _max: { updatedAt: true } }),
    db.conversationNote.aggregate({ _max: { id: true } }),
  ]);
  const version = [inbound._max.id ?? 0, outbound._max.id ?? 0, conversation._max.updatedAt?.getTime() ?? 0, note._max.id ?? 0, counts.inbox, counts.unanswered, counts.schedule].join('.');
  return { counts, version };
}
