/**
 * When staff hand a conversation back to the bot, the citizen is asked once how satisfied they are with the staff's
 * help: the prompt is a ledger row (sent through the citizen's channel) and the conversation context remembers it,
 * so the answer is recorded as a rating about staff.
 */
import type { DbTx } from '../../db/client.js';
import { mayAsk, promptedState, ratingPrompt, readRatingState } from '../conversation/rating-flow.js';
import { enqueueOutbound } from '../ledger/outbox.repo.js';

/** Queues the prompt inside the caller's transaction; returns the ledger row id, or null when it is not due. */
export async function queueStaffRatingPrompt(
  tx: DbTx,
  conversation: { id: number; channel: string; address: string; citizenRef: string; context: unknown; lastInboundAt: Date | null },
  now: Date,
): Promise<number | null> {
  const context = conversation.context && typeof conversation.context === 'object' && !Array.isArray(conversation.context) ? (conversation.context as Record<string, unknown>) : {};
  const state = readRatingState(context.rating);
  if (!mayAsk(state, now, 'staff')) return null;
  const [id] = await enqueueOutbound(
    tx,
    [
      {
        channel: conversation.channel, kind: 'reply', recipientRef: conversation.citizenRef, address: conversation.address, conversationId: conversation.id,
        reply: ratingPrompt('staff'), sendContext: { lastInboundAt: conversation.lastInboundAt?.toISOString() ?? null },
      },
    ],
    now,
  );
  await tx.conversation.update({ where: { id: conversation.id }, data: { context: { ...context, rating: promptedState('staff', now) } as object } });
  return id ?? null;
}
