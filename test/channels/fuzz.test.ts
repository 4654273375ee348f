/**
 * Seeded fuzzing of the three platform webhooks through real HTTP into the real service (all three channels on, the
 * platforms played by loopback mocks): a few hundred signed, mutated bodies per channel, the same ones on every run
 * (FUZZ_SEED overrides the seed to explore). Whatever a signed body holds: never a 5xx, the service keeps answering,
 * and no reply ever goes to an id that no body carried exactly (a rewritten id would answer the wrong person).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../fixtures/load.js';
import { telegramUpdate } from '../fixtures/telegram/load.js';
import { startChannelService, testDatabase, type ChannelTestService, type TestDatabase } from '../support/channel-service.js';
import { startPlatformMock, type PlatformMock } from '../support/platform-mock.js';
import { isTelegramSend, startTelegramMock, tgBody } from '../support/telegram-mock.js';
import type { MockServer } from '../support/mock-server.js';

const seed = Number(process.env.FUZZ_SEED ?? 20261203);
const perChannel = 200;
const appSecret = 'fuzz-app-secret';
const zaloAppId = '3141592653589793';
const zaloKey = 'fuzz-oa-secret';
const tgSecret = 'fuzz-secret';

/** mulberry32: a small seeded generator, so a failing body can be found again from the seed. */
function generator(s: number) {
  let a = s >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]! };
}
type Rng = ReturnType<typeof generator>;

const strange = (rng: Rng): unknown =>
  rng.pick<() => unknown>([
    () => 8.64e15 + rng.int(1e6),
    () => -1,
    () => 0,
    () => 1e308,
    () => 2 ** 53 + 1,
    () => 3.5,
    () => '',
    () => 'x'.repeat(5_000),
    () => `\ud800${rng.int(1e6)}`,
    () => `${rng.int(1e6)}\udfff`,
    () => `a\u0000${rng.int(1e6)}`,
    () => '=HYPERLINK("http://evil")',
    () => 'Xin chào 👋 e\u0301',
    () => null,
    () => true,
    () => [],
    () => ({}),
    () => [{ a: 1 }],
    () => ({ id: rng.int(1e9) }),
    () => String(rng.int(1e16)),
  ])();

/** Every path to a leaf or node inside `value`. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string, unknown>)[String(k)], [...prefix, k]))];
}

/** Applies 1–3 random mutations: replace a value, delete a key, or duplicate an array element. */
function mutate(body: unknown, rng: Rng): unknown {
  const root = { body: structuredClone(body) };
  for (let m = 0, n = 1 + rng.int(3); m < n; m++) {
    const all = paths(root.body, ['body']).filter((p) => p.length > 1);
    if (all.length === 0) break;
    const path = rng.pick(all);
    let parent: any = root;
    for (const k of path.slice(0, -1)) parent = parent[k];
    const key = path[path.length - 1]!;
    const op = rng.int(10);
    if (op < 6) parent[key] = strange(rng);
    else if (op < 8 && !Array.isArray(parent)) delete parent[key];
    else if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
    else parent[key] = strange(rng);
  }
  return root.body;
}

/** Every string and number found under keys named like ids (exact JSON values, as a platform would answer them). */
function idsIn(value: unknown, into: Set<string>, key = ''): void {
  if (typeof value === 'string' || typeof value === 'number') {
    if (/id$/i.test(key)) into.add(String(value));
    return;
  }
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) idsIn(v, into, Array.isArray(value) ? key : k);
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe(`seeded webhook fuzzing (seed ${seed}, ${perChannel} bodies per channel)`, () => {
  let graph: PlatformMock;
  let zalo: PlatformMock;
  let telegram: MockServer;
  let db: TestDatabase;
  let service: ChannelTestService;

  beforeAll(async () => {
    [graph, zalo, telegram] = await Promise.all([startPlatformMock(), startPlatformMock(), startTelegramMock()]);
    db = await testDatabase();
    service = await startChannelService(
      {
        LOG_LEVEL: 'info',
        PUBLIC_BASE_URL: 'https://xa.example.vn',
        MESSENGER_APP_SECRET: appSecret,
        MESSENGER_PAGE_ACCESS_TOKEN: 'fuzz-page-token',
        MESSENGER_VERIFY_TOKEN: 'fuzz-verify',
        MESSENGER_PAGE_ID: '1122334455',
        GRAPH_API_BASE_URL: graph.url,
        MESSENGER_SENDS_PER_SECOND: '0',
        ZALO_APP_ID: zaloAppId,
        ZALO_OA_ID: zaloAppId,
        ZALO_OA_SECRET_KEY: zaloKey,
        ZALO_APP_SECRET: 'fuzz-app',
        ZALO_ACCESS_TOKEN: 'fuzz-access',
        ZALO_REFRESH_TOKEN: 'fuzz-refresh',
        ZALO_OPENAPI_BASE_URL: zalo.url,
        ZALO_OAUTH_BASE_URL: zalo.url,
        TELEGRAM_BOT_TOKEN: '123456:fuzz-token',
        TELEGRAM_WEBHOOK_SECRET: tgSecret,
        TELEGRAM_API_ROOT: telegram.url,
      },
      db.url,
      { respond: ({ message, context }) => ({ replies: [{ kind: 'text', text: `Đã nhận: ${message.text.slice(0, 50)}` }], context, outcome: 'answered', handover: false }) },
    );
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await Promise.all([graph?.close(), zalo?.close(), telegram?.close()]);
    await db?.drop();
  });

  const bodies = {
    messenger: (n: number) => {
      const b = loadFixture('messenger', 'text-message');
      const e = b.entry[0].messaging[0];
      e.sender.id = String(6_000_000_000_000_000 + n);
      e.message.mid = `m_fuzz_${n}`;
      b.entry[0].time = Date.now();
      e.timestamp = Date.now();
      return b;
    },
    zalo: (n: number) => {
      const b = loadFixture('zalo', 'user-send-text');
      b.sender.id = String(8_000_000_000_000_000 + n);
      b.message.msg_id = `zfuzz${n}`;
      b.timestamp = String(Date.now());
      return b;
    },
    telegram: (n: number) => {
      const u = telegramUpdate('text-message');
      u.update_id = 900_000_000 + n;
      u.message.message_id = 70_000 + n;
      u.message.chat.id = 500_000 + n;
      u.message.from.id = 500_000 + n;
      u.message.date = Math.floor(Date.now() / 1000);
      return u;
    },
  };
  const sign = {
    messenger: (raw: string) => ({ 'x-hub-signature-256': 'sha256=' + crypto.createHmac('sha256', appSecret).update(raw).digest('hex') }),
    zalo: (raw: string) => {
      let ts = '';
      try {
        const t = JSON.parse(raw)?.timestamp;
        ts = t === undefined || t === null ? '' : String(t);
      } catch {
        /* keeps '' */
      }
      return { 'x-zevent-signature': 'mac=' + crypto.createHash('sha256').update(zaloAppId + raw + ts + zaloKey).digest('hex') };
    },
    telegram: () => ({ 'x-telegram-bot-api-secret-token': tgSecret }),
  };

  it('answers every signed, mutated body below 500, keeps running, and replies only to ids that were sent', async () => {
    const rng = generator(seed);
    const sentIds = new Set<string>();
    const failures: string[] = [];
    const jobs: (() => Promise<void>)[] = [];
    for (const channel of ['messenger', 'zalo', 'telegram'] as const) {
      for (let n = 0; n < perChannel; n++) {
        const body = n % 5 === 0 ? bodies[channel](n) : mutate(bodies[channel](n), rng);
        const raw = JSON.stringify(body);
        idsIn(body, sentIds);
        jobs.push(async () => {
          const res = await service.post(`/webhooks/${channel}`, raw, sign[channel](raw));
          if (res.status >= 500) failures.push(`${channel} #${n} → ${res.status}: ${raw.slice(0, 300)}`);
        });
      }
    }
    // Eight at a time, as platforms deliver concurrently.
    for (let i = 0; i < jobs.length; i += 8) await Promise.all(jobs.slice(i, i + 8).map((j) => j()));
    expect(failures, `seed ${seed}`).toEqual([]);

    await service.inbox.idle();
    await service.tick();
    await service.inbox.idle();
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect(service.logs.filter((l) => l.msg === 'unhandled error' || l.msg === 'inbound processing crashed')).toEqual([]);

    const recipients = [
      ...graph.requests.filter((r) => r.path.endsWith('/messages')).map((r) => String((r.body as any)?.recipient?.id)),
      ...zalo.requests.filter((r) => r.path.includes('/oa/message')).map((r) => String((r.body as any)?.recipient?.user_id)),
      ...telegram.requests.filter((r) => isTelegramSend(r)).map((r) => String(tgBody(r).chat_id)),
    ];
    // Every unmutated body (one in five) is answered; then some mutated ones.
    expect(recipients.length).toBeGreaterThanOrEqual((3 * perChannel) / 5);
    const wrong = recipients.filter((id) => !sentIds.has(id) || loneSurrogate.test(id) || id.includes('\ufffd'));
    expect(wrong, `seed ${seed}`).toEqual([]);
    // Events refused for their shape or ids are kept with the reason.
    const rejected = await service.db.db.rejectedEvent.findMany({ select: { reason: true } });
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((r) => r.reason.length > 0)).toBe(true);
  }, 300_000);

  const messengerBatch = (events: object[]) => {
    const b = loadFixture('messenger', 'text-message');
    b.entry[0].time = Date.now();
    b.entry[0].messaging = events;
    return JSON.stringify(b);
  };
  const messengerEvent = (sender: string, mid: string, text: string, timestamp: number = Date.now()) => ({
    sender: { id: sender },
    recipient: { id: '1122334455' },
    timestamp,
    message: { mid, text },
  });
  const repliesTo = (id: string) => graph.requests.filter((r) => r.path.endsWith('/messages') && (r.body as any)?.recipient?.id === id);

  it('a timestamp beyond any date does not fail its neighbours: both are stored (at the receive time) and answered', async () => {
    const before = Date.now();
    const raw = messengerBatch([messengerEvent('7100000000000001', 'm_far_future', 'giờ làm việc', 8.64e15 + 1), messengerEvent('7100000000000002', 'm_neighbour', 'phí chứng thực')]);
    expect((await service.post('/webhooks/messenger', raw, sign.messenger(raw))).status).toBe(200);
    await service.inbox.idle();
    const stored = await service.db.db.inboundMessage.findFirstOrThrow({ where: { platformMessageId: 'm_far_future' } });
    expect(stored.receivedAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(stored.receivedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(repliesTo('7100000000000001')).toHaveLength(1);
    expect(repliesTo('7100000000000002')).toHaveLength(1);
  });

  it('refuses an event whose sender id has a lone surrogate (kept as rejected), and answers its neighbour', async () => {
    const raw = messengerBatch([messengerEvent('7200000000000001\ud800', 'm_surrogate', 'xin chào'), messengerEvent('7200000000000002', 'm_fine', 'xin chào')]);
    expect((await service.post('/webhooks/messenger', raw, sign.messenger(raw))).status).toBe(200);
    await service.inbox.idle();
    expect(await service.db.db.inboundMessage.count({ where: { platformMessageId: 'm_surrogate' } })).toBe(0);
    const rejected = await service.db.db.rejectedEvent.findFirstOrThrow({ where: { excerpt: { contains: 'm_surrogate' } } });
    expect(rejected).toMatchObject({ channel: 'messenger', reason: 'sender address contains a lone UTF-16 surrogate' });
    expect(graph.requests.filter((r) => r.path.endsWith('/messages') && String((r.body as any)?.recipient?.id).startsWith('7200000000000001'))).toHaveLength(0);
    expect(repliesTo('7200000000000002')).toHaveLength(1);
    // The log names the reason, not the id.
    const line = service.logs.find((l) => l.msg === 'webhook event refused; kept as a rejected event' && l.reason === 'sender address contains a lone UTF-16 surrogate');
    expect(line).toMatchObject({ channel: 'messenger' });
    expect(JSON.stringify(service.logs)).not.toContain('7200000000000001');
  });
});
