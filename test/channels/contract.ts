/**
 * The contract every channel adapter keeps, run against each one (à la Hono's router/common.case.test.ts): real
 * HTTP into the real service started with only that channel, the platform played by a recording mock server, and
 * the platform's documented webhook bodies from test/fixtures/<channel>/. A channel joins with one small file:
 *
 * @example
 * // test/channels/telegram.contract.test.ts
 * channelContract('telegram', telegramFixture);
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceOptions } from '../../src/app/service.js';
import type { Responder } from '../../src/domain/inbox/processor.js';
import { refuseInserts } from '../support/db-faults.js';
import { startRestartableService as startTestService, type RestartableService as TestService } from '../support/restartable.js';

/** One API call as a platform mock recorded it (both test/support mocks record this shape). */
export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
}

/** What the suite needs of a platform mock: its address, the calls it recorded so far, and a way to stop it. */
export interface ContractMock {
  url: string;
  requests: readonly RecordedCall[];
  close(): Promise<void>;
}

export interface ChannelFixture {
  /** Starts the mock of the platform's API, recording every call. */
  startMock(): Promise<ContractMock>;
  /** Environment that enables this channel (and only it) against the mock. PUBLIC_BASE_URL is set by the suite. */
  env(mockUrl: string): Record<string, string>;
  /** Which channels the service runs (only the one under test). */
  channels: NonNullable<ServiceOptions['channels']>;
  /**
   * A documented citizen text message with a unique message id derived from `n`, and the address replies go to.
   * The body is the raw bytes the platform would POST.
   */
  citizenMessage(n: number, text: string): { body: string; address: string };
  /** Headers that make `body` authentic (signature or secret token) plus the content type. */
  sign(body: string): Record<string, string>;
  /** Headers of a forged request: a signature or secret that is wrong. */
  forge(body: string): Record<string, string>;
  /** Documented events of kinds the service does not answer (edits, echoes, membership changes…). */
  unknownEvents(): string[];
  /** Whether a recorded API call is a message sent to `address` (not a typing indicator or a receipt). */
  isReply(r: RecordedCall, address: string): boolean;
}

/** Answers "hai phần" with two reply parts and everything else with one, echoing the text. */
const contractResponder: Responder = ({ message, context }) => ({
  replies: message.text.includes('hai phần')
    ? [{ kind: 'text', text: `Phần 1: ${message.text}` }, { kind: 'text', text: 'Phần 2: xin cảm ơn.' }]
    : [{ kind: 'text', text: `Đã nhận: ${message.text}` }],
  context,
  outcome: 'answered',
  handover: false,
});

export function channelContract(name: string, fixture: ChannelFixture): void {
  describe(`channel contract: ${name}`, () => {
    let mock: ContractMock;
    /** Calls recorded before the current test began; each test looks only at what it caused. */
    let since = 0;
    let t: TestService;
    let n = 0;
    const next = () => (n += 1);

    beforeAll(async () => {
      mock = await fixture.startMock();
      t = await startTestService(
        { PUBLIC_BASE_URL: 'https://xa.example.vn', ...fixture.env(mock.url) },
        { channels: fixture.channels, respond: contractResponder },
      );
    });
    afterAll(async () => {
      await t?.destroy();
      await mock?.close();
    });
    beforeEach(() => {
      since = mock.requests.length;
    });

    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${t.service.url}/webhooks/${name}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
    const inboundCount = () => t.service.db.db.inboundMessage.count();
    const repliesTo = (address: string) => mock.requests.slice(since).filter((r) => fixture.isReply(r, address));
    /** Everything the service does after answering the webhook is done when the inbox is idle. */
    const settled = () => t.service.inbox.idle();

    it('a signed citizen message gets exactly one reply per reply part, and a re-delivery gets none', async () => {
      const one = fixture.citizenMessage(next(), 'làm giấy khai sinh cần gì ạ');
      const res = await post(one.body, fixture.sign(one.body));
      expect(res.status).toBe(200);
      await settled();
      const replies = repliesTo(one.address);
      expect(replies).toHaveLength(1);
      expect(JSON.stringify(replies[0]!.body)).toContain('khai sinh');

      const again = await post(one.body, fixture.sign(one.body));
      expect(again.status).toBeLessThan(300);
      await settled();
      expect(repliesTo(one.address)).toHaveLength(1);

      const two = fixture.citizenMessage(next(), 'cho tôi câu trả lời hai phần');
      expect((await post(two.body, fixture.sign(two.body))).status).toBe(200);
      await settled();
      const all = repliesTo(two.address).map((r) => JSON.stringify(r.body));
      expect(all).toHaveLength(3);
      expect(all[1]).toContain('Phần 1');
      expect(all[2]).toContain('Phần 2');
    });

    it('stores the message before answering, once per platform id, with its ledger replies', async () => {
      const m = fixture.citizenMessage(next(), 'xin hỏi giờ làm việc');
      const before = await inboundCount();
      const res = await post(m.body, fixture.sign(m.body));
      expect(res.status).toBe(200);
      // Counted right after the 200, before waiting for processing: the answer came after the row was written.
      expect(await inboundCount()).toBe(before + 1);
      await post(m.body, fixture.sign(m.body));
      await settled();
      expect(await inboundCount()).toBe(before + 1);
      const row = await t.service.db.db.inboundMessage.findFirstOrThrow({ orderBy: { id: 'desc' } });
      expect(row).toMatchObject({ channel: name, status: 'processed', text: 'xin hỏi giờ làm việc' });
      const ledger = await t.service.db.db.outboundMessage.findMany({ where: { inboundId: row.id } });
      expect(ledger.map((l) => l.status)).toEqual(['sent']);
      expect(ledger[0]!.platformMessageId).toBeTruthy();
    });

    it('answers 5xx when the message cannot be stored (so the platform re-delivers), and 200 once it can', async () => {
      const m = fixture.citizenMessage(next(), 'lưu không được thì báo lỗi');
      const allow = await refuseInserts(t.service.db.db, 'InboundMessage');
      let refused: Response;
      try {
        refused = await post(m.body, fixture.sign(m.body));
      } finally {
        await allow();
      }
      expect(refused.status).toBeGreaterThanOrEqual(500);
      expect(repliesTo(m.address)).toHaveLength(0);
      expect((await post(m.body, fixture.sign(m.body))).status).toBe(200);
      await settled();
      expect(repliesTo(m.address)).toHaveLength(1);
    });

    it('refuses forged and unsigned requests with 401/403 and stores nothing', async () => {
      const m = fixture.citizenMessage(next(), 'tin giả mạo');
      const before = await inboundCount();
      const forged = await post(m.body, fixture.forge(m.body));
      expect([401, 403]).toContain(forged.status);
      const unsigned = await post(m.body, { 'content-type': 'application/json' });
      expect([401, 403]).toContain(unsigned.status);
      await settled();
      expect(await inboundCount()).toBe(before);
      expect(repliesTo(m.address)).toHaveLength(0);
    });

    it('answers malformed JSON and an over-1-MB body with 4xx, never 5xx, and stores nothing', async () => {
      const before = await inboundCount();
      for (const bad of ['{"update_id":', '{"object":', 'not json at all', '[1,2', '']) {
        const res = await post(bad, fixture.sign(bad));
        expect(res.status, `body ${JSON.stringify(bad)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `body ${JSON.stringify(bad)}`).toBeLessThan(500);
      }
      const huge = fixture.citizenMessage(next(), 'a'.repeat(1_100_000));
      const res = await post(huge.body, fixture.sign(huge.body));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      await settled();
      expect(await inboundCount()).toBe(before);
    });

    it('ignores documented events of kinds it does not answer with 200, storing and sending nothing', async () => {
      const before = await inboundCount();
      const events = fixture.unknownEvents();
      expect(events.length).toBeGreaterThan(0);
      for (const body of events) {
        const res = await post(body, fixture.sign(body));
        expect(res.status, body.slice(0, 80)).toBe(200);
      }
      await settled();
      expect(await inboundCount()).toBe(before);
      expect(repliesTo(fixture.citizenMessage(0, '').address)).toHaveLength(0);
    });
  });
}
