/**
 * Two communes on one service, each with its own Facebook Page, Zalo OA and Telegram bot, on the platform mocks:
 * signed webhook bodies shaped like each platform's, with different Page and OA ids, reach the commune whose account
 * received them, and the reply goes out with THAT account's credentials only. Unknown Pages and OAs are refused and
 * logged once. The web chat of each commune is at /c/<slug>/chat and names its commune.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertChannelAccount } from '../../src/channels/accounts.js';
import { createDb } from '../../src/db/client.js';
import { deployMigrations } from '../../src/db/migrate.js';
import { createCommune, type CommuneRow } from '../../src/domain/commune/communes.repo.js';
import { loadFixture } from '../fixtures/load.js';
import { eventually, startChannelService, testDatabase, type ChannelTestService, type TestDatabase } from '../support/channel-service.js';
import { testDbKind } from '../support/db.js';
import { startMockServer, type MockServer, type RecordedRequest } from '../support/mock-server.js';

const appSecret = 'communes-app-secret';
const zaloAppId = '3141592653589793';
const oaSecretKey = 'communes-oa-secret';

const pages = { a: '100000000000001', b: '100000000000002' };
const oas = { a: '2000000000000001', b: '2000000000000002' };
const bots = { a: { token: '5000001:bot-token-a', secret: 'secret-a' }, b: { token: '5000002:bot-token-b', secret: 'secret-b' } };

const signMessenger = (body: string) => ({ 'x-hub-signature-256': 'sha256=' + crypto.createHmac('sha256', appSecret).update(body).digest('hex') });
const signZalo = (body: string) => ({
  'x-zevent-signature': 'mac=' + crypto.createHash('sha256').update(zaloAppId + body + String(JSON.parse(body).timestamp) + oaSecretKey).digest('hex'),
});

function messengerEntry(pageId: string, psid: string, mid: string, text: string) {
  const body = loadFixture('messenger', 'text-message');
  const entry = body.entry[0];
  entry.id = pageId;
  entry.time = Date.now();
  entry.messaging[0].sender.id = psid;
  entry.messaging[0].recipient.id = pageId;
  entry.messaging[0].timestamp = Date.now();
  entry.messaging[0].message.mid = mid;
  entry.messaging[0].message.text = text;
  return entry;
}

function zaloEvent(oaId: string, userId: string, msgId: string, text: string): string {
  const body = loadFixture('zalo', 'user-send-text');
  body.recipient.id = oaId;
  body.sender.id = userId;
  body.message.msg_id = msgId;
  body.message.text = text;
  body.timestamp = String(Date.now());
  return JSON.stringify(body);
}

function telegramUpdate(updateId: number, chatId: number, text: string): string {
  const body = loadFixture('telegram', 'text-message');
  body.update_id = updateId;
  body.message.message_id = updateId;
  body.message.chat.id = chatId;
  body.message.from.id = chatId;
  body.message.date = Math.floor(Date.now() / 1000);
  body.message.text = text;
  return JSON.stringify(body);
}

const isGraphSend = (r: RecordedRequest) => r.method === 'POST' && r.path.endsWith('/messages') && !(r.body as { sender_action?: string }).sender_action;
const isZaloSend = (r: RecordedRequest) => r.method === 'POST' && r.path.includes('/oa/message');
const isBotSend = (r: RecordedRequest) => /^\/bot[^/]+\/sendMessage$/.test(r.path);

describe(`each commune's own channel accounts on one webhook per platform (${testDbKind})`, () => {
  let mock: MockServer;
  let database: TestDatabase;
  let service: ChannelTestService;
  const communes: Record<'a' | 'b', CommuneRow> = {} as never;

  beforeAll(async () => {
    let n = 0;
    mock = await startMockServer((r) => {
      if (r.path.endsWith('/messages')) return { json: { recipient_id: 'x', message_id: `m_sent_${++n}` } };
      if (r.path.includes('/oa/message')) return { json: { error: 0, message: 'Success', data: { message_id: `zmid-${++n}`, user_id: 'x' } } };
      const tg = /^\/bot(\d+):[^/]+\/(\w+)$/.exec(r.path);
      if (tg) {
        if (tg[2] === 'getMe') return { json: { ok: true, result: { id: Number(tg[1]), is_bot: true, first_name: 'UBND', username: `bot${tg[1]}` } } };
        if (tg[2] === 'sendMessage') {
          const chat = (r.body as { chat_id: number }).chat_id;
          return { json: { ok: true, result: { message_id: ++n, date: 1, chat: { id: chat, type: 'private' }, text: 'ok' } } };
        }
        return { json: { ok: true, result: true } };
      }
      return { json: { success: true } };
    });
    database = await testDatabase();
    await deployMigrations(database.url);
    const root = await createDb(database.url);
    try {
      communes.a = await createCommune(root.db, { slug: 'xa-an-binh', name: 'Xã An Bình' });
      communes.b = await createCommune(root.db, { slug: 'phuong-bac-son', name: 'Phường Bắc Sơn' });
      for (const key of ['a', 'b'] as const) {
        const communeId = communes[key].id;
        await root.db.communeProfile.create({ data: { communeId, name: communes[key].name, address: 'Trụ sở UBND', workingHours: 'Thứ 2 – thứ 6' } });
        await upsertChannelAccount(root.db, { communeId, channel: 'messenger', externalId: pages[key], settings: { pageAccessToken: `page-token-${key}` } });
        await upsertChannelAccount(root.db, { communeId, channel: 'zalo', externalId: oas[key], settings: { accessToken: `zat-${key}`, refreshToken: `zrt-${key}` } });
        await upsertChannelAccount(root.db, { communeId, channel: 'telegram', externalId: bots[key].token.split(':')[0]!, settings: { botToken: bots[key].token, webhookSecret: bots[key].secret } });
      }
    } finally {
      await root.close();
    }
    service = await startChannelService(
      {
        MESSENGER_APP_SECRET: appSecret,
        MESSENGER_VERIFY_TOKEN: 'communes-verify',
        GRAPH_API_BASE_URL: mock.url,
        ZALO_APP_ID: zaloAppId,
        ZALO_OA_SECRET_KEY: oaSecretKey,
        ZALO_APP_SECRET: 'communes-zalo-app-secret',
        ZALO_OPENAPI_BASE_URL: mock.url,
        ZALO_OAUTH_BASE_URL: mock.url,
        TELEGRAM_API_ROOT: mock.url,
        PUBLIC_BASE_URL: 'https://tinh.example.vn',
      },
      database.url,
      {
        // Names the commune the reply came from, so a reply from the wrong commune's engine would show.
        respond: ({ message, context }) => ({ replies: [{ kind: 'text', text: `Đã nhận: ${message.text}` }], context, outcome: 'answered', handover: false }),
      },
    );
  });

  afterAll(async () => {
    await service?.close();
    await mock?.close();
    await database?.drop();
  });

  const outboundOf = async (communeId: number, channel: string) =>
    service.db.root.outboundMessage.findMany({ where: { communeId, channel }, select: { address: true, status: true } });

  it('serves both communes in one process', () => {
    expect(service.communes.map((c) => c.tenant.slug).sort()).toEqual(['phuong-bac-son', 'xa-an-binh']);
  });

  it('Messenger: one signed POST with entries of two Pages; each Page answers its own citizen with its own token', async () => {
    const body = JSON.stringify({ object: 'page', entry: [messengerEntry(pages.a, 'PSID-A', 'm_a_1', 'xin chào An Bình'), messengerEntry(pages.b, 'PSID-B', 'm_b_1', 'xin chào Bắc Sơn')] });
    const res = await service.post('/webhooks/messenger', body, signMessenger(body));
    expect(res.status).toBe(200);
    const sends = await mock.waitFor(isGraphSend, 2);
    const byRecipient = new Map(sends.map((r) => [(r.body as { recipient: { id: string } }).recipient.id, r]));
    expect(byRecipient.get('PSID-A')!.headers.authorization).toBe('Bearer page-token-a');
    expect(byRecipient.get('PSID-A')!.path).toContain(`/${pages.a}/messages`);
    expect(byRecipient.get('PSID-B')!.headers.authorization).toBe('Bearer page-token-b');
    expect(byRecipient.get('PSID-B')!.path).toContain(`/${pages.b}/messages`);
    await eventually(async () => (await outboundOf(communes.a.id, 'messenger')).some((r) => r.status === 'sent'));
    expect((await outboundOf(communes.a.id, 'messenger')).map((r) => r.address)).toEqual(['PSID-A']);
    expect((await outboundOf(communes.b.id, 'messenger')).map((r) => r.address)).toEqual(['PSID-B']);
    const stored = await service.db.root.inboundMessage.findMany({ where: { channel: 'messenger' }, select: { communeId: true, platformMessageId: true } });
    expect(stored.sort((x, y) => x.platformMessageId.localeCompare(y.platformMessageId))).toEqual([
      { communeId: communes.a.id, platformMessageId: 'm_a_1' },
      { communeId: communes.b.id, platformMessageId: 'm_b_1' },
    ]);
  });

  it('Messenger: a Page no commune has is refused (403), logged once, and stores nothing', async () => {
    const before = await service.db.root.inboundMessage.count();
    for (const mid of ['m_unknown_1', 'm_unknown_2']) {
      const body = JSON.stringify({ object: 'page', entry: [messengerEntry('999999999999999', 'PSID-X', mid, 'ai trả lời?')] });
      expect((await service.post('/webhooks/messenger', body, signMessenger(body))).status).toBe(403);
    }
    expect(service.logs.filter((l) => String(l.msg).includes('Page no commune has') && l.pageId === '999999999999999')).toHaveLength(1);
    expect(await service.db.root.inboundMessage.count()).toBe(before);
    // A forged body is refused before any routing.
    const body = JSON.stringify({ object: 'page', entry: [messengerEntry(pages.a, 'PSID-A', 'm_forged', 'x')] });
    expect((await service.post('/webhooks/messenger', body, { 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) })).status).toBe(403);
  });

  it('Zalo: events for two OAs are answered by each OA with its own access token', async () => {
    for (const [key, user] of [['a', '8421000000000001'], ['b', '8421000000000002']] as const) {
      const body = zaloEvent(oas[key], user, `zmsg${key}0001`, `hỏi ${key}`);
      expect((await service.post('/webhooks/zalo', body, signZalo(body))).status).toBe(200);
    }
    const sends = await mock.waitFor(isZaloSend, 2);
    const tokenFor = (user: string) =>
      sends.find((r) => {
        const rec = (r.body as { recipient?: { user_id?: string; message_id?: string } }).recipient;
        return rec?.user_id === user || rec?.message_id === `zmsg${user.endsWith('1') ? 'a' : 'b'}0001`;
      })?.headers.access_token;
    expect(tokenFor('8421000000000001')).toBe('zat-a');
    expect(tokenFor('8421000000000002')).toBe('zat-b');
    // Each OA's pair is its own ChannelToken row in its commune.
    const tokens = await service.db.root.channelToken.findMany({ where: { channel: 'zalo' }, select: { communeId: true, accessToken: true } });
    expect(tokens.sort((x, y) => x.communeId - y.communeId)).toEqual([
      { communeId: communes.a.id, accessToken: 'zat-a' },
      { communeId: communes.b.id, accessToken: 'zat-b' },
    ]);
  });

  it('Zalo: an OA no commune has is refused (403) and logged once', async () => {
    for (const id of ['zunknown1', 'zunknown2']) {
      const body = zaloEvent('2999999999999999', '8421000000000009', id, 'x');
      expect((await service.post('/webhooks/zalo', body, signZalo(body))).status).toBe(403);
    }
    expect(service.logs.filter((l) => String(l.msg).includes('OA no commune has') && l.oaId === '2999999999999999')).toHaveLength(1);
  });

  it('Telegram: each bot has its own webhook path and secret, registered with Telegram, and replies as itself', async () => {
    const registrations = await mock.waitFor((r) => r.path.endsWith('/setWebhook'), 2);
    const urls = registrations.map((r) => `${r.path.split('/')[1]} ${(r.body as { url: string }).url}`).sort();
    expect(urls).toEqual([
      'bot5000001:bot-token-a https://tinh.example.vn/webhooks/telegram/5000001',
      'bot5000002:bot-token-b https://tinh.example.vn/webhooks/telegram/5000002',
    ]);
    // Bot B's secret does not open bot A's path.
    const forged = telegramUpdate(70001, 4242, 'x');
    expect((await service.post('/webhooks/telegram/5000001', forged, { 'x-telegram-bot-api-secret-token': 'secret-b' })).status).toBe(401);
    const a = telegramUpdate(70002, 1111, 'chào bot A');
    expect((await service.post('/webhooks/telegram/5000001', a, { 'x-telegram-bot-api-secret-token': 'secret-a' })).status).toBe(200);
    const b = telegramUpdate(70003, 2222, 'chào bot B');
    expect((await service.post('/webhooks/telegram/5000002', b, { 'x-telegram-bot-api-secret-token': 'secret-b' })).status).toBe(200);
    const sends = await mock.waitFor(isBotSend, 2);
    const botFor = (chat: number) => sends.find((r) => String((r.body as { chat_id: unknown }).chat_id) === String(chat))?.path.split('/')[1];
    expect(botFor(1111)).toBe('bot5000001:bot-token-a');
    expect(botFor(2222)).toBe('bot5000002:bot-token-b');
    // No single-bot path when no bot comes from the environment.
    expect((await service.post('/webhooks/telegram', a, { 'x-telegram-bot-api-secret-token': 'secret-a' })).status).toBe(404);
  });

  it('web chat: each commune at /c/<slug>/chat, its widget naming it, its messages stored in that commune', async () => {
    const page = await fetch(`${service.url}/c/phuong-bac-son/chat`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Phường Bắc Sơn');
    const widget = await (await fetch(`${service.url}/c/phuong-bac-son/chat/widget.js`)).text();
    expect(widget).toContain('var communeName = "Phường Bắc Sơn";');
    const other = await (await fetch(`${service.url}/c/xa-an-binh/chat/widget.js`)).text();
    expect(other).toContain('var communeName = "Xã An Bình";');

    const base = `${service.url}/c/phuong-bac-son/chat/api`;
    const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const { session } = (await (await fetch(`${base}/session`, json({}))).json()) as { session: string };
    expect((await fetch(`${base}/messages`, json({ session, id: 'web-msg-0001', text: 'giờ làm việc' }))).status).toBe(202);
    await eventually(async () => (await outboundOf(communes.b.id, 'webchat')).length === 1);
    expect(await outboundOf(communes.a.id, 'webchat')).toEqual([]);
    // The same session at the other commune's chat is another conversation, in that commune.
    const history = (await (await fetch(`${service.url}/c/xa-an-binh/chat/api/history`, json({ session }))).json()) as { items: unknown[] };
    expect(history.items).toEqual([]);
  });

  it('every outbound row of the run stayed in the commune of the account that received its message', async () => {
    const rows = await service.db.root.outboundMessage.findMany({ select: { communeId: true, address: true, channel: true } });
    const communeOf = { 'PSID-A': communes.a.id, 'PSID-B': communes.b.id, '8421000000000001': communes.a.id, '8421000000000002': communes.b.id, '1111': communes.a.id, '2222': communes.b.id };
    for (const row of rows.filter((r) => r.channel !== 'webchat')) expect(row.communeId).toBe(communeOf[row.address as keyof typeof communeOf]);
    expect(rows.filter((r) => r.channel !== 'webchat')).toHaveLength(6);
  });
});
