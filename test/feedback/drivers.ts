/**
 * A citizen on each channel, talking to the real service through that platform's own contract: signed webhook
 * bodies shaped like the platform's (Messenger, Zalo, Telegram) or the web chat's HTTP API, and the replies read
 * back from what the service sent to the platform mock (or the web chat's reply feed). Buttons are pressed the way
 * each platform delivers a press: a quick reply payload, a Telegram callback query, the title typed back by Zalo's
 * query button, the web chat's payload message.
 */
import crypto from 'node:crypto';
import type { ChannelDeps } from '../../src/channels/registry.js';
import type { Channel } from '../../src/channels/channel.js';
import { createMessengerChannel } from '../../src/channels/messenger/index.js';
import { createTelegramChannel } from '../../src/channels/telegram/index.js';
import { createWebchatChannel } from '../../src/channels/webchat/index.js';
import { TokenBuckets } from '../../src/channels/webchat/rate-limit.js';
import { createZaloChannel } from '../../src/channels/zalo/index.js';
import { loadFixture } from '../fixtures/load.js';
import { telegramTextUpdate, telegramUpdate } from '../fixtures/telegram/load.js';
import { startMockServer, type MockServer, type RecordedRequest } from '../support/mock-server.js';
import { isTelegramSend, startTelegramMock, tgBody } from '../support/telegram-mock.js';

/** What a citizen saw in one message: its text and the buttons offered with it. */
export interface SeenReply {
  text: string;
  buttons: { title: string; payload?: string }[];
}

/** One citizen's side of a conversation on a channel. */
export interface Citizen {
  /** Sends typed text; resolves with the replies it caused once the service is idle. */
  say(text: string): Promise<SeenReply[]>;
  /** Presses one of the buttons last offered, by its title. */
  press(title: string): Promise<SeenReply[]>;
}

export interface ChannelDriver {
  name: 'messenger' | 'zalo' | 'telegram' | 'webchat';
  startMock(): Promise<MockServer | null>;
  env(mockUrl: string): Record<string, string>;
  channels(deps: ChannelDeps): Channel[];
  /** A new citizen (own address) on this channel. */
  citizen(ctx: DriverContext, n: number): Citizen;
}

export interface DriverContext {
  url: string;
  mock: MockServer | null;
  /** Resolves once the inbox is idle (every reply sent). */
  settled(): Promise<void>;
}

let seq = 0;
const unique = () => `${process.pid}${Date.now() % 1_000_000}${++seq}`;

/** Shared shape: post something, wait, collect the replies recorded since. */
function webhookCitizen(
  ctx: DriverContext,
  post: (kind: 'text' | 'press', text: string, payload: string | undefined) => Promise<void>,
  read: (since: readonly RecordedRequest[]) => SeenReply[],
): Citizen {
  let offered: SeenReply['buttons'] = [];
  const exchange = async (kind: 'text' | 'press', text: string, payload?: string) => {
    const since = ctx.mock!.requests.length;
    await post(kind, text, payload);
    await ctx.settled();
    const replies = read(ctx.mock!.requests.slice(since));
    const last = replies.flatMap((r) => r.buttons);
    if (last.length > 0) offered = last;
    return replies;
  };
  return {
    say: (text) => exchange('text', text),
    press: (title) => {
      const button = offered.find((b) => b.title === title);
      if (!button) throw new Error(`no button «${title}» offered; offered: ${offered.map((b) => b.title).join(', ')}`);
      return exchange('press', title, button.payload);
    },
  };
}

async function expectOk(res: Response): Promise<void> {
  if (res.status >= 300) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
}

const messengerSecret = 'fb-app-secret';
export const messengerDriver: ChannelDriver = {
  name: 'messenger',
  startMock: () =>
    startMockServer((r) => (r.path.endsWith('/messages') ? { json: { recipient_id: 'x', message_id: `m_sent_${unique()}` } } : { json: { success: true } })),
  env: (mockUrl) => ({
    MESSENGER_APP_SECRET: messengerSecret, MESSENGER_PAGE_ACCESS_TOKEN: 'page-token', MESSENGER_VERIFY_TOKEN: 'verify', MESSENGER_PAGE_ID: '1122334455', GRAPH_API_BASE_URL: mockUrl,
  }),
  channels: (deps) => [createMessengerChannel(deps)!],
  citizen(ctx, n) {
    const psid = `65432100${String(n).padStart(8, '0')}`;
    return webhookCitizen(
      ctx,
      async (_kind, text, payload) => {
        const body = loadFixture('messenger', 'text-message');
        const event = body.entry[0].messaging[0];
        event.sender.id = psid;
        event.message = { mid: `m_fb_${unique()}`, text, ...(payload ? { quick_reply: { payload } } : {}) };
        body.entry[0].time = Date.now();
        event.timestamp = Date.now();
        const raw = JSON.stringify(body);
        const signature = 'sha256=' + crypto.createHmac('sha256', messengerSecret).update(raw).digest('hex');
        await expectOk(await fetch(`${ctx.url}/webhooks/messenger`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: raw }));
      },
      (calls) =>
        calls
          .filter((r) => r.path.endsWith('/messages') && (r.body as any)?.recipient?.id === psid && !(r.body as any)?.sender_action)
          .map((r) => {
            const m = (r.body as any).message;
            return {
              text: m.text ?? m.attachment?.payload?.text ?? '',
              buttons: (m.quick_replies ?? []).map((q: any) => ({ title: q.title, payload: q.payload })),
            };
          }),
    );
  },
};

const zaloAppId = '3141592653589793';
const zaloSecret = 'zalo-oa-secret';
export const zaloDriver: ChannelDriver = {
  name: 'zalo',
  startMock: () =>
    startMockServer((r) => {
      if (r.path.includes('/oa/access_token')) return { json: { access_token: `zat-${unique()}`, refresh_token: `zrt-${unique()}`, expires_in: '90000' } };
      if (r.path.includes('/oa/message')) return { json: { error: 0, message: 'Success', data: { message_id: `zmid-${unique()}`, user_id: 'x' } } };
      return { json: { error: 0, message: 'Success', data: {} } };
    }),
  env: (mockUrl) => ({
    ZALO_APP_ID: zaloAppId, ZALO_OA_ID: zaloAppId, ZALO_OA_SECRET_KEY: zaloSecret, ZALO_APP_SECRET: 'zalo-app-secret', ZALO_ACCESS_TOKEN: 'access', ZALO_REFRESH_TOKEN: 'refresh',
    ZALO_OPENAPI_BASE_URL: mockUrl, ZALO_OAUTH_BASE_URL: mockUrl,
  }),
  channels: (deps) => [createZaloChannel(deps)!],
  citizen(ctx, n) {
    const userId = `84210000${String(n).padStart(8, '0')}`;
    const mids = new Set<string>();
    return webhookCitizen(
      ctx,
      // Zalo has no postbacks: a query button sends its title back as the citizen's own text.
      async (_kind, text) => {
        const body = loadFixture('zalo', 'user-send-text');
        body.sender.id = userId;
        body.message = { text, msg_id: `zfb${unique()}` };
        body.timestamp = String(Date.now());
        mids.add(body.message.msg_id);
        const raw = JSON.stringify(body);
        const mac = 'mac=' + crypto.createHash('sha256').update(zaloAppId + raw + body.timestamp + zaloSecret).digest('hex');
        await expectOk(await fetch(`${ctx.url}/webhooks/zalo`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': mac }, body: raw }));
      },
      (calls) =>
        calls
          .filter((r) => {
            const to = (r.body as any)?.recipient;
            return r.path.includes('/oa/message') && (String(to?.user_id) === userId || mids.has(String(to?.message_id)));
          })
          .map((r) => {
            const m = (r.body as any).message;
            return { text: m.text ?? '', buttons: (m.attachment?.payload?.buttons ?? []).filter((b: any) => b.type === 'oa.query.show').map((b: any) => ({ title: b.title })) };
          }),
    );
  },
};

const tgSecret = 'tg-webhook-secret';
export const telegramDriver: ChannelDriver = {
  name: 'telegram',
  startMock: startTelegramMock,
  env: (mockUrl) => ({ TELEGRAM_BOT_TOKEN: '123456:feedback-token', TELEGRAM_WEBHOOK_SECRET: tgSecret, TELEGRAM_API_ROOT: mockUrl }),
  channels: ({ config, log }) => [createTelegramChannel(config, log)],
  citizen(ctx, n) {
    const chatId = 500_000 + n;
    let lastBotMessage: any = null;
    return webhookCitizen(
      ctx,
      async (kind, text, payload) => {
        const k = Number(unique().slice(-8));
        let update: any;
        if (kind === 'press') {
          update = telegramUpdate('callback-query');
          update.update_id = 900_000_000 + k;
          update.callback_query.id = `cb${unique()}`;
          update.callback_query.from.id = chatId;
          update.callback_query.message = { ...update.callback_query.message, chat: { ...update.callback_query.message.chat, id: chatId }, ...(lastBotMessage ?? {}) };
          update.callback_query.data = payload;
        } else {
          update = telegramTextUpdate(k, text);
          update.message.chat.id = chatId;
          update.message.from.id = chatId;
        }
        await expectOk(
          await fetch(`${ctx.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': tgSecret }, body: JSON.stringify(update) }),
        );
      },
      (calls) => {
        const sent = calls.filter((r) => isTelegramSend(r, String(chatId))).map((r) => tgBody(r) as any);
        const withKeyboard = sent.filter((b) => b.reply_markup?.inline_keyboard).at(-1);
        // The callback query carries the message the buttons were under (text and keyboard).
        if (withKeyboard) lastBotMessage = { text: withKeyboard.text, reply_markup: withKeyboard.reply_markup };
        return sent.map((b) => ({
          text: b.text ?? b.caption ?? '',
          buttons: (b.reply_markup?.inline_keyboard ?? []).flat().filter((x: any) => x.callback_data).map((x: any) => ({ title: x.text, payload: x.callback_data })),
        }));
      },
    );
  },
};

export const webchatDriver: ChannelDriver = {
  name: 'webchat',
  startMock: async () => null,
  env: () => ({}),
  // One session sends a whole exchange in a few seconds: a looser limit than the default 8 messages.
  channels: (deps) => [createWebchatChannel(deps, { limits: { messages: new TokenBuckets({ capacity: 50, refillPerSecond: 5 }) } })],
  citizen(ctx) {
    let session: string | null = null;
    let cursor = 0;
    let offered: SeenReply['buttons'] = [];
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${ctx.url}/chat/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`web chat ${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as any;
    };
    const exchange = async (message: Record<string, string>) => {
      session ??= (await api('session', {})).session as string;
      await api('messages', { session, id: `fb-${unique()}`, ...message });
      await ctx.settled();
      const got = await api('replies', { session, after: cursor, wait: 0 });
      cursor = got.cursor;
      const replies: SeenReply[] = got.replies.map((r: any) => ({
        text: r.reply.kind === 'card' ? r.reply.title : r.reply.text,
        buttons: (r.reply.choices ?? []).map((c: any) => ({ title: c.title, payload: c.payload })),
      }));
      const last = replies.flatMap((r) => r.buttons);
      if (last.length > 0) offered = last;
      return replies;
    };
    return {
      say: (text) => exchange({ text }),
      press: (title) => {
        const button = offered.find((b) => b.title === title);
        if (!button?.payload) throw new Error(`no button «${title}» offered; offered: ${offered.map((b) => b.title).join(', ')}`);
        return exchange({ payload: button.payload, title });
      },
    };
  },
};

export const drivers = [messengerDriver, zaloDriver, telegramDriver, webchatDriver];
