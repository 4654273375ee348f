/**
 * Zalo OA outbound: consultation ("tư vấn") messages that quote the citizen's msg_id (so the reply stays free),
 * choices as `oa.query.show` buttons, links as `oa.open.url`, text split at 2,000 characters; articles for posts.
 * Zalo answers errors with HTTP 200 and `{error: ≠0}`; they are classified here.
 */
import { DeliveryError, type PublishablePost } from '../../domain/delivery.js';
import type { Capabilities, Choice, LinkButton, Reply } from '../../domain/messages.js';
import { requestJson, retryAfterMs, type HttpJsonResponse } from '../shared/http-json.js';
import { sendInParts } from '../shared/send-parts.js';
import { shorten, splitText } from '../shared/split-text.js';
import { classifyTransport } from '../messenger/send.js';
import type { ChoiceMemory } from './choice-memory.js';
import type { ZaloTokens } from './tokens.js';

export const zaloCapabilities: Capabilities = {
  maxTextLength: 2000,
  maxChoices: 5,
  choiceTitleMax: 40,
  maxLinkButtons: 2,
  // Reported limit: 20 sends/s per OA.
  sendsPerSecond: 15,
  messagingWindowHours: 168,
};

const BUTTONS_MAX = 5;

type ZaloButton = { title: string; type: 'oa.query.show'; payload: string } | { title: string; type: 'oa.open.url'; payload: { url: string } };
export type ZaloMessage = { text: string } | { text: string; attachment: { type: 'template'; payload: { template_type: 'button'; buttons: ZaloButton[] } } };

/** Renders one reply into the CS messages that carry it, in order; the buttons ride on the last one. */
export function renderZaloReply(reply: Reply): ZaloMessage[] {
  const text =
    reply.kind === 'card'
      ? [reply.title, ...reply.sections.map((s) => `${s.title}:\n${s.lines.map((l) => `• ${l}`).join('\n')}`)].join('\n\n')
      : reply.text;
  const links: LinkButton[] = reply.kind === 'choices' ? [] : (reply.links ?? []);
  const choices: Choice[] = reply.kind === 'text' ? [] : (reply.choices ?? []);
  const linkButtons = links.slice(0, zaloCapabilities.maxLinkButtons);
  const overflow = links.slice(linkButtons.length).map((l) => `${l.title}: ${l.url}`);
  const parts = splitText([text, ...overflow].filter((t) => t.trim() !== '').join('\n'), zaloCapabilities.maxTextLength);
  const buttons: ZaloButton[] = [
    ...choices.map((c): ZaloButton => {
      const title = shorten(c.title, zaloCapabilities.choiceTitleMax);
      return { title, type: 'oa.query.show', payload: title };
    }),
    ...linkButtons.map((l): ZaloButton => ({ title: shorten(l.title, zaloCapabilities.choiceTitleMax), type: 'oa.open.url', payload: { url: l.url } })),
  ].slice(0, BUTTONS_MAX);
  if (buttons.length === 0) return parts.map((t) => ({ text: t }));
  const last = parts.pop() ?? 'Mời bạn chọn:';
  return [...parts.map((t) => ({ text: t })), { text: last, attachment: { type: 'template', payload: { template_type: 'button', buttons } } }];
}

/** The choices a rendered reply offers as buttons (title shown → engine payload), for {@link ChoiceMemory}. */
export function offeredChoices(reply: Reply): { title: string; payload: string }[] {
  if (reply.kind === 'text') return [];
  return (reply.choices ?? []).slice(0, BUTTONS_MAX).map((c) => ({ title: shorten(c.title, zaloCapabilities.choiceTitleMax), payload: c.payload }));
}

const tokenCodes = new Set([-216, -220]);

/** Classifies a Zalo OpenAPI answer that is not a success (HTTP error, or HTTP 200 with error ≠ 0). */
export function classifyZaloError(res: HttpJsonResponse, what: string): DeliveryError {
  const body = (res.body ?? {}) as { error?: unknown; message?: unknown };
  const code = Number(body.error);
  const message = `${what}: HTTP ${res.status}${Number.isFinite(code) ? ` error ${code}` : ''} ${typeof body.message === 'string' ? body.message : ''}`.trim();
  if (res.status === 429 || res.status >= 500) return new DeliveryError('retry', message, { platformCode: res.status, retryAfterMs: retryAfterMs(res.headers) });
  if (!Number.isFinite(code)) return new DeliveryError('rejected', message, { platformCode: res.status });
  if (tokenCodes.has(code)) {
    return new DeliveryError('auth', message, { platformCode: code, staffMessage: `Mã truy cập Zalo OA không hợp lệ hoặc đã hết hạn (mã lỗi ${code}). Vui lòng cấp quyền lại cho ứng dụng Zalo.` });
  }
  if (code === -32 || code === -211) return new DeliveryError('retry', message, { platformCode: code, retryAfterMs: retryAfterMs(res.headers) ?? 60_000 });
  if (code === -213) return new DeliveryError('gone', message, { platformCode: code });
  return new DeliveryError('rejected', message, { platformCode: code });
}

export interface ZaloClientOptions {
  baseUrl: string;
  tokens: ZaloTokens;
  timeoutMs: number;
  broadcast: boolean;
  choices?: ChoiceMemory;
  log?: { info(o: object, m: string): void };
}

/** The Zalo OpenAPI calls the channel makes, with the token refreshed once and the call retried once on −216/−220. */
export class ZaloClient {
  constructor(private readonly o: ZaloClientOptions) {}

  /** POSTs to an OpenAPI path; returns `data` or throws a classified DeliveryError. */
  async post(path: string, json: unknown, what: string): Promise<Record<string, unknown>> {
    let token = await this.o.tokens.accessToken();
    for (let attempt = 0; ; attempt++) {
      let res: HttpJsonResponse;
      try {
        res = await requestJson({ method: 'POST', url: `${this.o.baseUrl}${path}`, headers: { access_token: token }, json, timeoutMs: this.o.timeoutMs });
      } catch (e) {
        throw classifyTransport(e, what);
      }
      const body = res.body as { error?: unknown; data?: unknown } | null;
      if (res.status >= 200 && res.status < 300 && body && typeof body === 'object' && Number(body.error ?? 0) === 0) {
        return (body.data ?? {}) as Record<string, unknown>;
      }
      const error = classifyZaloError(res, what);
      if (error.kind === 'auth' && attempt === 0) {
        token = await this.o.tokens.refresh(token);
        continue;
      }
      throw error;
    }
  }

  /** Sends one reply as consultation messages; returns the Zalo message ids. */
  async sendReply(userId: string, reply: Reply, replyToMsgId: string | undefined): Promise<string[]> {
    const offered = offeredChoices(reply);
    if (offered.length > 0) this.o.choices?.remember(userId, offered);
    const recipient = replyToMsgId ? { user_id: userId, message_id: replyToMsgId } : { user_id: userId };
    return sendInParts(renderZaloReply(reply), async (message) => {
      const data = await this.post('/v3.0/oa/message/cs', { recipient, message }, 'Zalo CS message');
      return String(data.message_id ?? '');
    });
  }

  /** Publishes an article (create, then verify for its id); broadcasts it to followers when configured. */
  async publish(post: PublishablePost): Promise<string> {
    const body: { type: string; content?: string; url?: string }[] = [];
    if (post.imageUrl) body.push({ type: 'image', url: post.imageUrl });
    body.push({ type: 'text', content: post.body.normalize('NFC') });
    if (post.link) body.push({ type: 'text', content: post.link });
    const article = {
      type: 'normal',
      title: shorten(post.title, 150),
      author: 'UBND xã',
      description: shorten(post.body.replace(/\s+/g, ' '), 300),
      ...(post.imageUrl ? { cover: { cover_type: 'photo', photo_url: post.imageUrl, status: 'show' } } : {}),
      body,
      status: 'show',
      comment: 'show',
    };
    const created = await this.post('/v2.0/article/create', article, 'Zalo article create');
    const token = String(created.token ?? '');
    if (!token) throw new DeliveryError('unknown', 'Zalo article create returned no token; the article may exist');
    let id = '';
    for (let i = 0; i < 5 && !id; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 1000 * i));
      const verified = await this.post('/v2.0/article/verify', { token }, 'Zalo article verify');
      id = String(verified.id ?? verified.article_id ?? '');
    }
    if (!id) throw new DeliveryError('unknown', `Zalo article ${token} created but not verified yet`);
    if (this.o.broadcast) {
      await this.post(
        '/v2.0/oa/message',
        { recipient: { target: {} }, message: { attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'article', attachment_id: id }] } } } },
        'Zalo broadcast',
      );
      this.o.log?.info({ channel: 'zalo', articleId: id }, 'zalo article broadcast to followers');
    }
    return id;
  }
}
