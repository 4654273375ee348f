/**
 * Staff answering citizens: a reply goes through the ledger like every message (queued as kind 'staff', then sent by
 * the dispatcher through the citizen's own channel) signed with the officer's name, the conversation stays with
 * staff (and is assigned to the officer if nobody had it), and the audit trail says who wrote it. Handing back
 * returns the conversation to the bot, which tells the citizen it is back.
 */
import type { Db } from '../../db/client.js';
import { assistantBackReply } from '../conversation/with-staff.js';
import type { Dispatcher } from '../ledger/dispatcher.js';
import { enqueueOutbound } from '../ledger/outbox.repo.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';

export const maxStaffReplyLength = 2000;

export interface StaffReplyResult {
  outboundId: number;
  /** Delivery status after the dispatcher's attempt: sent, pending (will retry), failed, not_sent, unconfirmed. */
  status: string;
  error: string | null;
}

export interface StaffReplyDeps {
  db: Db;
  dispatcher: Pick<Dispatcher, 'dispatch'>;
}

export async function sendStaffReply(
  deps: StaffReplyDeps,
  input: { conversationId: number; text: string; who: string; staffId?: number; author?: string },
): Promise<StaffReplyResult> {
  const { db, dispatcher } = deps;
  const text = input.text.normalize('NFC').trim();
  if (text === '') throw new StaffError('Vui lòng nhập nội dung trả lời.');
  if (text.length > maxStaffReplyLength) throw new StaffError(`Nội dung trả lời dài quá ${maxStaffReplyLength} ký tự; hãy chia thành nhiều tin.`);
  const outboundId = await db.$transaction(async (tx) => {
    const c = await tx.conversation.findUnique({ where: { id: input.conversationId } });
    if (!c) throw new StaffError('Không tìm thấy cuộc hội thoại.');
    const [id] = await enqueueOutbound(tx, [
      {
        channel: c.channel,
        kind: 'staff',
        recipientRef: c.citizenRef,
        address: c.address,
        conversationId: c.id,
        reply: input.author ? { kind: 'text', text, author: input.author } : { kind: 'text', text },
        sendContext: { lastInboundAt: c.lastInboundAt?.toISOString() ?? null },
      },
    ]);
    // Whoever answers an unassigned conversation takes it, as help desks do; an assignment staff chose stays.
    const assign = c.assignedToId === null && input.staffId !== undefined ? { assignedToId: input.staffId } : {};
    await tx.conversation.update({ where: { id: c.id }, data: { state: 'staff', ...assign } });
    await recordAudit(tx, { who: input.who, action: 'conversation.reply', entity: 'conversation', entityId: c.id, detail: { outboundId: id, length: text.length } });
    return id as number;
  });
  await dispatcher.dispatch([outboundId]);
  const row = await db.outboundMessage.findUniqueOrThrow({ where: { id: outboundId }, select: { status: true, lastError: true } });
  return { outboundId, status: row.status, error: row.lastError };
}

/**
 * Gives the conversation back to the bot: the citizen is told the assistant is back (through the ledger) and the
 * next message is answered automatically again.
 */
export async function handBackToBot(deps: StaffReplyDeps, conversationId: number, who: string): Promise<void> {
  const queued = await deps.db.$transaction(async (tx) => {
    const c = await tx.conversation.findUnique({ where: { id: conversationId } });
    if (!c) throw new StaffError('Không tìm thấy cuộc hội thoại.');
    if (c.state === 'bot') throw new StaffError('Cuộc hội thoại này đang do trợ lý tự động trả lời.');
    await tx.conversation.update({ where: { id: c.id }, data: { state: 'bot', handedOverAt: null } });
    const ids = await enqueueOutbound(tx, [
      {
        channel: c.channel,
        kind: 'reply',
        recipientRef: c.citizenRef,
        address: c.address,
        conversationId: c.id,
        reply: assistantBackReply(),
        sendContext: { lastInboundAt: c.lastInboundAt?.toISOString() ?? null },
      },
    ]);
    await recordAudit(tx, { who, action: 'conversation.hand_back', entity: 'conversation', entityId: c.id, detail: { from: c.state } });
    return ids;
  });
  await deps.dispatcher.dispatch(queued);
}
