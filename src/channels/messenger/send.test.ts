import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPlatformMock, type PlatformMock } from '../../../test/support/platform-mock.js';
import { startChannelService, testDatabase, type ChannelTestService, type TestDatabase } from '../../../test/support/channel-service.js';
import type { Reply } from '../../domain/messages.js';
import { createMessengerChannel } from './index.js';
import { renderMessengerReply } from './send.js';

const APP_SECRET = 'test-app-secret';
const env = (graph: string) => ({
  MESSENGER_APP_SECRET: APP_SECRET,
  MESSENGER_PAGE_ACCESS_TOKEN: 'test-page-token',
  MESSENGER_VERIFY_TOKEN: 'test-verify',
  MESSENGER_PAGE_ID: '1122334455',
  GRAPH_API_BASE_URL: graph,
});

describe('renderMessengerReply', () => {
  it('splits long text cleanly below 2,000 characters', () => {
    const paragraph = 'Hồ sơ gồm tờ khai đăng ký khai sinh theo mẫu và giấy chứng sinh. '.repeat(12).trim();
    const text = Array.from({ length: 6 }, () => paragraph).join('\n\n');
    const messages = renderMessengerReply({ kind: 'text', text });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      const t = (m as { text: string }).text;
      expect(t.length).toBeLessThan(2000);
      expect(t.endsWith('.')).toBe(true);
    }
    expect(messages.map((m) => (m as { text: string }).text).join('\n\n')).toBe(text);
  });

  it('puts at most 13 quick replies with titles of at most 20 characters on the last message', () => {
    const choices = Array.from({ length: 15 }, (_, i) => ({ title: `Thủ tục đăng ký hộ tịch số ${i + 1}`, payload: `p${i}` }));
    const [message] = renderMessengerReply({ kind: 'choices', text: 'Bạn muốn hỏi thủ tục nào?', choices });
    const quick = (message as { quick_replies: { title: string; payload: string }[] }).quick_replies;
    expect(quick).toHaveLength(13);
    for (const q of quick) expect([...q.title].length).toBeLessThanOrEqual(20);
    expect(quick[0]).toEqual({ content_type: 'text', title: 'Thủ tục đăng ký hộ…', payload: 'p0' });
  });

  it('renders links as a button template (≤3 buttons, text ≤640) and the rest of the links as text', () => {
    const links = Array.from({ length: 4 }, (_, i) => ({ title: `Nộp trực tuyến ${i + 1}`, url: `https://dichvucong.gov.vn/p/${i}` }));
    const reply: Reply = { kind: 'card', title: 'Đăng ký khai sinh', sections: [{ title: 'Thành phần hồ sơ', lines: ['Tờ khai', 'Giấy chứng sinh'] }], links, choices: [{ title: 'Lệ phí', payload: 'fee' }] };
    const messages = renderMessengerReply(reply);
    const last = messages.at(-1) as { attachment: { payload: { text: string; buttons: { type: string; url: string }[] } }; quick_replies: unknown[] };
    expect(last.attachment.payload.buttons).toHaveLength(3);
    expect(last.attachment.payload.buttons.every((b) => b.type === 'web_url')).toBe(true);
    expect(last.attachment.payload.text.length).toBeLessThanOrEqual(640);
    expect(last.attachment.payload.text).toContain('Nộp trực tuyến 4: https://dichvucong.gov.vn/p/3');
    expect(last.quick_replies).toHaveLength(1);
  });
});

const sign = (body: string) => ({ 'x-hub-signature-256': 'sha256=' + createHmac('sha256', APP_SECRET).update(body).digest('hex') });
const event = (mid: string, text = 'hỏi thủ tục') =>
  JSON.stringify({ object: 'page', entry: [{ id: '1122334455', time: Date.now(), messaging: [{ sender: { id: 'PSID_9' }, recipient: { id: '1122334455' }, timestamp: Date.now(), message: { mid, text } }] }] });

describe('Messenger delivery outcomes through the real service', () => {
  let graph: PlatformMock;
  let database: TestDatabase;
  let service: ChannelTestService;

  beforeAll(async () => {
    graph = await startPlatformMock();
  });
  afterAll(async () => {
    await graph.close();
  });
  beforeEach(async () => {
    graph.requests.length = 0;
    graph.handle(() => undefined);
    database = await testDatabase();
    service = await startChannelService(env(graph.url), database.url, {
      channels: (deps) => [createMessengerChannel(deps, { timeoutMs: 400 })!],
    });
  });
  afterEach(async () => {
    await service.close();
    await database.drop();
  });

  const deliver = async (mid: string) => {
    const body = event(mid);
    expect((await service.post('/webhooks/messenger', body, sign(body))).status).toBe(200);
    await service.inbox.idle();
  };
  const outbound = () => service.db.db.outboundMessage.findFirstOrThrow();

  it('retries a 429 after the Retry-After it was given, then records the send', async () => {
    graph.handle((_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1' }, json: { error: { code: 613, message: 'Calls to this api have exceeded the rate limit.' } } } : undefined));
    await deliver('m_429');
    const pending = await outbound();
    expect(pending.status).toBe('pending');
    expect(pending.nextAttemptAt.getTime() - graph.requests[0]!.at).toBeGreaterThanOrEqual(950);
    await service.tick();
    expect(graph.calls('/messages')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, pending.nextAttemptAt.getTime() - Date.now() + 20));
    await service.tick();
    const sends = graph.calls('/messages');
    expect(sends).toHaveLength(2);
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(1000);
    expect((await outbound()).status).toBe('sent');
  });

  it('retries 5xx with backoff', async () => {
    graph.handle((_r, i) => (i < 2 ? { status: 503, json: { error: { code: 2, message: 'Service temporarily unavailable' } } } : undefined));
    await deliver('m_503');
    for (let i = 0; i < 20 && (await outbound()).status !== 'sent'; i++) {
      await new Promise((r) => setTimeout(r, 60));
      await service.tick();
    }
    expect(graph.calls('/messages')).toHaveLength(3);
    expect(await outbound()).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('marks the channel unhealthy on an expired Page token and holds the reply', async () => {
    graph.handle(() => ({ status: 400, json: { error: { code: 190, error_subcode: 463, message: 'Error validating access token: Session has expired' } } }));
    await deliver('m_190');
    const state = await service.db.db.channelState.findFirstOrThrow({ where: { channel: 'messenger' } });
    expect(state.healthy).toBe(false);
    expect(state.lastError).toContain('190');
    const row = await outbound();
    expect(row.status).toBe('pending');
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
  });

  it('does not retry a rejected request, and records a blocked citizen as failed', async () => {
    graph.handle(() => ({ status: 400, json: { error: { code: 100, message: '(#100) Invalid parameter' } } }));
    await deliver('m_100');
    await service.tick();
    await service.tick();
    expect(graph.calls('/messages')).toHaveLength(1);
    expect(await outbound()).toMatchObject({ status: 'failed' });

    graph.handle(() => ({ status: 400, json: { error: { code: 551, message: 'This person isn\u2019t available right now.' } } }));
    await deliver('m_551');
    const rows = await service.db.db.outboundMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows[1]).toMatchObject({ status: 'failed' });
    expect(rows[1]!.lastError).toContain('551');
  });

  it('records a send that timed out after it was written as unconfirmed, and never re-sends it', async () => {
    graph.handle(() => ({ hang: true }));
    await deliver('m_hang');
    expect(await outbound()).toMatchObject({ status: 'unconfirmed' });
    graph.handle(() => undefined);
    await service.tick();
    expect(graph.calls('/messages')).toHaveLength(1);
  });

  it('publishes a post on the Page feed, or as a photo when it has an image', async () => {
    const channel = service.channels[0]!;
    const feed = await channel.publish!({ id: 1, title: 'Lịch tiếp công dân', body: 'Thứ Hai đến thứ Sáu.', topic: 'cchc', link: 'https://xa.example.vn/tin/1' });
    expect(feed.platformPostId).toMatch(/^page_post_/);
    expect(graph.calls('/feed')[0]!).toMatchObject({ path: '/v25.0/1122334455/feed', body: { message: 'Lịch tiếp công dân\n\nThứ Hai đến thứ Sáu.', link: 'https://xa.example.vn/tin/1' } });
    const photo = await channel.publish!({ id: 2, title: 'Dịch vụ công', body: 'Nộp hồ sơ trực tuyến.', topic: 'dvc', imageUrl: 'https://xa.example.vn/a.png' });
    expect(photo.platformPostId).toMatch(/^page_post_/);
    expect(graph.calls('/photos')[0]!.body).toEqual({ url: 'https://xa.example.vn/a.png', caption: 'Dịch vụ công\n\nNộp hồ sơ trực tuyến.' });

    graph.handle(() => ({ status: 403, json: { error: { code: 200, message: '(#200) Requires pages_manage_posts permission' } } }));
    await expect(channel.publish!({ id: 3, title: 'x', body: 'y', topic: 't' })).rejects.toMatchObject({ kind: 'auth' });
  });
});
