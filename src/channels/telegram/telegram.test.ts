import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { silentLogger } from '../../domain/logger.js';
import { telegramTextUpdate, telegramUpdate } from '../../../test/fixtures/telegram/load.js';
import type { MockServer } from '../../../test/support/mock-server.js';
import { refuseInserts } from '../../../test/support/db-faults.js';
import { startRestartableService as startTestService, type RestartableService as TestService } from '../../../test/support/restartable.js';
import { isTelegramSend, startTelegramMock, tgBody, tgError, tgMethod } from '../../../test/support/telegram-mock.js';
import { splitText } from '../shared/split-text.js';
import { createTelegramChannel, webhookSecret } from './index.js';
import { toInbound } from './inbound.js';
import { renderReply, telegramCapabilities } from './send.js';

const token = '123456:unit-token';
const at = new Date('2026-11-24T02:00:00Z');

describe('telegram inbound: documented updates → InboundMessage', () => {
  it('turns a private text message into a text message keyed by chat and message id', () => {
    expect(toInbound(telegramUpdate('text-message'), at)).toEqual({
      channel: 'telegram', platformMessageId: 'msg:424242:1365', address: '424242', kind: 'text',
      text: 'làm giấy khai sinh cần gì ạ', receivedAt: at,
    });
  });

  it('keeps the key when Telegram re-delivers the same update, and NFC-normalizes the text', () => {
    const u = telegramUpdate('text-message');
    u.message.text = 'làm giấy khai sinh'.normalize('NFD');
    const a = toInbound(u, at)!;
    const b = toInbound(JSON.parse(JSON.stringify(u)), new Date())!;
    expect(a.platformMessageId).toBe(b.platformMessageId);
    expect(a.text).toBe('làm giấy khai sinh'.normalize('NFC'));
  });

  it('turns /start into a start event, with a deep-link parameter as payload', () => {
    expect(toInbound(telegramUpdate('start-command'), at)).toMatchObject({ kind: 'start', text: '', platformMessageId: 'msg:424242:1364' });
    const deep = telegramUpdate('start-command');
    deep.message.text = '/start tthc_1.001193';
    expect(toInbound(deep, at)).toMatchObject({ kind: 'start', payload: 'tthc_1.001193' });
  });

  it('turns a pressed inline button into a choice with its callback_data and title', () => {
    expect(toInbound(telegramUpdate('callback-query'), at)).toEqual({
      channel: 'telegram', platformMessageId: 'cb:1822070459118361025', address: '424242', kind: 'choice',
      text: 'Đăng ký khai sinh', payload: 'proc:1.001193', receivedAt: at, replyContext: { callbackQueryId: '1822070459118361025' },
    });
  });

  it('marks a photo as unsupported (keeping its caption) and ignores groups, edits, channel posts and membership changes', () => {
    expect(toInbound(telegramUpdate('photo-message'), at)).toMatchObject({ kind: 'unsupported', text: 'giấy tờ của tôi' });
    for (const name of ['group-message', 'edited-message', 'channel-post', 'my-chat-member'] as const) {
      expect(toInbound(telegramUpdate(name), at), name).toBeNull();
    }
  });
});

describe('telegram rendering', () => {
  it('splits text over 4096 characters on paragraph, line and word boundaries, never losing a word', () => {
    const paragraph = 'Thành phần hồ sơ gồm tờ khai đăng ký khai sinh theo mẫu. '.repeat(40).trim();
    const text = [paragraph, paragraph, paragraph].join('\n\n');
    const parts = splitText(text, 4096, 'utf16');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts[0]!.endsWith('mẫu.')).toBe(true);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    const oneWord = 'x'.repeat(9000);
    expect(splitText(oneWord, 4096, 'utf16').map((p) => p.length)).toEqual([4096, 4096, 808]);
    expect(splitText('a\nb c', 3, 'utf16')).toEqual(['a', 'b c']);
  });

  it('puts choices as callback buttons (payload ≤ 64 bytes) and links as URL buttons under the last part', () => {
    const long = 'đ'.repeat(40); // 80 bytes in UTF-8: cannot be callback_data
    const messages = renderReply({
      kind: 'card',
      title: 'Đăng ký khai sinh <1.001193>',
      sections: [{ title: 'Thành phần hồ sơ', lines: ['Tờ khai & giấy chứng sinh'] }],
      links: [{ title: 'Nộp trực tuyến', url: 'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193' }, { title: 'Số điện thoại', url: 'tel:0210' }],
      choices: [{ title: 'Lệ phí', payload: 'fee:1.001193' }, { title: 'Quá dài', payload: long }],
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toEqual({
      text: '<b>Đăng ký khai sinh &lt;1.001193&gt;</b>\n\n<b>Thành phần hồ sơ</b>\n• Tờ khai &amp; giấy chứng sinh\n\nSố điện thoại: tel:0210',
      parseMode: 'HTML',
      replyMarkup: {
        inline_keyboard: [
          [{ text: 'Nộp trực tuyến', url: 'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193' }],
          [{ text: 'Lệ phí', callback_data: 'fee:1.001193' }],
        ],
      },
    });
    const split = renderReply({ kind: 'choices', text: 'a '.repeat(3000), choices: [{ title: 'Có', payload: 'yes' }] });
    expect(split).toHaveLength(2);
    expect(split[0]!.replyMarkup).toBeUndefined();
    expect(split[1]!.replyMarkup).toEqual({ inline_keyboard: [[{ text: 'Có', callback_data: 'yes' }]] });
    expect(split[0]!.parseMode).toBeUndefined();
  });
});

describe('telegram over HTTP against the Bot API mock', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTelegramMock();
  });
  afterAll(async () => {
    await mock.close();
  });
  afterEach(() => mock.reset());

  const channelConfig = (extra: Record<string, string> = {}) =>
    loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: mock.url, TELEGRAM_CHANNEL_ID: '@ubnd_xa_tin', ...extra });

  describe('webhook mode', () => {
    let t: TestService;
    const secret = 'unit-tg-secret';
    beforeAll(async () => {
      mock.reset();
      t = await startTestService(
        { PUBLIC_BASE_URL: 'https://xa.example.vn', TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_API_ROOT: mock.url },
        {
          channels: ({ config, log }) => [createTelegramChannel(config, log)],
          respond: ({ message, context }) => ({ replies: [{ kind: 'text', text: `Đã nhận: ${message.kind} ${message.payload ?? ''}` }], context, outcome: 'answered', handover: false }),
        },
      );
    });
    afterAll(async () => {
      await t?.destroy();
    });
    const post = (update: unknown) =>
      fetch(`${t.service.url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(update),
      });

    it('registered the webhook at start with the public URL and the secret token', async () => {
      // Registration runs in the background: let the shared service's finish, then watch a fresh start.
      await mock.waitFor((r) => tgMethod(r) === 'getMe');
      mock.reset();
      const t2 = await startTestService(
        { PUBLIC_BASE_URL: 'https://xa.example.vn', TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_API_ROOT: mock.url },
        { channels: ({ config, log }) => [createTelegramChannel(config, log)] },
      );
      await t2.destroy();
      const calls = mock.requests.filter((r) => tgMethod(r) === 'setWebhook');
      expect(calls).toHaveLength(1);
      expect(calls[0]!.path).toBe(`/bot${token}/setWebhook`);
      expect(tgBody(calls[0]!)).toEqual({ url: 'https://xa.example.vn/webhooks/telegram', secret_token: secret, allowed_updates: ['message', 'callback_query'], max_connections: 20 });
      expect(mock.requests.some((r) => tgMethod(r) === 'getUpdates' || tgMethod(r) === 'deleteWebhook')).toBe(false);
    });

    it('stores a pressed button as a choice, answers the callback query and replies', async () => {
      const res = await post(telegramUpdate('callback-query'));
      expect(res.status).toBe(200);
      await t.service.inbox.idle();
      const answered = await mock.waitFor((r) => tgMethod(r) === 'answerCallbackQuery');
      expect(tgBody(answered[0]!)).toEqual({ callback_query_id: '1822070459118361025' });
      const row = await t.service.db.db.inboundMessage.findFirstOrThrow({ where: { platformMessageId: 'cb:1822070459118361025' } });
      expect(row).toMatchObject({ kind: 'choice', payload: 'proc:1.001193', text: 'Đăng ký khai sinh' });
      const sends = mock.requests.filter((r) => isTelegramSend(r, '424242'));
      expect(sends.map((r) => tgBody(r).text)).toEqual(['Đã nhận: choice proc:1.001193']);
    });

    it('answers /start as a start event', async () => {
      expect((await post(telegramUpdate('start-command'))).status).toBe(200);
      await t.service.inbox.idle();
      expect(mock.requests.filter((r) => isTelegramSend(r)).map((r) => tgBody(r).text)).toEqual(['Đã nhận: start']);
    });

    it('refuses a body that is JSON but not an Update with 400', async () => {
      for (const body of ['[]', '{"message":{}}', '"text"', 'null']) {
        const res = await fetch(`${t.service.url}/webhooks/telegram`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body,
        });
        expect(res.status, body).toBe(400);
      }
    });
  });

  it('is registered and enabled by TELEGRAM_BOT_TOKEN; a refused token at start flags the channel for staff', async () => {
    const off = await startTestService({});
    try {
      expect(off.service.channels.map((c) => c.name)).not.toContain('telegram');
    } finally {
      await off.destroy();
    }
    mock.intercept((r) => (tgMethod(r) === 'setWebhook' ? tgError(401, 'Unauthorized') : undefined));
    const t = await startTestService({ PUBLIC_BASE_URL: 'https://xa.example.vn', TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: mock.url });
    try {
      expect(t.service.channels.map((c) => c.name)).toContain('telegram');
      let state = null;
      for (let i = 0; i < 100 && !state; i++) {
        state = await t.service.db.db.channelState.findFirst({ where: { channel: 'telegram' } });
        if (!state) await new Promise((r) => setTimeout(r, 20));
      }
      expect(state).toMatchObject({ healthy: false, lastError: expect.stringContaining('@BotFather') });
      // A refused token is not tried again and again.
      await new Promise((r) => setTimeout(r, 100));
      expect(mock.requests.filter((r) => tgMethod(r) === 'setWebhook')).toHaveLength(1);
    } finally {
      await t.destroy();
    }
  });

  it('starts at once while Telegram is unreachable, stores webhooks meanwhile, and registers the webhook when it can', async () => {
    let down = true;
    mock.intercept((r) => (down && tgMethod(r) !== null ? { destroy: true } : undefined));
    const t = await startTestService(
      { PUBLIC_BASE_URL: 'https://xa.example.vn', TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: 'sec', TELEGRAM_API_ROOT: mock.url },
      { channels: ({ config, log }) => [createTelegramChannel(config, log, { registrationRetryMs: 100 })] },
    );
    try {
      const res = await fetch(`${t.service.url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'sec' },
        body: JSON.stringify(telegramTextUpdate(91, 'gửi khi mạng ra ngoài bị chặn')),
      });
      expect(res.status).toBe(200);
      expect(await t.service.db.db.inboundMessage.count()).toBe(1);
      down = false;
      const registered = await mock.waitFor((r) => tgMethod(r) === 'setWebhook' && !down);
      expect(tgBody(registered.at(-1)!).url).toBe('https://xa.example.vn/webhooks/telegram');
    } finally {
      await t.destroy();
    }
  });

  it('derives a webhook secret from the token when none is configured, and enforces it', () => {
    const a = webhookSecret({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: undefined });
    expect(a).toMatch(/^[A-Za-z0-9_-]{20,256}$/);
    expect(webhookSecret({ TELEGRAM_BOT_TOKEN: '999:other', TELEGRAM_WEBHOOK_SECRET: undefined })).not.toBe(a);
    expect(webhookSecret({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: 'set' })).toBe('set');
  });

  it('long-polls without PUBLIC_BASE_URL: stores, replies, and stops cleanly', async () => {
    let served = false;
    mock.intercept((r) => {
      if (tgMethod(r) !== 'getUpdates' || served) return undefined;
      served = true;
      return { json: { ok: true, result: [telegramTextUpdate(77, 'xin chào qua long polling')] } };
    });
    const t = await startTestService(
      { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: mock.url },
      { respond: ({ message, context }) => ({ replies: [{ kind: 'text', text: `Đã nhận: ${message.text}` }], context, outcome: 'answered', handover: false }), channels: ({ config, log }) => [createTelegramChannel(config, log)] },
    );
    try {
      const sends = await mock.waitFor((r) => isTelegramSend(r, '424242'));
      expect(tgBody(sends[0]!).text).toBe('Đã nhận: xin chào qua long polling');
      expect(mock.requests.some((r) => tgMethod(r) === 'deleteWebhook')).toBe(true);
      // The next poll confirms the update by asking for the following offset.
      const polls = await mock.waitFor((r) => tgMethod(r) === 'getUpdates', 2);
      expect(tgBody(polls[1]!).offset).toBe(800_000_077 + 1);
      expect(await t.service.db.db.inboundMessage.count()).toBe(1);
      expect((await fetch(`${t.service.url}/webhooks/telegram`, { method: 'POST' })).status).toBe(404);
    } finally {
      await t.destroy();
    }
  });

  it('long polling does not confirm an update it could not store: it keeps trying until the database accepts it', async () => {
    // The update is served only once the database refuses inserts.
    let served = true;
    mock.intercept((r) => {
      if (tgMethod(r) !== 'getUpdates' || served) return undefined;
      served = true;
      return { json: { ok: true, result: [telegramTextUpdate(88, 'lưu khi cơ sở dữ liệu trở lại')] } };
    });
    const t = await startTestService(
      { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: mock.url },
      { respond: ({ message, context }) => ({ replies: [{ kind: 'text', text: `Đã nhận: ${message.text}` }], context, outcome: 'answered', handover: false }), channels: ({ config, log }) => [createTelegramChannel(config, log, { pollingStoreMaxDelayMs: 200 })] },
    );
    try {
      const allow = await refuseInserts(t.service.db.db, 'InboundMessage');
      served = false;
      await mock.waitFor((r) => tgMethod(r) === 'getUpdates' && served);
      await new Promise((r) => setTimeout(r, 600));
      // While storing fails, the poller holds: no further getUpdates confirms the update.
      const pollsWhileDown = mock.requests.filter((r) => tgMethod(r) === 'getUpdates').length;
      await new Promise((r) => setTimeout(r, 400));
      expect(mock.requests.filter((r) => tgMethod(r) === 'getUpdates').length).toBe(pollsWhileDown);
      expect(await t.service.db.db.inboundMessage.count()).toBe(0);
      await allow();
      const sends = await mock.waitFor((r) => isTelegramSend(r, '424242'));
      expect(tgBody(sends[0]!).text).toBe('Đã nhận: lưu khi cơ sở dữ liệu trở lại');
      const confirm = await mock.waitFor((r) => tgMethod(r) === 'getUpdates' && tgBody(r).offset === 800_000_088 + 1);
      expect(confirm.length).toBeGreaterThanOrEqual(1);
    } finally {
      await t.destroy();
    }
  });

  describe('send: errors classified where they are born', () => {
    const channel = () => createTelegramChannel(channelConfig(), silentLogger, { timeoutSeconds: 1 });
    const reply = { kind: 'text' as const, text: 'Xin chào' };
    const ctx = { kind: 'reply' as const };
    const failOnce = (failure: ReturnType<typeof tgError>) => {
      let done = false;
      mock.intercept((r) => {
        if (tgMethod(r) !== 'sendMessage' || done) return undefined;
        done = true;
        return failure;
      });
    };
    const sendCalls = () => mock.requests.filter((r) => tgMethod(r) === 'sendMessage').length;

    it('sends to the chat and returns the message id', async () => {
      const sent = await channel().send('424242', reply, ctx);
      expect(sent.platformMessageIds).toHaveLength(1);
      expect(mock.requests.map((r) => [r.method, r.path, tgBody(r)])).toEqual([['POST', `/bot${token}/sendMessage`, { chat_id: '424242', text: 'Xin chào' }]]);
    });

    it('429 with a short retry_after is waited out inline by auto-retry', async () => {
      failOnce(tgError(429, 'Too Many Requests: retry after 1', { retry_after: 1 }));
      const started = Date.now();
      await channel().send('424242', reply, ctx);
      expect(sendCalls()).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });

    it('429 with a long retry_after goes back to the ledger as retry with retryAfterMs', async () => {
      failOnce(tgError(429, 'Too Many Requests: retry after 40', { retry_after: 40 }));
      await expect(channel().send('424242', reply, ctx)).rejects.toMatchObject({ name: 'DeliveryError', kind: 'retry', options: { retryAfterMs: 40_000, platformCode: 429 } });
      expect(sendCalls()).toBe(1);
    });

    it.each([
      [tgError(500, 'Internal Server Error'), 'retry'],
      [tgError(502, 'Bad Gateway'), 'retry'],
      [tgError(401, 'Unauthorized'), 'auth'],
      [tgError(404, 'Not Found'), 'auth'],
      [tgError(403, 'Forbidden: bot was blocked by the user'), 'gone'],
      [tgError(400, "Bad Request: can't parse entities"), 'rejected'],
      [{ hang: true } as const, 'unknown'],
      [{ destroy: true } as const, 'unknown'],
    ])('%j → %s, without a blind resend', async (failure, kind) => {
      failOnce(failure as ReturnType<typeof tgError>);
      await expect(channel().send('424242', reply, ctx)).rejects.toMatchObject({ name: 'DeliveryError', kind });
      expect(sendCalls()).toBe(1);
    });

    it('a refused connection never reached Telegram: retry', async () => {
      const dead = createTelegramChannel(loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: 'http://127.0.0.1:9' }), silentLogger);
      await expect(dead.send('424242', reply, ctx)).rejects.toMatchObject({ kind: 'retry', options: { platformCode: 'ECONNREFUSED' } });
    });
  });

  describe('publish to the Telegram channel', () => {
    const post = { id: 1, title: 'Nộp hồ sơ trực tuyến', body: 'Từ 1/12, người dân có thể nộp hồ sơ khai sinh <online>.', topic: 'cchc', link: 'https://xa.example.vn/tin/1' };

    it('posts text with sendMessage and returns the message id', async () => {
      const c = createTelegramChannel(channelConfig(), silentLogger);
      const { platformPostId } = await c.publish!(post);
      const calls = mock.requests.filter((r) => tgMethod(r) !== null);
      expect(calls).toHaveLength(1);
      expect(tgMethod(calls[0]!)).toBe('sendMessage');
      expect(tgBody(calls[0]!)).toEqual({
        chat_id: '@ubnd_xa_tin',
        text: '<b>Nộp hồ sơ trực tuyến</b>\n\nTừ 1/12, người dân có thể nộp hồ sơ khai sinh &lt;online&gt;.\n\nhttps://xa.example.vn/tin/1',
        parse_mode: 'HTML',
      });
      expect(platformPostId).toMatch(/^\d+$/);
    });

    it('posts a photo with the text as caption when the post has an image', async () => {
      const c = createTelegramChannel(channelConfig(), silentLogger);
      await c.publish!({ ...post, imageUrl: 'https://xa.example.vn/anh/1.jpg' });
      const calls = mock.requests.filter((r) => tgMethod(r) !== null);
      expect(calls.map(tgMethod)).toEqual(['sendPhoto']);
      expect(tgBody(calls[0]!)).toMatchObject({ chat_id: '@ubnd_xa_tin', photo: 'https://xa.example.vn/anh/1.jpg', parse_mode: 'HTML' });
      expect(String(tgBody(calls[0]!).caption)).toContain('<b>Nộp hồ sơ trực tuyến</b>');
    });

    it('resolves a site-path image against PUBLIC_BASE_URL, and posts text when there is no public address', async () => {
      const withBase = createTelegramChannel(channelConfig({ PUBLIC_BASE_URL: 'https://xa.example.vn', TELEGRAM_WEBHOOK_SECRET: 's' }), silentLogger);
      await withBase.publish!({ ...post, imageUrl: '/anh/2.jpg' });
      const local = createTelegramChannel(channelConfig(), silentLogger);
      await local.publish!({ ...post, imageUrl: '/anh/2.jpg' });
      const calls = mock.requests.filter((r) => tgMethod(r) !== null);
      expect(calls.map((r) => [tgMethod(r), tgBody(r).photo])).toEqual([['sendPhoto', 'https://xa.example.vn/anh/2.jpg'], ['sendMessage', undefined]]);
    });

    it('a long post with an image: the photo carries the title, the text follows', async () => {
      const c = createTelegramChannel(channelConfig(), silentLogger);
      const body = 'Nội dung tuyên truyền cải cách hành chính. '.repeat(40).trim();
      const { platformPostId } = await c.publish!({ ...post, body, imageUrl: 'https://xa.example.vn/anh/3.jpg' });
      const calls = mock.requests.filter((r) => tgMethod(r) !== null);
      expect(calls.map(tgMethod)).toEqual(['sendPhoto', 'sendMessage']);
      expect(tgBody(calls[0]!).caption).toBe('<b>Nộp hồ sơ trực tuyến</b>');
      expect(tgBody(calls[1]!).text).toBe(`${body}\n\nhttps://xa.example.vn/tin/1`);
      expect(platformPostId).toMatch(/^\d+$/);
    });

    it('tells staff when the bot is not an admin of the channel', async () => {
      mock.intercept((r) => (tgMethod(r) === 'sendMessage' ? tgError(403, 'Forbidden: bot is not a member of the channel chat') : undefined));
      const c = createTelegramChannel(channelConfig(), silentLogger);
      await expect(c.publish!(post)).rejects.toMatchObject({ kind: 'rejected', options: { staffMessage: expect.stringContaining('quản trị viên') } });
    });

    it('has no publish without TELEGRAM_CHANNEL_ID', () => {
      const c = createTelegramChannel(loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: mock.url }), silentLogger);
      expect(c.publish).toBeUndefined();
      expect(c.capabilities).toBe(telegramCapabilities);
    });
  });
});
