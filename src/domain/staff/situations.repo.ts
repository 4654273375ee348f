/**
 * Teaching the bot from the unanswered-question review: a group of alike questions becomes a *situation* of a
 * procedure (how citizens describe the need, in their words), which the search weighs like the procedure's own text.
 * Every attach can be undone: the situation is removed and the questions go back to the open review.
 * The admin pages (issue 10) call these; the preview of what would change is in conversation/situation-preview.ts.
 */
import type { Db } from '../../db/client.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';

/** Longest situation kept (the import and the admin form accept the same). */
export const situationMaxLength = 500;

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function sameText(a: string, b: string): boolean {
  return a.normalize('NFC').trim().toLowerCase() === b.normalize('NFC').trim().toLowerCase();
}

export interface AttachSituationInput {
  /** The group's folded text (UnansweredQuestion.folded). */
  folded: string;
  procedureCode: string;
  /** The situation as staff edited it; default: the group's latest wording. */
  situation?: string;
  who: string;
}

/**
 * Attaches every open question of a group to a procedure and adds the situation to the procedure unless it is
 * already there. Throws {@link StaffError} (Vietnamese) when the procedure or the open group does not exist.
 */
export async function attachGroupAsSituation(
  db: Db,
  input: AttachSituationInput,
  at = new Date(),
): Promise<{ questions: number; situation: string; situationAdded: boolean }> {
  return db.$transaction(async (tx) => {
    const procedure = await tx.procedure.findFirst({ where: { code: input.procedureCode.trim() } });
    if (!procedure) throw new StaffError(`Không có thủ tục mã “${input.procedureCode}”. Hãy chọn thủ tục trong danh sách.`);
    const sample = await tx.unansweredQuestion.findFirst({ where: { folded: input.folded, status: 'open' }, orderBy: { createdAt: 'desc' } });
    if (!sample) throw new StaffError('Nhóm câu hỏi này đã được xử lý.');
    const situation = (input.situation?.trim() || sample.text.trim()).normalize('NFC').slice(0, situationMaxLength);
    if (situation === '') throw new StaffError('Vui lòng nhập tình huống (câu người dân hay hỏi).');
    const situations = asStrings(procedure.situations);
    const situationAdded = !situations.some((s) => sameText(s, situation));
    if (situationAdded) await tx.procedure.update({ where: { id: procedure.id }, data: { situations: [...situations, situation] } });
    const r = await tx.unansweredQuestion.updateMany({
      where: { folded: input.folded, status: 'open' },
      data: { status: 'attached', procedureCode: procedure.code, resolvedAt: at },
    });
    await recordAudit(tx, {
      who: input.who,
      action: 'unanswered.attach_situation',
      entity: 'procedure',
      entityId: procedure.code,
      detail: { folded: input.folded, situation, situationAdded, questions: r.count },
    });
    return { questions: r.count, situation, situationAdded };
  });
}

/**
 * Undoes {@link attachGroupAsSituation}: removes the situation from the procedure (when it is there) and puts the
 * group's questions attached to that procedure back into the open review.
 */
export async function undoGroupSituation(
  db: Db,
  input: { folded: string; procedureCode: string; situation: string; who: string },
): Promise<{ questions: number; situationRemoved: boolean }> {
  return db.$transaction(async (tx) => {
    const procedure = await tx.procedure.findFirst({ where: { code: input.procedureCode.trim() } });
    if (!procedure) throw new StaffError(`Không có thủ tục mã “${input.procedureCode}”.`);
    const situations = asStrings(procedure.situations);
    const kept = situations.filter((s) => !sameText(s, input.situation));
    const situationRemoved = kept.length !== situations.length;
    if (situationRemoved) await tx.procedure.update({ where: { id: procedure.id }, data: { situations: kept } });
    const r = await tx.unansweredQuestion.updateMany({
      where: { folded: input.folded, status: 'attached', procedureCode: procedure.code },
      data: { status: 'open', procedureCode: null, resolvedAt: null },
    });
    if (!situationRemoved && r.count === 0) throw new StaffError('Không có gì để hoàn tác: tình huống này không còn gắn với thủ tục.');
    await recordAudit(tx, {
      who: input.who,
      action: 'unanswered.undo_situation',
      entity: 'procedure',
      entityId: procedure.code,
      detail: { folded: input.folded, situation: input.situation, situationRemoved, questions: r.count },
    });
    return { questions: r.count, situationRemoved };
  });
}
