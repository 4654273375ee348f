/**
 * Attaching an unanswered question to a procedure, and undoing it, through ONE pair of functions. The question is
 * stored in `learnedField` of the procedure: `situations`, since the search weighs a citizen's own wording there
 * (issue 9) and a situation does not claim to be the procedure's name as an alias would.
 */
import type { Db, DbTx } from '../../db/client.js';
import { communeIdOf, tenantOf } from '../../db/tenant.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';

/** The procedure list the search learns an attached question from. */
export const learnedField: 'aliases' | 'situations' = 'situations';

export const attachedTextMaxLength = 200;

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function sameText(a: string, b: string): boolean {
  return a.normalize('NFC').trim().toLowerCase() === b.normalize('NFC').trim().toLowerCase();
}

/**
 * Where the learned wording goes: the procedure row, or, when the commune shares its catalog with other communes,
 * the commune's override (its extra situations), so one commune's questions never change another's answers.
 */
async function learnedStore(tx: DbTx, procedure: { id: number; situations: unknown; aliases: unknown }) {
  const tenant = tenantOf(tx);
  const shared = tenant ? (await tx.commune.count({ where: { catalogId: tenant.catalogId } })) > 1 : false;
  if (!shared) {
    return {
      list: asStrings(procedure[learnedField]),
      save: (list: string[]) => tx.procedure.update({ where: { id: procedure.id }, data: { [learnedField]: list } }).then(() => undefined),
    };
  }
  const communeId = communeIdOf(tx);
  const key = learnedField === 'situations' ? 'extraSituations' : 'extraAliases';
  const override = await tx.procedureOverride.findFirst({ where: { procedureId: procedure.id } });
  return {
    list: asStrings(override?.[key]),
    save: (list: string[]) =>
      tx.procedureOverride
        .upsert({ where: { communeId_procedureId: { communeId, procedureId: procedure.id } }, create: { communeId, procedureId: procedure.id, [key]: list }, update: { [key]: list } })
        .then(() => undefined),
  };
}

/** Attaches every open question of the group to the procedure and teaches the procedure `text` (default: the group's latest wording). */
export async function attachQuestion(db: Db, input: { folded: string; procedureCode: string; text?: string; who: string }, at = new Date()): Promise<{ questions: number; text: string }> {
  return db.$transaction(async (tx) => {
    const procedure = await tx.procedure.findFirst({ where: { code: input.procedureCode.trim() } });
    if (!procedure) throw new StaffError(`Không có thủ tục mã “${input.procedureCode}”. Hãy chọn thủ tục trong danh sách.`);
    const sample = await tx.unansweredQuestion.findFirst({ where: { folded: input.folded, status: 'open' }, orderBy: { createdAt: 'desc' } });
    if (!sample) throw new StaffError('Nhóm câu hỏi này đã được xử lý.');
    const text = (input.text?.trim() || sample.text.trim()).normalize('NFC').slice(0, attachedTextMaxLength);
    const store = await learnedStore(tx, procedure);
    const inCatalog = asStrings(procedure[learnedField]).some((s) => sameText(s, text));
    if (!inCatalog && !store.list.some((s) => sameText(s, text))) await store.save([...store.list, text]);
    const r = await tx.unansweredQuestion.updateMany({ where: { folded: input.folded, status: 'open' }, data: { status: 'attached', procedureCode: procedure.code, resolvedAt: at } });
    await recordAudit(tx, { who: input.who, action: 'unanswered.attach', entity: 'procedure', entityId: procedure.code, detail: { folded: input.folded, text, field: learnedField, questions: r.count } });
    return { questions: r.count, text };
  });
}

/** Undoes {@link attachQuestion}: the text leaves the procedure and the group's questions return to the review. */
export async function undoAttachQuestion(db: Db, input: { folded: string; procedureCode: string; text: string; who: string }): Promise<{ questions: number }> {
  return db.$transaction(async (tx) => {
    const procedure = await tx.procedure.findFirst({ where: { code: input.procedureCode.trim() } });
    if (!procedure) throw new StaffError(`Không có thủ tục mã “${input.procedureCode}”.`);
    const store = await learnedStore(tx, procedure);
    const list = store.list;
    const kept = list.filter((s) => !sameText(s, input.text));
    if (kept.length !== list.length) await store.save(kept);
    const r = await tx.unansweredQuestion.updateMany({ where: { folded: input.folded, status: 'attached', procedureCode: procedure.code }, data: { status: 'open', procedureCode: null, resolvedAt: null } });
    if (kept.length === list.length && r.count === 0) throw new StaffError('Không có gì để hoàn tác: câu hỏi này không còn gắn với thủ tục.');
    await recordAudit(tx, { who: input.who, action: 'unanswered.undo', entity: 'procedure', entityId: procedure.code, detail: { folded: input.folded, text: input.text, field: learnedField, questions: r.count } });
    return { questions: r.count };
  });
}
