/**
 * Durability of the inbox and the ledger's outbox on the real database, through real HTTP into the real service,
 * with the Telegram Bot API played by a recording mock that injects failures: store before acknowledging, crashes
 * and restarts, re-deliveries, retries with backoff, auth/rejected/unknown outcomes, pacing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceOptions } from '../../src/app/service.js';
import { createTelegramChannel, type TelegramOptions } from '../../src/channels/telegram/index.js';
import type { Responder } from '../../src/domain/inbox/processor.js';
import { Dispatcher } from '../../src/domain/ledger/dispatcher.js';
import { silentLogger } from '../../src/domain/logger.js';
import { telegramTextUpdate } from '../fixtures/telegram/load.js';
import type { MockReply, MockServer } from '../support/mock-server.js';
import { startRestartableService as startTestService, type RestartableService as TestService } from '../support/restartable.js';
import { isTelegramSend, startTelegramMock, tgBody, tgError, tgMethod } from '../support/telegram-mock.js';
import { testDbKind } from '../support/db.js';
import { refuseInserts } from '../support/db-faults.js';

const token = '123456:durability-token';
const secret = 'durability-secret';
const retry = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 1_000, authHoldMs: 300 };

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

const echo =
  (parts = 1): Responder =>
  ({ message, context }) => ({
    replies: Array.from({ length: parts }, (_, i) => ({ kind: 'text' as const, text: `Phần ${i + 1}: ${message.text}` })),
    context,
    outcome: 'answered',
    handover: false,
  });

describe(`inbox and outbox durability (${testDbKind})`, () => {
  let mock: MockServer;
  const running: TestService[] = [];
  let n = 0;

  beforeAll(async () => {
    mock = await startTelegramMock();
  });
  afterEach(async () => {
    for (const t of running.splice(0)) await t.destroy();
    mock.reset();
  });
  afterAll(async () => {
    await mock.close();
  });

  const env = () => ({ PUBLIC_BASE_URL: 'https://xa.example.vn', TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_API_ROOT: mock.url });
  const options = (respond: Responder, extra: ServiceOptions = {}, telegram: TelegramOptions = {}): ServiceOptions => ({
    channels: ({ config, log }) => [createTelegramChannel(config, log, telegram)],
    respond,
    retry,
    ...extra,
  });
  const start = async (respond: Responder, extra: ServiceOptions = {}, telegram: TelegramOptions = {}) => {
    const t = await startTestService(env(), options(respond, extra, telegram));
    running.push(t);
    return t;
  };
  /** A new citizen message (unique ids) from chat `chat`. */
  const update = (text: string, chat = 424242) => {
    const u = telegramTextUpdate((n += 1), text);
    u.message.chat.id = chat;
    u.message.from.id = chat;
    return u;
  };
  const deliver = (t: TestService, u: unknown) =>
    fetch(`${t.service.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(u),
    });
  const sends = (chat = '424242') => mock.requests.filter((r) => isTelegramSend(r, chat));
  const ledger = (t: TestService) => t.service.db.db.outboundMessage.findMany({ orderBy: { id: 'asc' } });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Makes the next `count` sendMessage calls answer `failure`; later ones succeed. */
  const failSends = (failure: MockReply, count = 1) => {
    let left = count;
    mock.intercept((r) => (tgMethod(r) === 'sendMessage' && left-- > 0 ? failure : undefined));
  };
  /** Simulates the process dying: the port and the database connection go away, nothing is awaited or flushed. */
  const crash = async (t: TestService) => {
    t.service.server.closeAllConnections();
    await new Promise<void>((r) => t.service.server.close(() => r()));
    await t.service.db.close();
  };

  it('stores before acknowledging: the webhook answers while the engine has not run, and the reply follows', async () => {
    const engine = gate();
    const t = await start(async (input) => {
      await engine.opened;
      return echo()(input);
    });
    const res = await deliver(t, update('giờ làm việc của xã'));
    expect(res.status).toBe(200);
    const stored = await t.service.db.db.inboundMessage.findMany();
    expect(stored).toHaveLength(1);
    expect(['received', 'processing']).toContain(stored[0]!.status);
    expect(sends()).toHaveLength(0);
    engine.open();
    await t.service.inbox.idle();
    expect(sends().map((r) => tgBody(r).text)).toEqual(['Phần 1: giờ làm việc của xã']);
  });

  it('when the engine throws, the citizen still gets a polite Vietnamese reply and staff see the question', async () => {
    const t = await start(() => {
      throw new Error('engine exploded');
    });
    expect((await deliver(t, update('câu hỏi làm hỏng bot'))).status).toBe(200);
    await t.service.inbox.idle();
    const texts = sends().map((r) => tgBody(r).text as string);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('Xin lỗi, hệ thống đang gặp sự cố');
    const [inbound] = await t.service.db.db.inboundMessage.findMany();
    expect(inbound).toMatchObject({ status: 'processed', outcome: 'unanswered' });
    expect(await t.service.db.db.unansweredQuestion.count()).toBe(1);
  });

  it('answers 5xx (so Telegram re-delivers) when the update cannot be stored, and 200 once it can', async () => {
    const t = await start(echo());
    const u = update('lưu không được');
    const allow = await refuseInserts(t.service.db.db, 'InboundMessage');
    expect((await deliver(t, u)).status).toBe(500);
    await allow();
    expect(await t.service.db.db.inboundMessage.count()).toBe(0);
    expect((await deliver(t, u)).status).toBe(200);
    await t.service.inbox.idle();
    expect(sends()).toHaveLength(1);
  });

  it('a crash after storing, before the reply was recorded, still gets the citizen exactly one reply after restart', async () => {
    const engine = gate();
    const entered = gate();
    const t = await start(async (input) => {
      entered.open();
      await engine.opened;
      return echo()(input);
    });
    const u = update('mất điện giữa chừng');
    expect((await deliver(t, u)).status).toBe(200);
    // The process dies while the engine works on the stored message: nothing of its answer was recorded.
    await entered.opened;
    await crash(t);
    expect(sends()).toHaveLength(0);

    const b = await t.restart(env(), options(echo(), { inbox: { processingLeaseMs: 0 } }));
    await b.tick();
    await b.tick();
    expect(sends().map((r) => tgBody(r).text)).toEqual(['Phần 1: mất điện giữa chừng']);
    // Telegram re-delivers the update the crashed process may not have answered: still one reply.
    expect((await deliver(t, u)).status).toBe(200);
    // The worker of the dead process wakes up late: its write conflicts with the ledger row already there.
    engine.open();
    await sleep(300);
    await b.inbox.idle();
    await b.tick();
    expect(sends()).toHaveLength(1);
    const rows = await ledger(t);
    expect(rows.map((r) => [r.status, r.seq])).toEqual([['sent', 0]]);
    // The stale worker's failure does not overwrite the outcome the new process recorded.
    expect((await b.db.db.inboundMessage.findFirstOrThrow()).status).toBe('processed');
  });

  it('first messages of a new citizen arriving together are all stored and answered', async () => {
    const t = await start(echo());
    const batch = Array.from({ length: 6 }, (_, i) => update(`tin đồng thời ${i}`, 5550));
    const statuses = await Promise.all(batch.map((u) => deliver(t, u).then((r) => r.status)));
    expect(statuses).toEqual(batch.map(() => 200));
    await t.service.inbox.idle();
    expect(await t.service.db.db.inboundMessage.count()).toBe(6);
    expect(await t.service.db.db.conversation.count()).toBe(1);
    expect(sends('5550')).toHaveLength(6);
  });

  it('a re-delivery while the first delivery is still being processed produces no second reply', async () => {
    const engine = gate();
    const t = await start(async (input) => {
      await engine.opened;
      return echo(2)(input);
    });
    const u = update('gửi hai lần');
    const [a, b] = await Promise.all([deliver(t, u), deliver(t, u)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await deliver(t, u)).status).toBe(200);
    engine.open();
    await t.service.inbox.idle();
    await t.service.tick();
    expect(sends()).toHaveLength(2);
    expect(await t.service.db.db.inboundMessage.count()).toBe(1);
  });

  it('transient failures (5xx, 429) go back to pending with jittered backoff honouring retry_after, then send once', async () => {
    const t = await start(echo());
    failSends(tgError(502, 'Bad Gateway'));
    const before = Date.now();
    await deliver(t, update('lỗi máy chủ'));
    await t.service.inbox.idle();
    let [row] = await ledger(t);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('502') });
    const wait = row!.nextAttemptAt.getTime() - before;
    // Attempt 1: base 200 ms, jittered into [100, 200] ms (plus the time the request took).
    expect(wait).toBeGreaterThanOrEqual(100);
    expect(wait).toBeLessThan(200 + (Date.now() - before));
    await t.service.tick();
    // Not yet due (or just sent): never more than the one failed call plus one retry.
    await sleep(250);
    await t.service.tick();
    [row] = await ledger(t);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sends()).toHaveLength(2);

    failSends(tgError(429, 'Too Many Requests: retry after 30', { retry_after: 30 }));
    const at429 = Date.now();
    await deliver(t, update('nhiều tin quá'));
    await t.service.inbox.idle();
    const limited = (await ledger(t))[1]!;
    expect(limited).toMatchObject({ status: 'pending', attempts: 1 });
    expect(limited.nextAttemptAt.getTime() - at429).toBeGreaterThanOrEqual(30_000);
    await t.service.tick();
    expect((await ledger(t))[1]!.status).toBe('pending');
  });

  it('a network failure before the request reached Telegram is retried, and the new process sends it once', async () => {
    // Telegram is unreachable (nothing listens on port 9): the connection is refused, so nothing was sent.
    const offline = { ...env(), TELEGRAM_API_ROOT: 'http://127.0.0.1:9' };
    const t = await startTestService(offline, options(echo()));
    running.push(t);
    await deliver(t, update('mất mạng'));
    await t.service.inbox.idle();
    expect((await ledger(t))[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('ECONNREFUSED') });
    await t.service.close();
    await sleep(retry.baseDelayMs + 50);
    const b = await t.restart(env(), options(echo()));
    await b.tick();
    expect((await ledger(t))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sends().map((r) => tgBody(r).text)).toEqual(['Phần 1: mất mạng']);
  });

  it('gives up after the retry policy’s attempts and marks the row failed', async () => {
    const t = await start(echo());
    failSends(tgError(500, 'Internal Server Error'), 10);
    await deliver(t, update('máy chủ hỏng mãi'));
    await t.service.inbox.idle();
    for (let i = 0; i < 10 && (await ledger(t))[0]!.status === 'pending'; i++) {
      await sleep(450);
      await t.service.tick();
    }
    const [row] = await ledger(t);
    expect(row).toMatchObject({ status: 'failed', attempts: retry.maxAttempts, lastError: expect.stringContaining('Gave up after 3 attempts') });
    expect(sends()).toHaveLength(retry.maxAttempts);
  });

  it('backoff doubles per attempt, is jittered into [half, full], capped, and never shorter than retry-after', () => {
    const at = (r: number) => new Dispatcher({ db: undefined as never, outlets: new Map(), log: silentLogger, retry, random: () => r });
    expect([1, 2, 3].map((a) => at(0).backoffMs(a))).toEqual([100, 200, 400]);
    expect([1, 2, 3].map((a) => at(1).backoffMs(a))).toEqual([200, 400, 800]);
    expect(at(1).backoffMs(10)).toBe(1_000);
    expect(at(0.5).backoffMs(1, 5_000)).toBe(5_000);
  });

  it('an auth failure flags the channel unhealthy for staff and holds the row; it recovers once the token works', async () => {
    const t = await start(echo());
    failSends(tgError(401, 'Unauthorized'));
    await deliver(t, update('token hết hạn'));
    await t.service.inbox.idle();
    const state = await t.service.db.db.channelState.findFirstOrThrow({ where: { channel: 'telegram' } });
    expect(state.healthy).toBe(false);
    expect(state.lastError).toContain('TELEGRAM_BOT_TOKEN');
    expect((await ledger(t))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    await sleep(retry.authHoldMs + 50);
    await t.service.tick();
    expect((await ledger(t))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await t.service.db.db.channelState.findFirstOrThrow({ where: { channel: 'telegram' } })).healthy).toBe(true);
  });

  it('rejected (400) and gone (403) are final: not retried', async () => {
    const t = await start(echo());
    failSends(tgError(400, 'Bad Request: message text is empty'));
    await deliver(t, update('bị từ chối'));
    await t.service.inbox.idle();
    failSends(tgError(403, 'Forbidden: bot was blocked by the user'));
    await deliver(t, update('đã chặn bot'));
    await t.service.inbox.idle();
    await sleep(300);
    await t.service.tick();
    const rows = await ledger(t);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([['failed', 1], ['failed', 1]]);
    expect(sends()).toHaveLength(2);
  });

  it('an unknown outcome (timeout after the request was sent) is unconfirmed and never resent', async () => {
    const t = await start(echo(), {}, { timeoutSeconds: 1 });
    failSends({ hang: true });
    await deliver(t, update('mạng chập chờn'));
    await t.service.inbox.idle();
    await sleep(300);
    await t.service.tick();
    const [row] = await ledger(t);
    expect(row).toMatchObject({ status: 'unconfirmed', attempts: 1 });
    expect(sends()).toHaveLength(1);
  });

  it('a row left in `sending` by a crash becomes unconfirmed after restart, and is not resent', async () => {
    const t = await start(echo());
    failSends({ hang: true });
    await deliver(t, update('đang gửi thì sập'));
    await mock.waitFor((r) => isTelegramSend(r));
    expect((await ledger(t))[0]!.status).toBe('sending');
    await crash(t);
    const b = await t.restart(env(), options(echo(), { inbox: { sendingLeaseMs: 0 } }));
    await b.tick();
    const [row] = await ledger(t);
    expect(row).toMatchObject({ status: 'unconfirmed', lastError: expect.stringContaining('delivery unknown') });
    await b.tick();
    expect(sends()).toHaveLength(1);
  });

  it('restart resumes pending sends: a reply waiting for its retry goes out once from the new process', async () => {
    const t = await start(echo(2));
    failSends(tgError(503, 'Service Unavailable'), 2);
    await deliver(t, update('khởi động lại'));
    await t.service.inbox.idle();
    expect((await ledger(t)).map((r) => r.status)).toEqual(['pending', 'pending']);
    await t.service.close();
    await sleep(retry.maxDelayMs);
    const b = await t.restart();
    await b.tick();
    expect((await ledger(t)).map((r) => r.status)).toEqual(['sent', 'sent']);
    const texts = sends().map((r) => tgBody(r).text);
    expect(texts).toHaveLength(4);
    expect(texts.slice(2)).toEqual(['Phần 1: khởi động lại', 'Phần 2: khởi động lại']);
  });

  it('paces sends per channel to its sends per second, across conversations', async () => {
    // When each send leaves for Telegram, seen from the service (request latency at the mock would blur it). A low
    // rate makes the gap much longer than a send takes, so concurrent conversations would overlap without pacing.
    const startedAt: number[] = [];
    const perSecond = 5;
    const t = await startTestService(env(), {
      ...options(echo(2)),
      channels: ({ config, log }) => {
        const telegram = createTelegramChannel(config, log);
        return [
          {
            ...telegram,
            capabilities: { ...telegram.capabilities, sendsPerSecond: perSecond },
            send: (...args: Parameters<typeof telegram.send>) => (startedAt.push(Date.now()), telegram.send(...args)),
          },
        ];
      },
    });
    running.push(t);
    await Promise.all([1001, 1002, 1003].map((chat) => deliver(t, update(`nhịp gửi ${chat}`, chat))));
    await t.service.inbox.idle();
    expect(mock.requests.filter((r) => isTelegramSend(r))).toHaveLength(6);
    expect(startedAt).toHaveLength(6);
    const gap = 1000 / perSecond;
    // Send i starts no earlier than i gaps after the first (a late timer may shorten the next gap, never the total).
    // The pacer spaces rows before their claim so nothing waits between a claim and its call: a call may start ahead
    // of its turn by the first claim's duration (milliseconds), never by a quarter of a gap; unpaced, they overlap.
    for (let i = 1; i < startedAt.length; i++) expect(startedAt[i]! - startedAt[0]!).toBeGreaterThanOrEqual(i * gap - gap / 4);
  });
});
