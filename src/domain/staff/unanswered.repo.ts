/**
 * Questions the bot could not answer, grouped when alike (same folded text) so staff handle a group at once:
 * attach it to a procedure as a situation (situations.repo.ts) or dismiss it.
 */
import type { Db } from '../../db/client.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';

export interface UnansweredGroup {
  folded: string;
  /** The most recent wording. */
  text: string;
  count: number;
  channels: string[];
  firstAt: Date;
  lastAt: Date;
}

/** Open questions grouped by folded text, largest groups first. */
export async function listUnansweredGroups(db: Db, take = 500): Promise<UnansweredGroup[]> {
  const rows = await db.unansweredQuestion.findMany({
    where: { status: 'open' },
    orderBy: { createdAt: 'desc' },
    take: 5000,
    select: { folded: true, text: true, channel: true, createdAt: true },
  });
  const groups = new Map<string, UnansweredGroup>();
  for (const r of rows) {
    const g = groups.get(r.folded);
    if (!g) {
      groups.set(r.folded, { folded: r.folded, text: r.text, count: 1, channels: [r.channel], firstAt: r.createdAt, lastAt: r.createdAt });
      continue;
    }
    g.count++;
    if (!g.channels.includes(r.channel)) g.channels.push(r.channel);
    if (r.createdAt < g.firstAt) g.firstAt = r.createdAt;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime()).slice(0, take);
}


export async function dismissGroup(db: Db, input: { folded: string; who: string }, at = new Date()): Promise<number> {
  return db.$transaction(async (tx) => {
    const r = await tx.unansweredQuestion.updateMany({ where: { folded: input.folded, status: 'open' }, data: { status: 'dismissed', resolvedAt: at } });
    if (r.count === 0) throw new StaffError('Nhóm câu hỏi này đã được xử lý.');
    await recordAudit(tx, { who: input.who, action: 'unanswered.dismiss', entity: 'unanswered', entityId: input.folded.slice(0, 100), detail: { questions: r.count } });
    return r.count;
  });
}
