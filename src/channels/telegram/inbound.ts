/**
 * Telegram updates → {@link InboundMessage}. Only what a citizen does in a private chat with the bot becomes a message:
 * typed text, /start, a pressed inline button, anything else they send (photo, voice, sticker: `unsupported`, so the
 * engine can say it reads text only). Group chats, channel posts (our own publications echo back as these), edits
 * and every other update kind are ignored.
 */
import type { Message, Update } from 'grammy/types';
import { z } from 'zod';
import type { InboundMessage } from '../../domain/messages.js';

const chat = z.object({ id: z.number().int().refine(Number.isSafeInteger), type: z.string() });
const user = z.object({ id: z.number().int(), is_bot: z.boolean() });
const keyboard = z.object({ inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))) });
const message = z.object({
  message_id: z.number().int().refine(Number.isSafeInteger),
  chat,
  from: user.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  reply_markup: keyboard.optional(),
});
/** The parts of an Update that {@link toInbound} reads; other update kinds pass unchecked (they are ignored). */
const answerable = z.object({
  message: message.optional(),
  callback_query: z.object({ id: z.string().min(1), from: user, data: z.string().optional(), message: z.object({ chat, reply_markup: keyboard.optional() }).optional() }).optional(),
});

/** Checks a verified update's shape before {@link toInbound} reads it: null when fine, else the reason. */
export function updateProblem(update: unknown): string | null {
  const r = answerable.safeParse(update);
  if (r.success) return null;
  const issue = r.error.issues[0];
  return `update has an unexpected shape: ${issue?.path.join('.') || '(update)'}: ${issue?.message ?? 'invalid'}`;
}

/**
 * The idempotency key must stay the same when Telegram re-delivers the same update. Both update_id and message_id
 * do, but update_id may restart from a random value after a week without updates, and message_id is only unique
 * within a chat; so messages use `chat:message_id` and button presses the callback query's own global id.
 */
export function messageKey(chatId: number, messageId: number): string {
  return `msg:${chatId}:${messageId}`;
}

export function callbackKey(callbackQueryId: string): string {
  return `cb:${callbackQueryId}`;
}

/** The citizen's message in this update, or null when the update is not one the service answers. */
export function toInbound(update: Update, receivedAt: Date = new Date()): InboundMessage | null {
  if (update.message) return fromMessage(update.message, receivedAt);
  const query = update.callback_query;
  if (query) {
    const chat = query.message?.chat;
    // Inline-mode buttons have no chat to answer into; only buttons under our own messages in a private chat count.
    if (!chat || chat.type !== 'private' || query.from.is_bot) return null;
    const payload = query.data;
    if (payload === undefined) return null;
    return {
      channel: 'telegram',
      platformMessageId: callbackKey(query.id),
      address: String(chat.id),
      kind: 'choice',
      text: buttonTitle(query.message, payload).normalize('NFC'),
      payload,
      receivedAt,
      replyContext: { callbackQueryId: query.id },
    };
  }
  return null;
}

function fromMessage(message: Message, receivedAt: Date): InboundMessage | null {
  if (message.chat.type !== 'private' || !message.from || message.from.is_bot) return null;
  const base = {
    channel: 'telegram' as const,
    platformMessageId: messageKey(message.chat.id, message.message_id),
    address: String(message.chat.id),
    receivedAt,
  };
  const text = message.text;
  if (text === undefined) return { ...base, kind: 'unsupported', text: (message.caption ?? '').normalize('NFC') };
  const start = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/.exec(text);
  if (start) return { ...base, kind: 'start', text: '', ...(start[1] ? { payload: start[1] } : {}) };
  return { ...base, kind: 'text', text: text.normalize('NFC') };
}

/** The title of the pressed button, found in the keyboard of the message it was under (empty when not found). */
function buttonTitle(message: { reply_markup?: { inline_keyboard: { text: string; callback_data?: string }[][] } } | undefined, payload: string): string {
  for (const row of message?.reply_markup?.inline_keyboard ?? []) {
    for (const button of row) if (button.callback_data === payload) return button.text;
  }
  return '';
}
