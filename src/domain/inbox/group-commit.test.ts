import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/support/db.js';
import type { Outlet } from '../delivery.js';
import { silentLogger } from '../logger.js';
import type { InboundMessage, Reply } from '../messages.js';
import { Dispatcher } from '../ledger/dispatcher.js';
import { storeInbound } from '../ledger/inbound.repo.js';
import { citizenRef } from '../ledger/citizen.js';
import { InboxProcessor, type Responder } from './processor.js';

/** An outlet that records what it was asked to send, in order (the platform side of these tests). */
function recordingOutlet(): Outlet & { sent: { address: string; text: string }[] } {
  const sent: { address: string; text: string }[] = [];
  return {
    name: 'webchat',
    capabilities: { maxTextLength: 4000, maxChoices: 10, choiceTitleMax: 40, maxLinkButtons: 3, sendsPerSecond: 0, messagingWindowHours: null },
    sent,
    async send(address: string, reply: Reply) {
      sent.push({ address, text: reply.kind === 'card' ? reply.title : reply.text });
      return { platformMessageIds: [`p${sent.length}`] };
    },
  };
}

const message = (address: string, id: string, text = id): InboundMessage => ({ channel: 'webchat', platformMessageId: id, address, kind: 'text', text, receivedAt: new Date() });

/** Counts messages per conversation in its context, so the order the engine saw them is visible. */
const countingEngine =
  (seen: string[]): Responder =>
  ({ message: m, context }) => {
    const n = ((context as { n?: number }).n ?? 0) + 1;
    seen.push(`${m.address}:${m.text}:${n}`);
    return { replies: [{ kind: 'text', text: `${m.text}#${n}` }, { kind: 'text', text: `${m.text}#${n}b` }], context: { n }, outcome: 'answered', handover: false };
  };

describe('InboxProcessor group commits', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb();
  });
  afterEach(async () => {
    await db.destroy();
  });

  const setup = (seen: string[]) => {
    const outlet = recordingOutlet();
    const dispatcher = new Dispatcher({ db: db.db, outlets: new Map([['webchat', outlet]]), log: silentLogger });
    const inbox = new InboxProcessor({ db: db.db, respond: countingEngine(seen), dispatcher, log: silentLogger, citizenSecret: 'test-secret-123' });
    return { outlet, inbox };
  };

  it('stores and answers many concurrent deliveries exactly once, in order per conversation', async () => {
    const seen: string[] = [];
    const { outlet, inbox } = setup(seen);
    const deliveries = [];
    for (let i = 0; i < 4; i++) for (const who of ['a', 'b', 'c', 'd', 'e']) deliveries.push(inbox.accept([message(who, `${who}${i}`)]));
    // A re-delivery inside the same batch and one after it.
    deliveries.push(inbox.accept([message('a', 'a0'), message('a', 'a0')]));
    await Promise.all(deliveries);
    await inbox.accept([message('b', 'b1')]);
    await inbox.idle();
    expect(await db.db.inboundMessage.count()).toBe(20);
    expect(await db.db.inboundMessage.count({ where: { status: 'processed' } })).toBe(20);
    expect(await db.db.outboundMessage.count({ where: { status: 'sent' } })).toBe(40);
    for (const who of ['a', 'b', 'c', 'd', 'e']) {
      expect(seen.filter((s) => s.startsWith(`${who}:`))).toEqual([0, 1, 2, 3].map((i) => `${who}:${who}${i}:${i + 1}`));
      expect(outlet.sent.filter((s) => s.address === who).map((s) => s.text)).toEqual([0, 1, 2, 3].flatMap((i) => [`${who}${i}#${i + 1}`, `${who}${i}#${i + 1}b`]));
    }
    const rows = await db.db.outboundMessage.findMany({ orderBy: { id: 'asc' } });
    expect(new Set(rows.map((r) => r.platformMessageId)).size).toBe(40);
    const conversation = await db.db.conversation.findFirstOrThrow({ where: { address: 'c' } });
    expect(conversation.context).toEqual({ n: 4 });
  });

  it('threads the context through messages of one conversation that land in one batch (recovery)', async () => {
    const seen: string[] = [];
    const { outlet, inbox } = setup(seen);
    const ref = citizenRef('test-secret-123', 'webchat', 'z');
    const first = await storeInbound(db.db, message('z', 'z1', 'một'), ref);
    const second = await storeInbound(db.db, message('z', 'z2', 'hai'), ref);
    await Promise.all([inbox.process(second.id), inbox.process(first.id)]);
    expect(seen).toEqual(['z:một:1', 'z:hai:2']);
    expect(outlet.sent.map((s) => s.text)).toEqual(['một#1', 'một#1b', 'hai#2', 'hai#2b']);
    expect((await db.db.conversation.findFirstOrThrow({ where: { address: 'z' } })).context).toEqual({ n: 2 });
  });

  it('holds a webhook\'s answer while too many stored messages wait to be answered, and lets it go when room frees or after the wait limit', async () => {
    const outlet = recordingOutlet();
    const dispatcher = new Dispatcher({ db: db.db, outlets: new Map([['webchat', outlet]]), log: silentLogger });
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const engine: Responder = async ({ message: m }) => {
      await gate;
      return { replies: [{ kind: 'text', text: `re ${m.text}` }], context: {}, outcome: 'answered', handover: false };
    };
    const inbox = new InboxProcessor({ db: db.db, respond: engine, dispatcher, log: silentLogger, citizenSecret: 'test-secret-123', maxUnanswered: 2, maxAckWaitMs: 5_000 });
    const acked: string[] = [];
    const ack = (who: string) => inbox.accept([message(who, `${who}1`)]).then(() => acked.push(who));
    const first = [ack('a'), ack('b')];
    await Promise.all(first);
    // Two unanswered fit; the third delivery is stored (the platform may re-deliver, nothing is lost) but waits.
    const third = ack('c');
    await new Promise((r) => setTimeout(r, 300));
    expect(acked).toEqual(['a', 'b']);
    expect(await db.db.inboundMessage.count()).toBe(3);
    open();
    await third;
    expect(acked).toEqual(['a', 'b', 'c']);
    await inbox.idle();
    expect(outlet.sent.map((s) => s.text).sort()).toEqual(['re a1', 're b1', 're c1']);

    // A stalled engine never holds an answer longer than the wait limit.
    const stalled = new InboxProcessor({
      db: db.db,
      respond: () => new Promise(() => {}),
      dispatcher,
      log: silentLogger,
      citizenSecret: 'test-secret-123',
      maxUnanswered: 0,
      maxAckWaitMs: 200,
    });
    const started = Date.now();
    await stalled.accept([message('d', 'd1')]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(await db.db.inboundMessage.count({ where: { platformMessageId: 'd1' } })).toBe(1);
  });
});
