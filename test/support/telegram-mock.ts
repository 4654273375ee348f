/**
 * The Telegram Bot API as a test mock (point TELEGRAM_API_ROOT at `url`): answers /bot<TOKEN>/<method> the way
 * the Bot API documents (ok/result envelopes, Message objects with increasing message_id), records every call.
 */
import { startMockServer, type MockReply, type MockServer, type RecordedRequest } from './mock-server.js';

/** The Bot API method of a recorded request (e.g. 'sendMessage'), or null for other paths. */
export function tgMethod(r: Pick<RecordedRequest, 'path'>): string | null {
  return /^\/bot[^/]+\/(\w+)$/.exec(r.path)?.[1] ?? null;
}

/** JSON body of a recorded Bot API call (grammY posts JSON for calls without files). */
export function tgBody(r: Pick<RecordedRequest, 'body'>): Record<string, unknown> {
  return typeof r.body === 'object' && r.body !== null ? (r.body as Record<string, unknown>) : {};
}

/** A message sent to a chat (not typing indicators, not answerCallbackQuery). */
export function isTelegramSend(r: Pick<RecordedRequest, 'path' | 'body'>, chatId?: string): boolean {
  const m = tgMethod(r);
  return m !== null && /^send(?!ChatAction)\w+$/.test(m) && (chatId === undefined || String(tgBody(r).chat_id) === chatId);
}

/** A documented error envelope, e.g. tgError(429, 'Too Many Requests: retry after 3', { retry_after: 3 }). */
export function tgError(code: number, description: string, parameters?: Record<string, unknown>): MockReply {
  return { status: code, json: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) } };
}

export const BOT_USER = { id: 777000, is_bot: true, first_name: 'UBND xã', username: 'ubnd_xa_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };

export async function startTelegramMock(): Promise<MockServer> {
  let messageId = 1000;
  return startMockServer((r) => {
    const method = tgMethod(r);
    if (!method) return undefined;
    const body = tgBody(r);
    const ok = (result: unknown): MockReply => ({ json: { ok: true, result } });
    switch (method) {
      case 'getMe':
        return ok(BOT_USER);
      case 'getUpdates':
        // A long poll that finds nothing: answer after a pause, as Telegram does with a timeout.
        return { json: { ok: true, result: [] }, delayMs: 200 };
      case 'sendMessage':
      case 'sendPhoto':
        messageId += 1;
        return ok({
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(body.chat_id) || 1, type: String(body.chat_id).startsWith('@') ? 'channel' : 'private' },
          ...(method === 'sendPhoto' ? { photo: [], caption: body.caption ?? '' } : { text: body.text ?? '' }),
        });
      case 'getWebhookInfo':
        return ok({ url: '', has_custom_certificate: false, pending_update_count: 0 });
      default:
        return ok(true);
    }
  });
}
