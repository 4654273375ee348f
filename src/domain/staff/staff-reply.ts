/**
 * Staff answering citizens: a reply goes through the ledger like every message (queued as kind 'staff', then sent by
 * the dispatcher through the citizen's own channel), the conversation stays with staff, and the audit trail says
 * who wrote it. Handing back returns the conversation to the bot.
 */
import type { Db } from '../../db/client.js';
import type { Dispatcher } from '../ledger/dispatcher.js';
import { enqueueOutbound } from '../ledger/outbox.repo.js';
import { queueStaffRatingPrompt } from '../satisfaction/staff-close.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';

export const maxStaffReplyLength = 2000;

export interface StaffReplyResult {
  outboundId: number;
  /** Delivery status after the dispatcher's attempt: sent, pending (will retry), failed, not_sent, unconfirmed. */
  status: string;
  error: string | null;
}

export async function sendStaffReply(
  deps: { db: Db; dispatcher: Pick<Dispatcher, 'dispatch'> },
  input: { conversationId: number; text: string; who: string },
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
        reply: { kind: 'text', text },
        sendContext: { lastInboundAt: c.lastInboundAt?.toISOString() ?? null },
      },
    ]);
    await tx.conversation.update({ where: { id: c.id }, data: { state: 'staff' } });
    await recordAudit(tx, { who: input.who, action: 'conversation.reply', entity: 'conversation', entityId: c.id, detail: { outboundId: id, length: text.length } });
    return id as number;
  });
  await dispatcher.dispatch([outboundId]);
  const row = await db.outboundMessage.findUniqueOrThrow({ where: { id: outboundId }, select: { status: true, lastError: true } });
  return { outboundId, status: row.status, error: row.lastError };
}

/**
 * Gives the conversation back to the bot: the citizen's next message is answered automatically again. When staff
 * held it, the citizen is asked to rate the staff's help; returns that prompt's ledger row to dispatch (or null).
 */
export async function handBackToBot(db: Db, conversationId: number, who: string, now: Date = new Date()): Promise<number | null> {
  return db.$transaction(async (tx) => {
    const c = await tx.conversation.findUnique({ where: { id: conversationId } });
    if (!c) throw new StaffError('Không tìm thấy cuộc hội thoại.');
    await tx.conversation.update({ where: { id: c.id }, data: { state: 'bot', handedOverAt: null } });
    const prompt = c.state === 'staff' ? await queueStaffRatingPrompt(tx, c, now) : null;
    await recordAudit(tx, { who, action: 'conversation.hand_back', entity: 'conversation', entityId: c.id, detail: { from: c.state } });
    return prompt;
  });
}
