/**
 * Who answers a conversation and what staff know about it: assigning to an officer (or to nobody) and private
 * notes. Notes are rows of their own, never ledger rows, so nothing here can reach a citizen.
 */
import { communeIdOf } from '../../db/tenant.js';
import type { Db } from '../../db/client.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';

export const maxNoteLength = 2000;

export interface Officer {
  id: number;
  name: string;
}

/** Staff who may answer citizens (editors and administrators, not disabled), for the "assign to" choice. */
export async function listOfficers(db: Db): Promise<Officer[]> {
  const rows = await db.staffUser.findMany({
    where: { disabled: false, role: { in: ['administrator', 'editor'] } },
    orderBy: [{ displayName: 'asc' }, { username: 'asc' }],
    select: { id: true, username: true, displayName: true },
  });
  return rows.map((r) => ({ id: r.id, name: r.displayName ?? r.username }));
}

/** Assigns the conversation to `assigneeId` (null: to nobody). */
export async function assignConversation(db: Db, input: { conversationId: number; assigneeId: number | null; who: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    const c = await tx.conversation.findUnique({ where: { id: input.conversationId }, select: { id: true, assignedToId: true } });
    if (!c) throw new StaffError('Không tìm thấy cuộc hội thoại.');
    if (input.assigneeId !== null) {
      const u = await tx.staffUser.findUnique({ where: { id: input.assigneeId }, select: { disabled: true, role: true } });
      if (!u || u.disabled || u.role === 'viewer') throw new StaffError('Hãy chọn một cán bộ đang hoạt động có quyền trả lời người dân.');
    }
    await tx.conversation.update({ where: { id: c.id }, data: { assignedToId: input.assigneeId } });
    await recordAudit(tx, { who: input.who, action: 'conversation.assign', entity: 'conversation', entityId: c.id, detail: { from: c.assignedToId, to: input.assigneeId } });
  });
}

export interface ConversationNoteView {
  id: number;
  author: string;
  text: string;
  at: Date;
}

/** Adds a private note; the text is kept as typed (NFC, trimmed). */
export async function addNote(db: Db, input: { conversationId: number; authorId: number; text: string; who: string }): Promise<void> {
  const text = input.text.normalize('NFC').trim();
  if (text === '') throw new StaffError('Vui lòng nhập nội dung ghi chú.');
  if (text.length > maxNoteLength) throw new StaffError(`Ghi chú dài quá ${maxNoteLength} ký tự.`);
  await db.$transaction(async (tx) => {
    const c = await tx.conversation.findUnique({ where: { id: input.conversationId }, select: { id: true } });
    if (!c) throw new StaffError('Không tìm thấy cuộc hội thoại.');
    const note = await tx.conversationNote.create({ data: { communeId: communeIdOf(tx), conversationId: c.id, authorId: input.authorId, text } });
    await recordAudit(tx, { who: input.who, action: 'conversation.note', entity: 'conversation', entityId: c.id, detail: { noteId: note.id, length: text.length } });
  });
}

export async function listNotes(db: Db, conversationId: number): Promise<ConversationNoteView[]> {
  const rows = await db.conversationNote.findMany({
    where: { conversationId },
    orderBy: { id: 'asc' },
    select: { id: true, text: true, createdAt: true, author: { select: { username: true, displayName: true } } },
  });
  return rows.map((r) => ({ id: r.id, text: r.text, at: r.createdAt, author: r.author ? (r.author.displayName ?? r.author.username) : 'Cán bộ đã xoá' }));
}
