import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { talliesFromLedgerRows } from '../../src/domain/reports/direct.js';
import { validateManualEntry } from '../../src/domain/reports/manual.js';
import { insertManualEntry } from '../../src/domain/reports/manual.repo.js';
import { parsePeriod, type Period } from '../../src/domain/reports/period.js';
import { findCommuneName, findProcedureNames } from '../../src/domain/reports/report-context.repo.js';
import { rebuildTallies } from '../../src/domain/reports/rollups.repo.js';
import { computeTallies, topProcedureCodes } from '../../src/domain/reports/tallies.js';
import { loadRollups } from '../../src/domain/reports/rollups.repo.js';
import type { ChannelName } from '../../src/domain/messages.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';
import { finish, receive, send } from './ledger-fixture.js';

const lastInstantOfH1 = new Date('2024-06-30T16:59:59.999Z'); // 23:59:59.999 on 30 June in Vietnam
const firstInstantOfH2 = new Date('2024-06-30T17:00:00.000Z'); // 00:00 on 1 July in Vietnam

describe(`report tallies from the ledger (${testDbKind}, TZ=${process.env.TZ ?? 'system'})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.destroy();
  });
  beforeEach(async () => {
    for (const table of ['OutboundMessage', 'UnansweredQuestion', 'InboundMessage', 'Conversation', 'DailyTally', 'CitizenActivity', 'ManualOutreach', 'CommuneProfile', 'Procedure']) {
      await t.db.$executeRawUnsafe(`DELETE FROM "${table}"`);
    }
  });

  it('counts a message sent at 23:59 Vietnam time on 30 June in H1 and one at 00:00 on 1 July in H2', async () => {
    await send(t.db, { channel: 'zalo', kind: 'reply', at: new Date('2024-06-30T16:59:00Z'), outcome: 'sent' });
    await send(t.db, { channel: 'zalo', kind: 'reply', at: lastInstantOfH1, outcome: 'sent' });
    await send(t.db, { channel: 'zalo', kind: 'reply', at: firstInstantOfH2, outcome: 'sent' });
    await send(t.db, { channel: 'webchat', kind: 'post', topic: 'Dịch vụ công trực tuyến', at: firstInstantOfH2, outcome: 'sent' });
    const h1 = await computeTallies(t.db, parsePeriod('2024-H1'));
    const h2 = await computeTallies(t.db, parsePeriod('2024-H2'));
    expect(h1.replies.total).toBe(2);
    expect(h2.replies.total).toBe(1);
    expect(h1.posts.total).toBe(0);
    expect(h2.posts.byOutlet).toEqual([{ key: 'website', label: 'Trang thông tin điện tử', service: 1, manual: 0, total: 1 }]);
    expect((await computeTallies(t.db, parsePeriod('2024-06'))).replies.total).toBe(2);
    expect((await computeTallies(t.db, parsePeriod('2024-07-01..2024-07-01'))).replies.total).toBe(1);
    expect((await computeTallies(t.db, parsePeriod('2024'))).replies.total).toBe(3);
  });

  it('counts a send retried three times once, never counts failed or unconfirmed sends as sent, and counts a double markSent once', async () => {
    const at = new Date('2024-03-10T03:00:00Z');
    const retried = await send(t.db, { channel: 'messenger', kind: 'reply', at, attempts: 3, outcome: 'sent' });
    expect((await t.db.outboundMessage.findUniqueOrThrow({ where: { id: retried } })).attempts).toBe(3);
    await send(t.db, { channel: 'messenger', kind: 'reply', at, attempts: 5, outcome: 'failed' });
    await send(t.db, { channel: 'telegram', kind: 'post', topic: 'CCHC', at, outcome: 'failed' });
    await send(t.db, { channel: 'messenger', kind: 'reply', at, outcome: 'unconfirmed' });
    await send(t.db, { channel: 'messenger', kind: 'reply', at, outcome: 'not_sent' });
    await send(t.db, { channel: 'messenger', kind: 'reply', at, outcome: 'pending' });
    const { markSent } = await import('../../src/domain/ledger/outbox.repo.js');
    await markSent(t.db, retried, 'again', new Date('2024-09-01T00:00:00Z'));
    const year = await computeTallies(t.db, parsePeriod('2024'));
    expect(year.replies.total).toBe(1);
    expect(year.posts.total).toBe(0);
    expect(year.failed.total).toBe(2);
    expect(year.failed.byKind.map((k) => [k.key, k.count])).toEqual([
      ['post', 1],
      ['reply', 1],
    ]);
    expect(year.failed.byChannel.map((k) => [k.key, k.count])).toEqual([
      ['messenger', 1],
      ['telegram', 1],
    ]);
  });

  it('counts a referral (outside the commune remit) as such, never as a procedure', async () => {
    const at = new Date('2023-03-01T02:00:00Z');
    await receive(t.db, { channel: 'zalo', address: 'r1', platformMessageId: 'ref.1', at, outcome: 'referral' });
    await receive(t.db, { channel: 'zalo', address: 'r2', platformMessageId: 'ref.2', at, outcome: 'answered', procedureCode: '1.001193', field: 'Hộ tịch' });
    const march = await computeTallies(t.db, parsePeriod('2023-03'));
    expect(march.questions).toMatchObject({ answered: 1, referrals: 1, unanswered: 0 });
    expect(march.questions.byOutcome.find((r) => r.key === 'referral')).toMatchObject({ count: 1, label: 'Hướng dẫn đến cơ quan có thẩm quyền (ngoài thẩm quyền của xã)' });
    expect(march.topProcedures.map((p) => [p.code, p.count])).toEqual([['1.001193', 1]]);
  });

  it('never counts a re-delivered webhook twice (same platform id)', async () => {
    const at = new Date('2024-02-01T02:00:00Z');
    const first = await receive(t.db, { channel: 'messenger', address: 'u1', platformMessageId: 'mid.1', at, outcome: 'answered', procedureCode: '1.001193', field: 'Hộ tịch' });
    const again = await receive(t.db, { channel: 'messenger', address: 'u1', platformMessageId: 'mid.1', at, outcome: 'answered', procedureCode: '1.001193', field: 'Hộ tịch' });
    expect(again).toMatchObject({ id: first.id, duplicate: true });
    await receive(t.db, { channel: 'messenger', address: 'u1', platformMessageId: 'mid.2', at, outcome: 'unanswered' });
    // Two workers racing on one platform id: the unique index lets one through, and only it is counted.
    const race = await Promise.all(
      [1, 2, 3].map(() => receive(t.db, { channel: 'zalo', address: 'z9', platformMessageId: 'zmid.7', at, outcome: 'choices' })),
    );
    expect(race.filter((r) => !r.duplicate)).toHaveLength(1);
    const q1 = await computeTallies(t.db, parsePeriod('2024-Q1'));
    expect(q1.inbound.messages).toBe(3);
    expect(q1.inbound.citizens).toBe(2);
    expect(q1.questions).toMatchObject({ answered: 1, choices: 1, unanswered: 1 });
    expect(q1.topProcedures).toEqual([{ code: '1.001193', name: '1.001193', count: 1 }]);
  });

  it('a visit, a Get Started or a follow with no citizen text is no citizen message, no citizen and no outcome', async () => {
    const at = new Date('2024-02-01T02:00:00Z');
    await receive(t.db, { channel: 'messenger', address: 'u1', platformMessageId: 'mid.1', at, outcome: 'answered', procedureCode: '1.001193' });
    await receive(t.db, { channel: 'webchat', address: 'w1', platformMessageId: 'w1:1', at, outcome: 'unanswered' });
    const before = await computeTallies(t.db, parsePeriod('2024-Q1'));
    expect(before.inbound).toMatchObject({ messages: 2, citizens: 2 });
    // Three web chat visits that typed nothing (the bot greets each), a Messenger Get Started, a Zalo follow.
    for (const n of [1, 2, 3]) await receive(t.db, { channel: 'webchat', kind: 'start', address: `visit${n}`, platformMessageId: `v${n}:start`, at, outcome: 'greeting' });
    await receive(t.db, { channel: 'messenger', kind: 'start', address: 'u2', platformMessageId: 'gs.1', at, outcome: 'greeting' });
    await receive(t.db, { channel: 'zalo', kind: 'follow', address: 'z1', platformMessageId: 'f.1', at, outcome: 'greeting' });
    const after = await computeTallies(t.db, parsePeriod('2024-Q1'));
    expect(after.inbound).toEqual(before.inbound);
    expect(after.questions).toEqual(before.questions);
    // The same after rebuilding the roll-ups from the ledger.
    await rebuildTallies(t.db);
    expect((await computeTallies(t.db, parsePeriod('2024-Q1'))).inbound).toEqual(before.inbound);
    // A visitor who then types is one citizen message.
    await receive(t.db, { channel: 'webchat', address: 'visit1', platformMessageId: 'v1:2', at, outcome: 'answered' });
    expect((await computeTallies(t.db, parsePeriod('2024-Q1'))).inbound).toMatchObject({ messages: 3, citizens: 3 });
  });

  it('re-processing an inbound message replaces its outcome instead of adding one', async () => {
    const at = new Date('2024-05-05T05:00:00Z');
    const r = await receive(t.db, { channel: 'telegram', address: 't1', platformMessageId: '55', at, outcome: 'unanswered' });
    await finish(t.db, r.id, { outcome: 'answered', procedureCode: '2.000001', field: 'Chứng thực' });
    const may = await computeTallies(t.db, parsePeriod('2024-05'));
    expect(may.questions).toMatchObject({ answered: 1, unanswered: 0, choices: 0 });
    expect(may.topFields).toEqual([{ key: 'Chứng thực', label: 'Chứng thực', count: 1 }]);
  });

  it('counts hand-recorded items beside the service posts, apart and totalled, and names the commune', async () => {
    expect((await computeTallies(t.db, parsePeriod('2024'))).authority).toBe('UBND xã');
    await t.db.communeProfile.create({ data: { communeId: t.tenant.communeId, name: 'Tân Phú', address: 'x', workingHours: 'x' } });
    await send(t.db, { channel: 'webchat', kind: 'post', topic: 'Dịch vụ công', at: new Date('2024-04-01T01:00:00Z'), outcome: 'sent' });
    await send(t.db, { channel: 'zalo', kind: 'post', topic: 'Dịch vụ công', at: new Date('2024-04-01T01:00:00Z'), outcome: 'sent' });
    await insertManualEntry(t.db, validateManualEntry({ date: '2024-03-05', channel: 'radio', count: 4, topic: 'Dịch vụ công', createdBy: 'cb' }));
    await insertManualEntry(t.db, validateManualEntry({ date: '2024-06-30', channel: 'website', count: 2, topic: null, createdBy: 'cb' }));
    await insertManualEntry(t.db, validateManualEntry({ date: '2024-07-01', channel: 'meeting', count: 9, createdBy: 'cb' }));
    const h1 = await computeTallies(t.db, parsePeriod('2024-H1'));
    expect(h1.authority).toBe('UBND xã Tân Phú');
    expect(h1.posts).toMatchObject({ service: 2, manual: 6, total: 8 });
    expect(h1.posts.byOutlet).toEqual([
      { key: 'website', label: 'Trang thông tin điện tử', service: 1, manual: 2, total: 3 },
      { key: 'radio', label: 'Đài truyền thanh', service: 0, manual: 4, total: 4 },
      { key: 'zalo', label: 'Zalo OA', service: 1, manual: 0, total: 1 },
    ]);
    expect(h1.posts.byTopic).toEqual([
      { key: 'Dịch vụ công', label: 'Dịch vụ công', service: 2, manual: 4, total: 6 },
      { key: '', label: 'Chưa phân loại', service: 0, manual: 2, total: 2 },
    ]);
  });

  it('tallies from the roll-ups equal tallies computed directly from the ledger rows, before and after a rebuild', { timeout: 180_000 }, async () => {
    await t.db.procedure.create({
      data: { catalogId: t.tenant.catalogId, code: 'P3', name: 'Đăng ký khai sinh', field: 'Hộ tịch', documents: [], processingTime: '', fees: '', submitAt: '', legalBasis: [], aliases: [] },
    });
    const channels: ChannelName[] = ['messenger', 'zalo', 'telegram', 'webchat'];
    const outcomes = ['answered', 'choices', 'unanswered', 'greeting', 'handover', 'followup', 'offtopic'];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    // Instants around period boundaries (local midnights) and inside periods.
    const base = Date.parse('2024-06-30T17:00:00Z');
    const at = () => {
      const day = Math.round((random() - 0.5) * 400);
      const r = random();
      const within = r < 0.25 ? -1 : r < 0.5 ? 0 : Math.floor(random() * 86_400_000);
      return new Date(base + day * 86_400_000 + within);
    };
    for (let i = 0; i < 120; i++) {
      const channel = pick(channels);
      const outcome = pick(outcomes);
      const code = outcome === 'answered' || outcome === 'followup' ? pick(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10', 'P11', 'P12']) : null;
      await receive(t.db, {
        channel,
        kind: pick(['text', 'text', 'text', 'choice', 'start', 'follow', 'unsupported'] as const),
        address: `a${Math.floor(random() * 30)}`,
        platformMessageId: `m${Math.floor(random() * 110)}`,
        at: at(),
        outcome: random() < 0.9 ? outcome : undefined,
        procedureCode: code,
        field: code ? pick(['Hộ tịch', 'Chứng thực', 'Đất đai']) : null,
      });
    }
    for (let i = 0; i < 90; i++) {
      await send(t.db, {
        channel: pick(channels),
        kind: pick(['reply', 'reply', 'post', 'staff'] as const),
        topic: random() < 0.7 ? pick(['Dịch vụ công trực tuyến', 'Thủ tục hộ tịch', 'Đường dây nóng']) : null,
        at: at(),
        attempts: 1 + Math.floor(random() * 3),
        outcome: pick(['sent', 'sent', 'sent', 'failed', 'unconfirmed', 'not_sent', 'pending'] as const),
      });
    }
    for (let i = 0; i < 10; i++) {
      await insertManualEntry(t.db, validateManualEntry({ date: at().toISOString().slice(0, 10), channel: pick(['radio', 'website', 'banner', 'meeting', 'other']), count: 1 + Math.floor(random() * 5), topic: pick([null, 'Dịch vụ công trực tuyến']), createdBy: 'cb' }));
    }
    const direct = async (period: Period) => {
      const [outbound, inbound, manual] = await Promise.all([
        t.db.outboundMessage.findMany({ select: { channel: true, kind: true, status: true, topic: true, sentAt: true, createdAt: true } }),
        t.db.inboundMessage.findMany({ select: { channel: true, kind: true, citizenRef: true, receivedAt: true, outcome: true, procedureCode: true, field: true } }),
        t.db.manualOutreach.findMany({ select: { date: true, channel: true, topic: true, count: true } }),
      ]);
      const rollups = await loadRollups(t.db, period.firstDay, period.lastDay);
      const names = { procedureNames: await findProcedureNames(t.db, topProcedureCodes(rollups)), communeName: await findCommuneName(t.db) };
      return talliesFromLedgerRows(period, { outbound, inbound, manual }, names);
    };
    const thisYear = String(new Date().getUTCFullYear());
    const periods = ['2024-H1', '2024-H2', '2024', '2024-Q2', '2024-Q3', '2024-9M', '2024-06', '2024-07', '2024-06-30..2024-07-01', thisYear].map(parsePeriod);
    for (const period of periods) expect(await computeTallies(t.db, period), period.key).toEqual(await direct(period));
    const h2 = await computeTallies(t.db, parsePeriod('2024-H2'));
    expect(h2.inbound.messages).toBeGreaterThan(10);
    expect(h2.posts.total).toBeGreaterThan(3);

    const before = await t.db.dailyTally.findMany({ where: { count: { not: 0 } }, orderBy: [{ day: 'asc' }, { metric: 'asc' }, { channel: 'asc' }, { key: 'asc' }] });
    await t.db.$executeRawUnsafe('DELETE FROM "DailyTally"');
    await t.db.$executeRawUnsafe('DELETE FROM "CitizenActivity"');
    await rebuildTallies(t.db);
    const after = await t.db.dailyTally.findMany({ orderBy: [{ day: 'asc' }, { metric: 'asc' }, { channel: 'asc' }, { key: 'asc' }] });
    expect(after).toEqual(before);
    for (const period of periods) expect(await computeTallies(t.db, period), period.key).toEqual(await direct(period));

    // A partial rebuild touches only its days.
    await t.db.$executeRawUnsafe(`UPDATE "DailyTally" SET "count" = "count" + 100 WHERE "day" < '2024-06-01'`);
    await rebuildTallies(t.db, '2024-06-01', '2024-12-31');
    expect((await computeTallies(t.db, parsePeriod('2024-H2'))).inbound).toEqual((await direct(parsePeriod('2024-H2'))).inbound);
    expect((await computeTallies(t.db, parsePeriod('2024-01'))).inbound.messages).toBeGreaterThanOrEqual(100);
  });
});
