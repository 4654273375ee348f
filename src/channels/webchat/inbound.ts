/**
 * The web chat's inbound side: zod schemas of the browser's API bodies and their conversion into InboundMessage.
 * The browser names each message with its own random id, so a double click or a retry after a lost answer is the
 * same platform message and is stored (and answered) once.
 */
import { z } from 'zod';
import type { InboundMessage } from '../../domain/messages.js';
import { sessionPattern, sessionTag } from './session.js';

/** Longest question a citizen may type (characters after NFC). */
export const maxMessageLength = 1000;
/** Longest wait of one long poll, in seconds (below common proxy idle timeouts). */
export const maxWaitSeconds = 25;

const session = z.string().regex(sessionPattern);
const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

const textMessage = z.object({ session, id: clientId, text: z.string().max(20_000) }).strict();
const choiceMessage = z
  .object({
    session,
    id: clientId,
    payload: z.string().min(1).refine((p) => Buffer.byteLength(p) <= 64, 'payload over 64 bytes'),
    title: z.string().max(200),
  })
  .strict();
const startEvent = z.object({ session, event: z.literal('start') }).strict();

export const postMessageSchema = z.union([textMessage, choiceMessage, startEvent]);
export type PostMessageBody = z.infer<typeof postMessageSchema>;

export const repliesQuerySchema = z
  .object({
    session,
    after: z.number().int().min(0).default(0),
    wait: z.number().min(0).max(maxWaitSeconds).default(0),
  })
  .strict();

export const historyQuerySchema = z.object({ session }).strict();

/** Why a well-formed message is still refused, in words for the citizen. */
export type MessageProblem = 'empty' | 'too_long';

export const messageProblemText: Record<MessageProblem, string> = {
  empty: 'Xin vui lòng nhập câu hỏi trước khi gửi.',
  too_long: `Tin nhắn dài quá (tối đa ${maxMessageLength} ký tự). Xin vui lòng rút gọn câu hỏi và gửi lại.`,
};

/** Turns a validated API body into the InboundMessage the inbox stores, or names what is wrong with it. */
export function toInboundMessage(body: PostMessageBody, receivedAt: Date): InboundMessage | MessageProblem {
  const base = { channel: 'webchat' as const, address: body.session, receivedAt };
  const tag = sessionTag(body.session);
  if ('event' in body) {
    // One greeting per session however often the page is opened: the id is fixed.
    return { ...base, platformMessageId: `${tag}:start`, kind: 'start', text: '' };
  }
  if ('payload' in body) {
    return { ...base, platformMessageId: `${tag}:${body.id}`, kind: 'choice', text: body.title.normalize('NFC').trim(), payload: body.payload };
  }
  const text = body.text.normalize('NFC').trim();
  if (text === '') return 'empty';
  if ([...text].length > maxMessageLength) return 'too_long';
  return { ...base, platformMessageId: `${tag}:${body.id}`, kind: 'text', text };
}
