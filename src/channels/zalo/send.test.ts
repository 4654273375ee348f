import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPlatformMock, type PlatformMock } from '../../../test/support/platform-mock.js';
import { startChannelService, testDatabase, type ChannelTestService, type TestDatabase } from '../../../test/support/channel-service.js';
import { renderZaloReply } from './send.js';

const APP_ID = '3141592653589793';
const OA_SECRET = 'test-oa-secret';
const USER = '8421000000000000042';
const env = (mock: string, extra: Record<string, string> = {}) => ({
  ZALO_APP_ID: APP_ID,
  ZALO_OA_ID: '2718281828459045235',
  ZALO_OA_SECRET_KEY: OA_SECRET,
  ZALO_APP_SECRET: 'test-app-secret',
  ZALO_ACCESS_TOKEN: 'zat-initial',
  ZALO_REFRESH_TOKEN: 'zrt-initial',
  ZALO_OPENAPI_BASE_URL: mock,
  ZALO_OAUTH_BASE_URL: mock,
  ...extra,
});
const userText = (msgId: string, text = 'hỏi thủ tục') =>
  JSON.stringify({ app_id: APP_ID, event_name: 'user_send_text', timestamp: String(Date.now()), sender: { id: USER }, recipient: { id: '2718281828459045235' }, message: { msg_id: msgId, text } });
const sign = (body: string) => {
  const ts = (JSON.parse(body) as { timestamp: string }).timestamp;
  return { 'x-zevent-signature': 'mac=' + createHash('sha256').update(APP_ID + body + ts + OA_SECRET).digest('hex') };
};
const zaloError = (error: number, message: string) => ({ json: { error, message } });

describe('renderZaloReply', () => {
  it('splits text at 2,000 characters and puts choice and link buttons on the last part', () => {
    const text = 'Giấy tờ cần mang theo khi đăng ký thường trú tại xã. '.repeat(60).trim();
    const messages = renderZaloReply({ kind: 'card', title: 'Đăng ký thường trú', sections: [{ title: 'Hồ sơ', lines: [text] }], links: [{ title: 'Nộp trực tuyến', url: 'https://dichvucong.gov.vn/tt' }], choices: [{ title: 'Lệ phí', payload: 'fee' }] });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(2000);
    const last = messages.at(-1) as { attachment: { payload: { buttons: unknown[] } } };
    expect(last.attachment.payload.buttons).toEqual([
      { title: 'Lệ phí', type: 'oa.query.show', payload: 'Lệ phí' },
      { title: 'Nộp trực tuyến', type: 'oa.open.url', payload: { url: 'https://dichvucong.gov.vn/tt' } },
    ]);
    expect(messages.slice(0, -1).every((m) => !('attachment' in m))).toBe(true);
  });
});

describe('Zalo delivery outcomes through the real service', () => {
  let zalo: PlatformMock;
  let database: TestDatabase;
  let service: ChannelTestService;

  beforeAll(async () => {
    zalo = await startPlatformMock();
  });
  afterAll(async () => {
    await zalo.close();
  });
  beforeEach(async () => {
    zalo.requests.length = 0;
    zalo.handle(() => undefined);
    database = await testDatabase();
    service = await startChannelService(env(zalo.url), database.url);
  });
  afterEach(async () => {
    await service.close();
    await database.drop();
  });

  const deliver = async (mid: string) => {
    const body = userText(mid);
    expect((await service.post('/webhooks/zalo', body, sign(body))).status).toBe(200);
    await service.inbox.idle();
  };
  const rows = () => service.db.db.outboundMessage.findMany({ orderBy: { id: 'asc' } });

  it('on −216 refreshes the token once, retries once with the new token, and stores the new pair', async () => {
    zalo.handle((r) => (r.path.endsWith('/cs') && r.headers.access_token === 'zat-initial' ? zaloError(-216, 'Access token is invalid') : undefined));
    await deliver('z216a');
    const oauth = zalo.calls('/v4/oa/access_token');
    expect(oauth).toHaveLength(1);
    expect(oauth[0]!.headers.secret_key).toBe('test-app-secret');
    expect(oauth[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(oauth[0]!.body).toEqual({ refresh_token: 'zrt-initial', app_id: APP_ID, grant_type: 'refresh_token' });
    const sends = zalo.calls('/oa/message/cs');
    expect(sends.map((r) => r.headers.access_token)).toEqual(['zat-initial', expect.stringMatching(/^zat-new-/)]);
    const stored = await service.db.db.channelToken.findFirstOrThrow({ where: { channel: 'zalo' } });
    expect(stored.accessToken).toBe(sends[1]!.headers.access_token);
    expect(stored.refreshToken).toMatch(/^zrt-new-/);
    expect(stored.version).toBe(2);
    expect(stored.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
    expect((await rows())[0]).toMatchObject({ status: 'sent' });

    await deliver('z216b');
    expect(zalo.calls('/v4/oa/access_token')).toHaveLength(1);
    expect(zalo.calls('/oa/message/cs').at(-1)!.headers.access_token).toBe(stored.accessToken);
  });

  it('marks the channel unhealthy when the refreshed token is refused too (one refresh only)', async () => {
    zalo.handle((r) => (r.path.endsWith('/cs') ? zaloError(-216, 'Access token is invalid') : undefined));
    await deliver('z216c');
    expect(zalo.calls('/v4/oa/access_token')).toHaveLength(1);
    expect(zalo.calls('/oa/message/cs')).toHaveLength(2);
    expect((await service.db.db.channelState.findFirstOrThrow({ where: { channel: 'zalo' } })).healthy).toBe(false);
    expect((await rows())[0]).toMatchObject({ status: 'pending' });
  });

  it('marks the channel unhealthy when the refresh token is refused (−14020: already used)', async () => {
    zalo.handle((r) => {
      if (r.path.endsWith('/cs')) return zaloError(-220, 'Access token has expired');
      if (r.path.endsWith('/access_token')) return { json: { error: -14020, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid' } };
      return undefined;
    });
    await deliver('z14020');
    expect(zalo.calls('/oa/message/cs')).toHaveLength(1);
    const state = await service.db.db.channelState.findFirstOrThrow({ where: { channel: 'zalo' } });
    expect(state).toMatchObject({ healthy: false });
    expect(state.lastError).toContain('-14020');
    const stored = await service.db.db.channelToken.findFirstOrThrow({ where: { channel: 'zalo' } });
    expect(stored).toMatchObject({ accessToken: 'zat-initial', refreshToken: 'zrt-initial' });
    expect(stored.version % 2).toBe(0);
  });

  it('retries −32 (rate limit), fails −213 (not a follower) and −230 (outside 7 days) without retrying', async () => {
    zalo.handle((r, i) => (r.path.endsWith('/cs') && i === 0 ? zaloError(-32, 'Exceed rate limit') : undefined));
    await deliver('z32');
    expect((await rows())[0]).toMatchObject({ status: 'pending' });
    expect((await rows())[0]!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000);

    zalo.handle((r) => (r.path.endsWith('/cs') ? zaloError(-213, 'User has not followed OA') : undefined));
    await deliver('z213');
    zalo.handle((r) => (r.path.endsWith('/cs') ? zaloError(-230, 'User has not interacted with the OA in the last 7 days') : undefined));
    await deliver('z230');
    const [, gone, window] = await rows();
    expect(gone).toMatchObject({ status: 'failed' });
    expect(window).toMatchObject({ status: 'failed' });
    await service.tick();
    expect(zalo.calls('/oa/message/cs')).toHaveLength(3);
  });

  it('publishes an article: create, verify for the id; broadcast only when configured', async () => {
    const channel = service.channels.find((c) => c.name === 'zalo')!;
    const longBody = 'Từ ngày 01/7, công dân có thể nộp hồ sơ đăng ký khai sinh trực tuyến trên Cổng dịch vụ công. '.repeat(8);
    const { platformPostId } = await channel.publish!({ id: 7, title: 'Đăng ký khai sinh trực tuyến', body: longBody, topic: 'dvc', imageUrl: 'https://xa.example.vn/ks.png' });
    const create = zalo.calls('/v2.0/article/create')[0]!;
    const article = create.body as { type: string; title: string; description: string; status: string; body: { type: string }[]; cover: object };
    expect(create.headers.access_token).toBe('zat-initial');
    expect(article).toMatchObject({ type: 'normal', title: 'Đăng ký khai sinh trực tuyến', status: 'show', cover: { cover_type: 'photo', photo_url: 'https://xa.example.vn/ks.png', status: 'show' } });
    expect([...article.description].length).toBeLessThanOrEqual(300);
    expect(article.body.map((b) => b.type)).toEqual(['image', 'text']);
    const verify = zalo.calls('/v2.0/article/verify')[0]!;
    expect(verify.body).toEqual({ token: expect.stringMatching(/^art-token-/) });
    expect(platformPostId).toMatch(/^art-/);
    expect(zalo.calls('/v2.0/oa/message')).toHaveLength(0);
  });
});

describe('Zalo broadcast', () => {
  it('broadcasts the verified article to followers when ZALO_BROADCAST is set', async () => {
    const zalo = await startPlatformMock();
    const database = await testDatabase();
    const service = await startChannelService(env(zalo.url, { ZALO_BROADCAST: 'true' }), database.url);
    try {
      const { platformPostId } = await service.channels[0]!.publish!({ id: 8, title: 'Lịch tiếp dân', body: 'Thứ Năm hằng tuần.', topic: 'cchc' });
      const broadcast = zalo.calls('/v2.0/oa/message');
      expect(broadcast).toHaveLength(1);
      expect(broadcast[0]!.body).toEqual({
        recipient: { target: {} },
        message: { attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'article', attachment_id: platformPostId }] } } },
      });
    } finally {
      await service.close();
      await zalo.close();
      await database.drop();
    }
  });
});
