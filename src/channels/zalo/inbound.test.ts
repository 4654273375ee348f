import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Responder } from '../../domain/inbox/processor.js';
import type { InboundMessage } from '../../domain/messages.js';
import { startPlatformMock, type PlatformMock } from '../../../test/support/platform-mock.js';
import { startChannelService, testDatabase, type ChannelTestService, type TestDatabase } from '../../../test/support/channel-service.js';

const APP_ID = '3141592653589793';
const OA_ID = '2718281828459045235';
const OA_SECRET = 'test-oa-secret';
const APP_SECRET = 'test-app-secret';
// Beyond 2^53: parsed as a JS number it would become ...040 or similar.
const USER = '8421000000000000042';

const env = (mock: string) => ({
  ZALO_APP_ID: APP_ID,
  ZALO_OA_ID: OA_ID,
  ZALO_OA_SECRET_KEY: OA_SECRET,
  ZALO_APP_SECRET: APP_SECRET,
  ZALO_ACCESS_TOKEN: 'zat-initial',
  ZALO_REFRESH_TOKEN: 'zrt-initial',
  ZALO_OPENAPI_BASE_URL: mock,
  ZALO_OAUTH_BASE_URL: mock,
});
const mac = (first: string, body: string, last: string) => {
  const ts = (JSON.parse(body) as { timestamp: string }).timestamp;
  return { 'x-zevent-signature': 'mac=' + createHash('sha256').update(first + body + ts + last).digest('hex') };
};
const sign = (body: string) => mac(APP_ID, body, OA_SECRET);

/** Bodies shaped like Zalo's documented OA webhook events (ids and timestamps as strings). */
const userText = (msgId: string, text: string, user = USER) =>
  JSON.stringify({ app_id: APP_ID, user_id_by_app: '5521000000000042', event_name: 'user_send_text', timestamp: String(Date.now()), sender: { id: user }, recipient: { id: OA_ID }, message: { msg_id: msgId, text } });
const follow = (user = USER) =>
  JSON.stringify({ app_id: APP_ID, oa_id: OA_ID, user_id_by_app: '5521000000000042', event_name: 'follow', timestamp: String(Date.now()), source: 'oa_profile', follower: { id: user } });
const userImage = (msgId: string) =>
  JSON.stringify({ app_id: APP_ID, event_name: 'user_send_image', timestamp: String(Date.now()), sender: { id: USER }, recipient: { id: OA_ID }, message: { msg_id: msgId, attachments: [{ type: 'image', payload: { url: 'https://photo.zdn.vn/a.jpg', thumbnail: 'https://photo.zdn.vn/t.jpg' } }] } });
const seenEvent = () =>
  JSON.stringify({ app_id: APP_ID, event_name: 'user_seen_message', timestamp: String(Date.now()), sender: { id: OA_ID }, recipient: { id: USER }, message: { msg_ids: ['a'] } });

describe('Zalo OA webhook into the real service', () => {
  let zalo: PlatformMock;
  let database: TestDatabase;
  let service: ChannelTestService;
  const seen: InboundMessage[] = [];
  let respond: Responder;

  beforeAll(async () => {
    zalo = await startPlatformMock();
  });
  afterAll(async () => {
    await zalo.close();
  });
  beforeEach(async () => {
    seen.length = 0;
    zalo.requests.length = 0;
    respond = ({ message, context }) => ({ replies: [{ kind: 'text', text: `Đã nhận: ${message.text || message.kind}` }], context, outcome: 'answered', handover: false });
    database = await testDatabase();
    service = await startChannelService(env(zalo.url), database.url, {
      respond: (input) => {
        seen.push(input.message);
        return respond(input);
      },
    });
  });
  afterEach(async () => {
    await service.close();
    await database.drop();
  });

  it('replies to a signed text once, as a CS message quoting the msg_id, with long ids kept exact', async () => {
    const body = userText('zmsg0001', 'làm giấy khai sinh cần gì');
    expect((await service.post('/webhooks/zalo', body, sign(body))).status).toBe(200);
    await service.inbox.idle();
    const sends = zalo.calls('/v3.0/oa/message/cs');
    expect(sends).toHaveLength(1);
    expect(sends[0]!.headers.access_token).toBe('zat-initial');
    expect(sends[0]!.body).toEqual({ recipient: { user_id: USER, message_id: 'zmsg0001' }, message: { text: 'Đã nhận: làm giấy khai sinh cần gì' } });
    expect(sends[0]!.rawBody).toContain(`"user_id":"${USER}"`);
    expect((await service.db.db.conversation.findFirstOrThrow()).address).toBe(USER);

    expect((await service.post('/webhooks/zalo', body, sign(body))).status).toBe(200);
    await service.inbox.idle();
    await service.tick();
    expect(zalo.calls('/v3.0/oa/message/cs')).toHaveLength(1);
  });

  it('refuses unsigned and wrongly signed events, naming the variant that would have matched', async () => {
    const body = userText('zmsg0002', 'xin chào');
    expect((await service.post('/webhooks/zalo', body)).status).toBe(401);
    expect((await service.post('/webhooks/zalo', body, mac(OA_ID, body, OA_SECRET))).status).toBe(403);
    expect((await service.post('/webhooks/zalo', body, mac(APP_ID, body, APP_SECRET))).status).toBe(403);
    expect((await service.post('/webhooks/zalo', body, mac(APP_ID, body, 'guessed'))).status).toBe(403);
    await service.inbox.idle();
    expect(await service.db.db.inboundMessage.count()).toBe(0);
    expect(zalo.calls('/oa/message/cs')).toHaveLength(0);
    const refused = service.logs.filter((l) => String(l.msg).startsWith('webhook refused'));
    expect(refused.map((l) => l.wouldMatch)).toEqual([undefined, 'oa_id first, OA secret key last', 'app_id first, app secret last', null]);
  });

  it('answers a follow with a message to the follower, and an image as unsupported; ignores other events', async () => {
    const f = follow();
    expect((await service.post('/webhooks/zalo', f, sign(f))).status).toBe(200);
    const img = userImage('zimg0001');
    expect((await service.post('/webhooks/zalo', img, sign(img))).status).toBe(200);
    const s = seenEvent();
    expect((await service.post('/webhooks/zalo', s, sign(s))).status).toBe(200);
    await service.inbox.idle();
    expect(seen.map((m) => m.kind)).toEqual(['follow', 'unsupported']);
    expect(seen[0]).toMatchObject({ address: USER, text: '' });
    const sends = zalo.calls('/oa/message/cs');
    expect(sends.map((r) => r.body)).toEqual([
      { recipient: { user_id: USER }, message: { text: 'Đã nhận: follow' } },
      { recipient: { user_id: USER, message_id: 'zimg0001' }, message: { text: 'Đã nhận: unsupported' } },
    ]);
    expect(await service.db.db.inboundMessage.count()).toBe(2);
  });

  it('sends choices as oa.query.show buttons and maps a pressed button back to its payload', async () => {
    respond = ({ message, context }) =>
      message.kind === 'choice'
        ? { replies: [{ kind: 'text', text: `Chọn: ${message.payload}` }], context, outcome: 'answered', handover: false }
        : {
            replies: [{ kind: 'choices', text: 'Bạn hỏi thủ tục nào?', choices: [{ title: 'Đăng ký khai sinh', payload: 'proc:KS' }, { title: 'Đăng ký kết hôn', payload: 'proc:KH' }] }],
            context,
            outcome: 'choices',
            handover: false,
          };
    const q = userText('zq0001', 'đăng ký');
    await service.post('/webhooks/zalo', q, sign(q));
    await service.inbox.idle();
    expect(zalo.calls('/oa/message/cs')[0]!.body).toEqual({
      recipient: { user_id: USER, message_id: 'zq0001' },
      message: {
        text: 'Bạn hỏi thủ tục nào?',
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            buttons: [
              { title: 'Đăng ký khai sinh', type: 'oa.query.show', payload: 'Đăng ký khai sinh' },
              { title: 'Đăng ký kết hôn', type: 'oa.query.show', payload: 'Đăng ký kết hôn' },
            ],
          },
        },
      },
    });
    const press = userText('zq0002', 'Đăng ký kết hôn');
    await service.post('/webhooks/zalo', press, sign(press));
    await service.inbox.idle();
    expect(seen[1]).toMatchObject({ kind: 'choice', payload: 'proc:KH', text: 'Đăng ký kết hôn' });
  });

  it('answers malformed JSON and wrong shapes with 400, never 5xx', async () => {
    const bad = '{"event_name":';
    const badSig = { 'x-zevent-signature': 'mac=' + createHash('sha256').update(APP_ID + bad + OA_SECRET).digest('hex') };
    expect((await service.post('/webhooks/zalo', bad, badSig)).status).toBe(400);
    const numericId = `{"app_id":"${APP_ID}","event_name":"user_send_text","timestamp":"1","sender":{"id":${USER}},"message":{"msg_id":"x","text":"a"}}`;
    expect((await service.post('/webhooks/zalo', numericId, sign(numericId))).status).toBe(400);
    expect(await service.db.db.inboundMessage.count()).toBe(0);
  });
});
