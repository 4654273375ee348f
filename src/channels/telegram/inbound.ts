/**
 * Telegram updates → {@link InboundMessage}. Only what a citizen does in a private chat with the bot becomes a message:
 * typed text, /start, a pressed inline button, anything else they send (photo, voice, sticker: `unsupported`, so the
 * engine can say it reads text only). Group chats, channel posts (our own publications echo back as these), edits
 * and every other update kind are ignored.
 */
import type { Message, Update } from 'grammy/types';
import type { InboundMessage } from '../../domain/messages.js';

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
