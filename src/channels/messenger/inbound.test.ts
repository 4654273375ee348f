import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../domain/messages.js';
import type { Responder } from '../../domain/inbox/processor.js';
import { startPlatformMock, type PlatformMock } from '../../../test/support/platform-mock.js';
import { eventually, startChannelService, testDatabase, type ChannelTestService, type TestDatabase } from '../../../test/support/channel-service.js';
import { parseMessengerBody } from './inbound.js';

const APP_SECRET = 'test-app-secret';
const PAGE_ID = '1122334455';
const env = (graph: string) => ({
  MESSENGER_APP_SECRET: APP_SECRET,
  MESSENGER_PAGE_ACCESS_TOKEN: 'test-page-token',
  MESSENGER_VERIFY_TOKEN: 'test-verify',
  MESSENGER_PAGE_ID: PAGE_ID,
  GRAPH_API_BASE_URL: graph,
});
const sign = (body: string, secret = APP_SECRET) => ({ 'x-hub-signature-256': 'sha256=' + createHmac('sha256', secret).update(body).digest('hex') });

/** A webhook body shaped like Meta's documented `messages` / `messaging_postbacks` deliveries. */
function pageEvent(messaging: object[][], time = Date.now()): string {
  return JSON.stringify({ object: 'page', entry: messaging.map((m) => ({ id: PAGE_ID, time, messaging: m })) });
}
const textEvent = (mid: string, text: string, psid = 'PSID_1', timestamp = Date.now()) => ({
  sender: { id: psid },
  recipient: { id: PAGE_ID },
  timestamp,
  message: { mid, text },
});

const echoingResponder =
  (seen: InboundMessage[]): Responder =>
  ({ message, context }) => {
    seen.push(message);
    return { replies: [{ kind: 'text', text: `Đã nhận: ${message.text || message.kind}` }], context, outcome: 'answered', handover: false };
  };

describe('Messenger webhook into the real service', () => {
  let graph: PlatformMock;
  let database: TestDatabase;
  let service: ChannelTestService;
  const seen: InboundMessage[] = [];

  beforeAll(async () => {
    graph = await startPlatformMock();
  });
  afterAll(async () => {
    await graph.close();
  });
  beforeEach(async () => {
    seen.length = 0;
    graph.requests.length = 0;
    graph.handle(() => undefined);
    database = await testDatabase();
    service = await startChannelService(env(graph.url), database.url, { respond: echoingResponder(seen) });
  });
  afterEach(async () => {
    await service.close();
    await database.drop();
  });

  it('answers the verification handshake only with the right verify token', async () => {
    const ok = await fetch(`${service.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=test-verify&hub.challenge=4711`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('4711');
    const bad = await fetch(`${service.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=4711`);
    expect(bad.status).toBe(403);
    expect(await bad.text()).not.toContain('4711');
  });

  it('stores a signed message, replies once through the Send API, and ignores a re-delivery', async () => {
    const body = pageEvent([[textEvent('m_AAA', 'làm giấy khai sinh cần gì')]]);
    const res = await service.post('/webhooks/messenger', body, sign(body));
    expect(res.status).toBe(200);
    await service.inbox.idle();
    const sends = graph.calls('/messages');
    expect(sends).toHaveLength(1);
    expect(sends[0]!.path).toBe(`/v25.0/${PAGE_ID}/messages`);
    expect(sends[0]!.headers.authorization).toBe('Bearer test-page-token');
    expect(sends[0]!.body).toEqual({ recipient: { id: 'PSID_1' }, messaging_type: 'RESPONSE', message: { text: 'Đã nhận: làm giấy khai sinh cần gì' } });

    const again = await service.post('/webhooks/messenger', body, sign(body));
    expect(again.status).toBe(200);
    await service.inbox.idle();
    await service.tick();
    expect(graph.calls('/messages')).toHaveLength(1);
    const rows = await service.db.db.outboundMessage.findMany();
    expect(rows.map((r) => [r.status, r.platformMessageId])).toEqual([['sent', expect.stringMatching(/^m_\d+$/)]]);
    expect(await service.db.db.inboundMessage.count()).toBe(1);
  });

  it('refuses forged and unsigned requests, logs them, and stores nothing', async () => {
    const body = pageEvent([[textEvent('m_FORGED', 'xin chào')]]);
    const forged = await service.post('/webhooks/messenger', body, sign(body, 'not-the-secret'));
    expect(forged.status).toBe(403);
    const unsigned = await service.post('/webhooks/messenger', body);
    expect(unsigned.status).toBe(401);
    // A valid signature of other bytes (the body re-serialised) is also refused: only the raw bytes count.
    const reserialised = JSON.stringify(JSON.parse(body), null, 1);
    const tampered = await service.post('/webhooks/messenger', reserialised, sign(body));
    expect(tampered.status).toBe(403);
    await service.inbox.idle();
    expect(await service.db.db.inboundMessage.count()).toBe(0);
    expect(graph.calls('/messages')).toHaveLength(0);
    expect(service.logs.filter((l) => String(l.msg).startsWith('webhook refused'))).toHaveLength(3);
  });

  it('answers malformed JSON, wrong shapes and oversized bodies with 4xx and stores nothing', async () => {
    const malformed = '{"object":"page","entry":[';
    expect((await service.post('/webhooks/messenger', malformed, sign(malformed))).status).toBe(400);
    const wrongShape = JSON.stringify({ object: 'page', entry: 'nope' });
    expect((await service.post('/webhooks/messenger', wrongShape, sign(wrongShape))).status).toBe(400);
    const instagram = JSON.stringify({ object: 'instagram', entry: [] });
    expect((await service.post('/webhooks/messenger', instagram, sign(instagram))).status).toBe(400);
    const huge = pageEvent([[textEvent('m_HUGE', 'a'.repeat(1_100_000))]]);
    expect((await service.post('/webhooks/messenger', huge, sign(huge))).status).toBe(413);
    await service.inbox.idle();
    expect(await service.db.db.inboundMessage.count()).toBe(0);
  });

  it('handles batched entries: text, quick reply, Get Started; echoes, deliveries and reads ignored', async () => {
    const now = Date.now();
    const body = pageEvent(
      [
        [
          textEvent('m_1', 'xin chào', 'PSID_A', now),
          { sender: { id: PAGE_ID }, recipient: { id: 'PSID_A' }, timestamp: now, message: { mid: 'm_echo', text: 'Đã nhận', is_echo: true, app_id: 1234 } },
          { sender: { id: 'PSID_A' }, recipient: { id: PAGE_ID }, timestamp: now, delivery: { mids: ['m_x'], watermark: now } },
        ],
        [
          { sender: { id: 'PSID_B' }, recipient: { id: PAGE_ID }, timestamp: now, message: { mid: 'm_2', text: 'Khai sinh', quick_reply: { payload: 'proc:KS' } } },
          { sender: { id: 'PSID_C' }, recipient: { id: PAGE_ID }, timestamp: now, postback: { title: 'Bắt đầu', payload: 'GET_STARTED', mid: 'm_pb' } },
          { sender: { id: 'PSID_C' }, recipient: { id: PAGE_ID }, timestamp: now, read: { watermark: now } },
        ],
      ],
      now,
    );
    expect((await service.post('/webhooks/messenger', body, sign(body))).status).toBe(200);
    await service.inbox.idle();
    const byId = Object.fromEntries(seen.map((m) => [m.platformMessageId, m]));
    expect(Object.keys(byId).sort()).toEqual(['m_1', 'm_2', 'm_pb']);
    expect(byId.m_1).toMatchObject({ kind: 'text', text: 'xin chào', address: 'PSID_A' });
    expect(byId.m_2).toMatchObject({ kind: 'choice', payload: 'proc:KS', text: 'Khai sinh', address: 'PSID_B' });
    expect(byId.m_pb).toMatchObject({ kind: 'start', address: 'PSID_C' });
    expect(graph.calls('/messages').map((r) => (r.body as { recipient: { id: string } }).recipient.id).sort()).toEqual(['PSID_A', 'PSID_B', 'PSID_C']);
  });
});

describe('Messenger crash between storing and processing', () => {
  it('replies after a restart to a message that was stored but never processed', async () => {
    const graph = await startPlatformMock();
    const database = await testDatabase();
    const first = await startChannelService(env(graph.url), database.url, {
      // The engine hangs: the process "dies" with the message stored (acknowledged) but unanswered.
      respond: () => new Promise(() => {}),
    });
    // Sent by Messenger a few minutes ago (re-tried deliveries arrive late).
    const body = pageEvent([[textEvent('m_CRASH', 'thủ tục đăng ký kết hôn', 'PSID_Z', Date.now() - 5 * 60_000)]]);
    expect((await first.post('/webhooks/messenger', body, sign(body))).status).toBe(200);
    await eventually(async () => (await first.db.db.inboundMessage.count({ where: { status: 'processing' } })) === 1);
    // Crash: the HTTP server and database go away without the graceful close (which would wait for the engine).
    first.server.closeAllConnections();
    await new Promise<void>((r) => first.server.close(() => r()));
    await first.db.close();
    expect(graph.calls('/messages')).toHaveLength(0);

    const seen: InboundMessage[] = [];
    // The lease counts from the dead worker's claim; the new process is started with a short one to take over now.
    await new Promise((r) => setTimeout(r, 100));
    const second = await startChannelService(env(graph.url), database.url, { respond: echoingResponder(seen), inbox: { processingLeaseMs: 50 } });
    try {
      await eventually(() => graph.calls('/messages').length === 1);
      expect(seen.map((m) => m.platformMessageId)).toEqual(['m_CRASH']);
      expect(graph.calls('/messages')[0]!.body).toMatchObject({ recipient: { id: 'PSID_Z' }, message: { text: 'Đã nhận: thủ tục đăng ký kết hôn' } });
      await second.tick();
      expect(graph.calls('/messages')).toHaveLength(1);
    } finally {
      await second.close();
      await graph.close();
      await database.drop();
    }
  });
});

describe('parseMessengerBody', () => {
  it('keeps ids as strings and NFC-normalizes text', () => {
    const decomposed = 'Khai sinh'.normalize('NFD') + ' đăng ký'.normalize('NFD');
    const { messages } = parseMessengerBody(JSON.parse(pageEvent([[textEvent('m_n', decomposed, '26011234567890123')]])));
    expect(messages[0]).toMatchObject({ address: '26011234567890123', text: 'Khai sinh đăng ký'.normalize('NFC') });
  });
});
