/**
 * Renders channel-neutral replies and posts as Telegram messages, sends them through grammY's Api, and classifies
 * every failure where it is born into a {@link DeliveryError} the ledger understands.
 */
import { GrammyError, HttpError, type Api } from 'grammy';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { DeliveryError, type PublishablePost } from '../../domain/delivery.js';
import type { Capabilities, Choice, LinkButton, Reply } from '../../domain/messages.js';
import { splitText } from '../split-text.js';

/** Telegram's limits as data; sendsPerSecond stays under the ~30/s bulk limit, messages are never windowed. */
export const telegramCapabilities: Capabilities = {
  maxTextLength: 4096,
  maxChoices: 10,
  choiceTitleMax: 60,
  maxLinkButtons: 5,
  sendsPerSecond: 25,
  messagingWindowHours: null,
};

/** callback_data is 1–64 bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;
/** A photo caption is at most 1,024 characters after entity parsing. */
export const CAPTION_MAX = 1024;

/** One sendMessage call. */
export interface TelegramMessage {
  text: string;
  parseMode?: 'HTML';
  replyMarkup?: InlineKeyboardMarkup;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Renders a reply into the messages to send, in order. Long text is split cleanly; the buttons (links as URL
 * buttons, choices as inline callback buttons) go under the last message. Cards are HTML with bold headings.
 */
export function renderReply(reply: Reply, caps: Capabilities = telegramCapabilities): TelegramMessage[] {
  const links = reply.kind === 'choices' ? [] : (reply.links ?? []);
  const choices = reply.kind === 'text' ? [] : (reply.choices ?? []);
  const { buttons: linkButtons, overflow } = linkRows(links, caps);
  const keyboard = [...linkButtons, ...choiceRows(choices, caps)];

  let messages: TelegramMessage[];
  if (reply.kind === 'card') {
    const headings = new Set([reply.title, ...reply.sections.map((s) => s.title)]);
    const plain = [reply.title, ...reply.sections.map((s) => [s.title, ...s.lines.map((l) => `• ${l}`)].join('\n')), ...overflow].join('\n\n');
    messages = splitText(plain, caps.maxTextLength).map((part) => ({
      text: part
        .split('\n')
        .map((line) => (headings.has(line) ? `<b>${escapeHtml(line)}</b>` : escapeHtml(line)))
        .join('\n'),
      parseMode: 'HTML' as const,
    }));
  } else {
    messages = splitText([reply.text, ...overflow].join('\n\n'), caps.maxTextLength).map((text) => ({ text }));
  }
  if (messages.length === 0) messages = [{ text: '…' }];
  if (keyboard.length > 0) messages[messages.length - 1]!.replyMarkup = { inline_keyboard: keyboard };
  return messages;
}

/** Links become URL buttons (http/https only, up to the cap); the others are written into the text. */
function linkRows(links: LinkButton[], caps: Capabilities): { buttons: InlineKeyboardButton[][]; overflow: string[] } {
  const buttons: InlineKeyboardButton[][] = [];
  const overflow: string[] = [];
  for (const link of links) {
    if (/^https?:\/\/\S+$/.test(link.url) && buttons.length < caps.maxLinkButtons) {
      buttons.push([{ text: shorten(link.title, caps.choiceTitleMax), url: link.url }]);
    } else {
      overflow.push(`${link.title}: ${link.url}`);
    }
  }
  return { buttons, overflow };
}

/** One choice per row (Vietnamese titles are long); payloads over 64 bytes cannot be buttons and are left out. */
function choiceRows(choices: Choice[], caps: Capabilities): InlineKeyboardButton[][] {
  return choices
    .filter((c) => c.payload !== '' && Buffer.byteLength(c.payload, 'utf8') <= CALLBACK_DATA_MAX_BYTES)
    .slice(0, caps.maxChoices)
    .map((c) => [{ text: shorten(c.title, caps.choiceTitleMax), callback_data: c.payload }]);
}

function shorten(title: string, max: number): string {
  const chars = [...title.normalize('NFC')];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** Sends the rendered messages in order; resolves with their message ids. */
export async function sendReply(api: Api, chatId: string, reply: Reply, caps: Capabilities = telegramCapabilities): Promise<string[]> {
  const ids: string[] = [];
  const messages = renderReply(reply, caps);
  for (const [i, m] of messages.entries()) {
    try {
      const sent = await api.sendMessage(chatId, m.text, {
        ...(m.parseMode ? { parse_mode: m.parseMode } : {}),
        ...(m.replyMarkup ? { reply_markup: m.replyMarkup } : {}),
      });
      ids.push(String(sent.message_id));
    } catch (e) {
      const partial = ids.length > 0 ? ` (after ${i} of ${messages.length} parts were sent: ${ids.join(',')})` : '';
      throw classifyTelegramError(e, 'reply', partial);
    }
  }
  return ids;
}

/**
 * Publishes a post to the channel: a photo with the text as caption when it has an image and the text fits, else
 * the photo with the title and the text as following messages. Resolves with the first message's id.
 */
export async function publishPost(api: Api, channelId: string, post: PublishablePost, publicBaseUrl?: string): Promise<string> {
  const imageUrl = absoluteUrl(post.imageUrl, publicBaseUrl);
  const title = post.title.normalize('NFC').trim();
  const body = post.body.normalize('NFC').trim();
  const link = post.link ? post.link.trim() : '';
  const plainLength = [title, body, link].filter(Boolean).join('\n\n').length;
  const html = (withTitle: boolean) =>
    [withTitle ? `<b>${escapeHtml(title)}</b>` : '', escapeHtml(body), escapeHtml(link)].filter(Boolean).join('\n\n');
  try {
    if (imageUrl) {
      const fits = plainLength <= CAPTION_MAX;
      const caption = fits ? html(true) : `<b>${escapeHtml(title.slice(0, CAPTION_MAX))}</b>`;
      const photo = await api.sendPhoto(channelId, imageUrl, { caption, parse_mode: 'HTML' });
      if (!fits) {
        for (const part of splitText([body, link].filter(Boolean).join('\n\n'), telegramCapabilities.maxTextLength)) {
          await api.sendMessage(channelId, escapeHtml(part), { parse_mode: 'HTML' });
        }
      }
      return String(photo.message_id);
    }
    let first: string | null = null;
    const plain = [title, body, link].filter(Boolean).join('\n\n');
    for (const part of splitText(plain, telegramCapabilities.maxTextLength)) {
      const bold = first === null && title !== '' && part.startsWith(title);
      const text = bold ? `<b>${escapeHtml(title)}</b>${escapeHtml(part.slice(title.length))}` : escapeHtml(part);
      const sent = await api.sendMessage(channelId, text, { parse_mode: 'HTML' });
      first ??= String(sent.message_id);
    }
    if (first === null) throw new DeliveryError('rejected', 'Empty post', { staffMessage: 'Tin bài không có nội dung.' });
    return first;
  } catch (e) {
    throw e instanceof DeliveryError ? e : classifyTelegramError(e, 'publish');
  }
}

/**
 * Telegram fetches a photo by URL itself, so it needs an absolute public http(s) address. A site path ("/anh/1.jpg")
 * is resolved against PUBLIC_BASE_URL; without one the post goes out as text.
 */
export function absoluteUrl(url: string | null | undefined, publicBaseUrl?: string): string | null {
  const u = url?.trim();
  if (!u) return null;
  if (/^https?:\/\/\S+$/.test(u)) return u;
  if (u.startsWith('/') && !u.startsWith('//') && publicBaseUrl) return `${publicBaseUrl}${u}`;
  return null;
}

/** Network failures that happen before the request reached Telegram: safe to try again. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * Classifies a grammY failure. GrammyError means Telegram answered with an error code: 429 → retry after
 * `retry_after`; 5xx → retry; 401/404 → the token is wrong or revoked (auth); 403 → the citizen blocked the bot
 * (gone), or for the channel the bot lost its admin rights (rejected, staff must fix it); other 4xx → rejected.
 * HttpError means the request failed on the way: a connection refused never reached Telegram (retry), but a timeout
 * or a dropped connection may have been carried out, so it is `unknown` and must not be sent again.
 */
export function classifyTelegramError(e: unknown, purpose: 'reply' | 'publish', note = ''): DeliveryError {
  if (e instanceof GrammyError) {
    const code = e.error_code;
    const message = `Telegram ${e.method} ${code}: ${e.description}${note}`;
    if (code === 429) {
      const retryAfter = e.parameters.retry_after;
      return new DeliveryError('retry', message, { platformCode: code, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}) });
    }
    if (code >= 500) return new DeliveryError('retry', message, { platformCode: code });
    if (code === 401 || code === 404) {
      return new DeliveryError('auth', message, {
        platformCode: code,
        staffMessage: 'Telegram từ chối mã bot (TELEGRAM_BOT_TOKEN sai hoặc đã bị thu hồi). Hãy lấy mã mới từ @BotFather và cập nhật cấu hình.',
      });
    }
    if (code === 403) {
      if (purpose === 'publish') {
        return new DeliveryError('rejected', message, {
          platformCode: code,
          staffMessage: 'Bot chưa là quản trị viên có quyền đăng bài của kênh Telegram (TELEGRAM_CHANNEL_ID). Hãy thêm bot làm quản trị viên kênh.',
        });
      }
      return new DeliveryError('gone', message, { platformCode: code });
    }
    if (purpose === 'publish' && /chat not found/i.test(e.description)) {
      return new DeliveryError('rejected', message, {
        platformCode: code,
        staffMessage: 'Không tìm thấy kênh Telegram theo TELEGRAM_CHANNEL_ID. Hãy kiểm tra lại tên kênh (@ten_kenh) hoặc mã số kênh.',
      });
    }
    return new DeliveryError('rejected', message, { platformCode: code });
  }
  if (e instanceof HttpError) {
    const cause = e.error as { code?: string; errno?: string; type?: string; message?: string } | undefined;
    const code = cause?.code ?? cause?.errno;
    const detail = `${e.message} ${code ?? cause?.message ?? ''}`.trim() + note;
    if (code !== undefined && CONNECT_ERRORS.has(code)) return new DeliveryError('retry', detail, { platformCode: code });
    // A reply that is not JSON (a proxy's 502 page) came from something in front of Telegram that did not process it.
    if (cause?.type === 'invalid-json') return new DeliveryError('retry', detail);
    return new DeliveryError('unknown', detail, code !== undefined ? { platformCode: code } : {});
  }
  if (e instanceof DeliveryError) return e;
  return new DeliveryError('unknown', `${e instanceof Error ? e.message : String(e)}${note}`);
}
