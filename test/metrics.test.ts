/**
 * GET /metrics over HTTP on the real service: signed Messenger webhooks answered by the real engine through a
 * mock Graph API, then a scrape that shows what happened. Access: a token on the main port, or a separate
 * loopback listener; neither configured means no /metrics at all.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessengerChannel } from '../src/channels/messenger/index.js';
import { enqueueOutbound } from '../src/domain/ledger/outbox.repo.js';
import { eventually, startChannelService, testDatabase, type ChannelTestService, type TestDatabase } from './support/channel-service.js';
import { startPlatformMock, type PlatformMock } from './support/platform-mock.js';

const appSecret = 'metrics-app-secret';
const token = 'metrics-token-0123456789abcdef';

function webhook(mid: string, psid: string, text: string): { body: string; headers: Record<string, string> } {
  const now = Date.now();
  const body = JSON.stringify({
    object: 'page',
    entry: [{ id: '1122334455', time: now, messaging: [{ sender: { id: psid }, recipient: { id: '1122334455' }, timestamp: now, message: { mid, text } }] }],
  });
  return { body, headers: { 'x-hub-signature-256': 'sha256=' + crypto.createHmac('sha256', appSecret).update(body).digest('hex') } };
}

/** Value of one sample line, e.g. `cchc_sends_total{channel="messenger",status="sent"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let mock: PlatformMock;
  let database: TestDatabase;
  let service: ChannelTestService;

  beforeAll(async () => {
    mock = await startPlatformMock();
    database = await testDatabase();
    service = await startChannelService(
      {
        SEED_DEMO: 'true',
        MESSENGER_APP_SECRET: appSecret,
        MESSENGER_PAGE_ACCESS_TOKEN: 'metrics-page-token',
        MESSENGER_VERIFY_TOKEN: 'metrics-verify',
        MESSENGER_PAGE_ID: '1122334455',
        GRAPH_API_BASE_URL: mock.url,
        MESSENGER_SENDS_PER_SECOND: '0',
        METRICS_TOKEN: token,
        METRICS_PORT: '0',
      },
      database.url,
      { channels: (deps) => [createMessengerChannel(deps)!] },
    );
  }, 120_000);

  afterAll(async () => {
    await service?.close();
    await mock?.close();
    await database?.drop();
  });

  it('refuses a scrape without the token, or with a wrong one', async () => {
    const none = await fetch(`${service.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await fetch(`${service.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('cchc_');
  });

  it('counts webhooks, answers by outcome, sends by status with their latency, and memory', async () => {
    const questions = ['làm giấy khai sinh cần gì', 'xin chào', 'sđt đường dây nóng'];
    for (const [i, q] of questions.entries()) {
      const w = webhook(`m_metrics_${i}`, `70000000000000000000${i}`, q);
      expect((await service.post('/webhooks/messenger', w.body, w.headers)).status).toBe(200);
    }
    await eventually(() => new Set(mock.calls('/messages').map((r) => (r.body as { recipient: { id: string } }).recipient.id)).size === 3);
    await service.inbox.idle();
    const res = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'cchc_inbound_received_total', { channel: 'messenger' })).toBe(3);
    const allAnswers = text.split('\n').filter((l) => l.startsWith('cchc_answers_total{')).map((l) => Number(l.split(' ').pop()));
    expect(allAnswers.reduce((a, b) => a + b, 0)).toBe(3);
    expect(sample(text, 'cchc_answers_total', { outcome: 'greeting' })).toBe(1);
    const sendCalls = mock.calls('/messages').filter((r) => !(r.body as { sender_action?: string }).sender_action).length;
    expect(sample(text, 'cchc_sends_total', { channel: 'messenger', status: 'sent' })).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'cchc_sends_total', { channel: 'messenger', status: 'sent' })).toBeLessThanOrEqual(sendCalls);
    expect(sample(text, 'cchc_send_duration_seconds_count', { channel: 'messenger' })).toBe(sample(text, 'cchc_sends_total', { channel: 'messenger', status: 'sent' }));
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(1_000_000);
    expect(sample(text, 'cchc_scheduler_lag_seconds')).toBe(0);
    // Everything was sent: no queue left.
    expect(sample(text, 'cchc_queue_depth', { direction: 'outbound', channel: 'messenger' })).toBeUndefined();
  }, 60_000);

  it('shows a waiting reply as queue depth and oldest age, and a failed send by its error kind', async () => {
    const old = new Date(Date.now() - 90_000);
    await service.db.db.$transaction((tx) =>
      enqueueOutbound(tx, [{ channel: 'messenger', kind: 'reply', recipientRef: 'r', address: '7999', reply: { kind: 'text', text: 'chờ' } }], old),
    );
    // Next attempt in the future: it stays queued while we scrape.
    await service.db.db.outboundMessage.updateMany({ where: { address: '7999' }, data: { nextAttemptAt: new Date(Date.now() + 3_600_000) } });
    mock.handle((r) => (r.path.endsWith('/messages') ? { status: 400, json: { error: { message: 'Invalid parameter', type: 'OAuthException', code: 100 } } } : undefined));
    const w = webhook('m_metrics_rejected', '7000000000000000000099', 'xin chào');
    expect((await service.post('/webhooks/messenger', w.body, w.headers)).status).toBe(200);
    await eventually(async () => (await service.db.db.outboundMessage.count({ where: { address: '7000000000000000000099', status: 'failed' } })) > 0);
    mock.handle(() => undefined);
    const text = await (await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(sample(text, 'cchc_queue_depth', { direction: 'outbound', channel: 'messenger' })).toBe(1);
    expect(sample(text, 'cchc_queue_oldest_age_seconds', { direction: 'outbound', channel: 'messenger' })).toBeGreaterThanOrEqual(89);
    expect(sample(text, 'cchc_sends_total', { channel: 'messenger', status: 'rejected' })).toBe(1);
  }, 60_000);

  it('serves the same text without a token on the separate loopback listener', async () => {
    expect(service.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(service.metricsUrl!);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(sample(text, 'cchc_inbound_received_total', { channel: 'messenger' })).toBe(4);
    expect((await fetch(service.metricsUrl!.replace('/metrics', '/admin'))).status).toBe(404);
  });
});

describe('without METRICS_TOKEN or METRICS_PORT', () => {
  it('does not serve /metrics at all', async () => {
    const database = await testDatabase();
    const service = await startChannelService({}, database.url);
    try {
      const res = await fetch(`${service.url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('cchc_');
      expect(service.metricsUrl).toBeNull();
    } finally {
      await service.close();
      await database.drop();
    }
  }, 60_000);
});
