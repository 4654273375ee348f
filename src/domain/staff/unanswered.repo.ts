/**
 * Questions the bot could not answer, grouped when alike (same folded text) so staff handle a group at once:
 * attach it to a procedure (its text becomes an alias the search learns) or dismiss it.
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


function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Attaches every open question of a group to a procedure: `alias` (default: the group's text) is added to the
 * procedure's aliases unless already there.
 */
export async function attachGroup(db: Db, input: { folded: string; procedureCode: string; alias?: string; who: string }, at = new Date()): Promise<{ questions: number; aliasAdded: boolean }> {
  return db.$transaction(async (tx) => {
    const procedure = await tx.procedure.findFirst({ where: { code: input.procedureCode.trim() } });
    if (!procedure) throw new StaffError(`Không có thủ tục mã “${input.procedureCode}”. Hãy chọn thủ tục trong danh sách.`);
    const sample = await tx.unansweredQuestion.findFirst({ where: { folded: input.folded, status: 'open' }, orderBy: { createdAt: 'desc' } });
    if (!sample) throw new StaffError('Nhóm câu hỏi này đã được xử lý.');
    const alias = (input.alias?.trim() || sample.text).normalize('NFC').slice(0, 200);
    const aliases = asStrings(procedure.aliases);
    const aliasAdded = !aliases.some((a) => a.toLowerCase() === alias.toLowerCase());
    if (aliasAdded) await tx.procedure.update({ where: { id: procedure.id }, data: { aliases: [...aliases, alias] } });
    const r = await tx.unansweredQuestion.updateMany({
      where: { folded: input.folded, status: 'open' },
      data: { status: 'attached', procedureCode: procedure.code, resolvedAt: at },
    });
    await recordAudit(tx, { who: input.who, action: 'unanswered.attach', entity: 'procedure', entityId: procedure.code, detail: { alias, aliasAdded, questions: r.count } });
    return { questions: r.count, aliasAdded };
  });
}

export async function dismissGroup(db: Db, input: { folded: string; who: string }, at = new Date()): Promise<number> {
  return db.$transaction(async (tx) => {
    const r = await tx.unansweredQuestion.updateMany({ where: { folded: input.folded, status: 'open' }, data: { status: 'dismissed', resolvedAt: at } });
    if (r.count === 0) throw new StaffError('Nhóm câu hỏi này đã được xử lý.');
    await recordAudit(tx, { who: input.who, action: 'unanswered.dismiss', entity: 'unanswered', entityId: input.folded.slice(0, 100), detail: { questions: r.count } });
    return r.count;
  });
}
