/**
 * Messenger outbound: renders channel-neutral replies into Send API messages within Messenger's limits (text under
 * 2,000 characters, ≤13 quick replies with titles ≤20, button templates with ≤3 buttons and text ≤640), calls the
 * Graph API, and classifies Graph errors into DeliveryError kinds where they are born.
 */
import { DeliveryError, type PublishablePost } from '../../domain/delivery.js';
import type { Capabilities, Choice, LinkButton, Reply } from '../../domain/messages.js';
import { requestJson, retryAfterMs, TransportError, type HttpJsonResponse } from '../shared/http-json.js';
import { sendInParts } from '../shared/send-parts.js';
import { shorten, splitText } from '../shared/split-text.js';

export const messengerCapabilities: Capabilities = {
  maxTextLength: 1999,
  maxChoices: 13,
  choiceTitleMax: 20,
  maxLinkButtons: 3,
  // The Send API allows 300 calls/s per Page; stay well below it.
  sendsPerSecond: 250,
  messagingWindowHours: 24,
};

const BUTTON_TEXT_MAX = 640;

/** One Send API `message` object. */
export type GraphMessage =
  | { text: string; quick_replies?: GraphQuickReply[] }
  | { attachment: { type: 'template'; payload: { template_type: 'button'; text: string; buttons: GraphButton[] } }; quick_replies?: GraphQuickReply[] };
interface GraphQuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}
interface GraphButton {
  type: 'web_url';
  title: string;
  url: string;
}

/** Renders one reply into the Send API messages that carry it, in order. */
export function renderMessengerReply(reply: Reply): GraphMessage[] {
  const text = reply.kind === 'card' ? cardText(reply) : reply.text;
  const links = reply.kind === 'choices' ? [] : (reply.links ?? []);
  const choices = reply.kind === 'text' ? [] : (reply.choices ?? []);
  const buttons = links.slice(0, messengerCapabilities.maxLinkButtons);
  // Links beyond three buttons still reach the citizen, as text.
  const overflow = links.slice(buttons.length).map((l) => `${l.title}: ${l.url}`);
  const fullText = [text, ...overflow].filter((t) => t.trim() !== '').join('\n');

  let parts = splitText(fullText, messengerCapabilities.maxTextLength);
  if (parts.length === 0) parts = [buttons.length > 0 || choices.length > 0 ? 'Mời bạn chọn:' : ''].filter(Boolean);
  if (buttons.length > 0) {
    const last = parts.pop() ?? '';
    const tail = splitText(last, BUTTON_TEXT_MAX);
    parts.push(...tail.slice(0, -1));
    parts.push(tail.at(-1) ?? 'Mời bạn chọn:');
  }
  const messages: GraphMessage[] = parts.map((t, i) =>
    i === parts.length - 1 && buttons.length > 0 ? buttonTemplate(t, buttons) : { text: t },
  );
  const last = messages.at(-1);
  if (last && choices.length > 0) last.quick_replies = quickReplies(choices);
  return messages;
}

function cardText(reply: Extract<Reply, { kind: 'card' }>): string {
  return [reply.title, ...reply.sections.map((s) => `${s.title}:\n${s.lines.map((l) => `• ${l}`).join('\n')}`)].join('\n\n');
}

function buttonTemplate(text: string, links: LinkButton[]): GraphMessage {
  return {
    attachment: {
      type: 'template',
      payload: { template_type: 'button', text, buttons: links.map((l) => ({ type: 'web_url', title: shorten(l.title, 20), url: l.url })) },
    },
  };
}

function quickReplies(choices: Choice[]): GraphQuickReply[] {
  return choices
    .slice(0, messengerCapabilities.maxChoices)
    .map((c) => ({ content_type: 'text', title: shorten(c.title, messengerCapabilities.choiceTitleMax), payload: c.payload.slice(0, 1000) }));
}

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  pageAccessToken: string;
  /** Page id, or `me` (the token's Page). */
  pageId: string;
  timeoutMs: number;
}

/** Graph error codes that mean "slow down": app, user, Page, Send API and app-level limits. */
const rateLimitCodes = new Set([4, 17, 32, 613, 341]);
const authCodes = new Set([190, 102, 10]);

/** Classifies a Graph API response that is not a success. */
export function classifyGraphError(res: HttpJsonResponse, now = Date.now()): DeliveryError {
  const error = (res.body as { error?: { code?: number; error_subcode?: number; message?: string } } | null)?.error;
  const code = typeof error?.code === 'number' ? error.code : undefined;
  const message = `Graph API ${res.status}${code !== undefined ? ` code ${code}` : ''}${error?.error_subcode ? `/${error.error_subcode}` : ''}: ${error?.message ?? String(res.body).slice(0, 200)}`;
  const platformCode = code ?? res.status;
  if (code !== undefined && rateLimitCodes.has(code)) return new DeliveryError('retry', message, { platformCode, retryAfterMs: graphRetryHint(res, now) });
  if (code !== undefined && (authCodes.has(code) || (code >= 200 && code <= 299))) {
    return new DeliveryError('auth', message, { platformCode, staffMessage: `Mã truy cập Trang Facebook hết hạn hoặc thiếu quyền (mã lỗi ${code}). Vui lòng cấp lại mã truy cập Trang.` });
  }
  if (code === 551) return new DeliveryError('gone', message, { platformCode });
  if (res.status === 429 || res.status >= 500) return new DeliveryError('retry', message, { platformCode, retryAfterMs: graphRetryHint(res, now) });
  if (res.status === 401) return new DeliveryError('auth', message, { platformCode });
  return new DeliveryError('rejected', message, { platformCode });
}

/** Retry-After, or the "estimated_time_to_regain_access" (minutes) Graph puts in its usage headers. */
function graphRetryHint(res: HttpJsonResponse, now: number): number | undefined {
  const direct = retryAfterMs(res.headers, now);
  if (direct !== undefined) return direct;
  let minutes = 0;
  for (const name of ['x-business-use-case-usage', 'x-app-usage', 'x-page-usage']) {
    const value = res.headers[name];
    if (typeof value !== 'string') continue;
    const found = value.match(/"estimated_time_to_regain_access"\s*:\s*(\d+)/g) ?? [];
    for (const f of found) minutes = Math.max(minutes, Number(f.replace(/\D+/g, '')));
  }
  return minutes > 0 ? minutes * 60_000 : undefined;
}

/** Transport failures: never sent → retry; sent without an answer → unknown (it may have been delivered). */
export function classifyTransport(e: unknown, what: string): DeliveryError {
  if (e instanceof TransportError) {
    return e.written
      ? new DeliveryError('unknown', `${what}: ${e.message} after the request was sent; delivery unknown`, { platformCode: e.code })
      : new DeliveryError('retry', `${what}: ${e.message}`, { platformCode: e.code });
  }
  return new DeliveryError('unknown', `${what}: ${e instanceof Error ? e.message : String(e)}`);
}

/** The Graph API calls the Messenger channel makes. */
export class GraphClient {
  constructor(private readonly options: GraphClientOptions) {}

  private url(path: string): string {
    return `${this.options.baseUrl}/${this.options.version}/${path}`;
  }

  /** POSTs JSON to a Graph path; returns the JSON body or throws a classified DeliveryError. */
  async post(path: string, json: unknown, what: string): Promise<Record<string, unknown>> {
    let res: HttpJsonResponse;
    try {
      res = await requestJson({
        method: 'POST',
        url: this.url(path),
        headers: { authorization: `Bearer ${this.options.pageAccessToken}` },
        json,
        timeoutMs: this.options.timeoutMs,
      });
    } catch (e) {
      throw classifyTransport(e, what);
    }
    const body = res.body as Record<string, unknown> | null;
    if (res.status >= 200 && res.status < 300 && body && typeof body === 'object' && !('error' in body)) return body;
    throw classifyGraphError(res);
  }

  /** Sends one reply as one or more Send API calls; returns the message ids. */
  async sendReply(psid: string, reply: Reply): Promise<string[]> {
    return sendInParts(renderMessengerReply(reply), async (message) => {
      const body = await this.post(`${this.options.pageId}/messages`, { recipient: { id: psid }, messaging_type: 'RESPONSE', message }, 'Send API');
      return String(body.message_id ?? '');
    });
  }

  /** Publishes a post on the Page: a photo post when it has an image, else a feed post (with its link). */
  async publish(post: PublishablePost): Promise<string> {
    const message = [post.title, post.body].filter((t) => t.trim() !== '').join('\n\n').normalize('NFC');
    if (post.imageUrl) {
      const caption = post.link ? `${message}\n\n${post.link}` : message;
      const body = await this.post(`${this.options.pageId}/photos`, { url: post.imageUrl, caption }, 'Page photo');
      return String(body.post_id ?? body.id ?? '');
    }
    const body = await this.post(`${this.options.pageId}/feed`, post.link ? { message, link: post.link } : { message }, 'Page feed');
    return String(body.id ?? '');
  }
}
