/**
 * The scheduler's run path on the real database (SQLite file, or PostgreSQL with TEST_PG_URL), with fixed clocks and
 * recording outlets: exactly-once publication across instances, the ledger written first, crash recovery, the
 * grace window, failure classification, plans (rotation, dry library, target progress).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, tuneDatabase, type Db, type DbHandle } from '../src/db/client.js';
import { withWebsitePublishing } from '../src/domain/content/website.js';
import type { Outlet, PublishablePost } from '../src/domain/delivery.js';
import { silentLogger } from '../src/domain/logger.js';
import { createPlannedRow } from '../src/domain/scheduler/plan.repo.js';
import { tick, type TickDeps } from '../src/domain/scheduler/run.js';
import { claimRow, openLedgerRow } from '../src/domain/scheduler/scheduled.repo.js';
import {
  StaffInputError, cancelScheduled, confirmPublished, createPlan, listPlans, markChannelHealthy, queuePost, retryScheduled, setPlanActive, updatePlan,
} from '../src/domain/scheduler/staff.repo.js';
import { parseVietnamDateTime } from '../src/domain/scheduler/vn-time.js';
import { createTestDb, testDbKind, type TestDb } from './support/db.js';
import { recordingOutlet } from './support/outlets.js';
import { communeIdOf, scopeToCommune } from '../src/db/tenant.js';

const vn = (text: string) => parseVietnamDateTime(text)!;
const minutes = (at: Date, m: number) => new Date(at.getTime() + m * 60_000);
const MONDAY_8 = vn('2026-03-02 08:00');

const open: { db?: TestDb; extra: DbHandle[] } = { extra: [] };
afterEach(async () => {
  for (const h of open.extra.splice(0)) await h.close();
  await open.db?.destroy();
  open.db = undefined;
});

async function freshDb(): Promise<TestDb> {
  open.db = await createTestDb();
  return open.db;
}

/** A second client on the same database: another instance of the service. */
async function secondInstance(first: TestDb): Promise<Db> {
  const h = await createDb(first.url);
  await tuneDatabase(h);
  open.extra.push(h);
  return scopeToCommune(h.db, first.tenant);
}

let slugCounter = 0;
async function makePost(db: Db, input: { topic?: string; channels?: string[]; title?: string } = {}) {
  const slug = `bai-${++slugCounter}`;
  return db.post.create({
    data: {
      communeId: communeIdOf(db),
      slug,
      title: input.title ?? `Tin bài ${slug}`,
      topic: input.topic ?? 'chinh-phu-so',
      tags: [],
      body: `Nội dung ${slug}`,
      channels: input.channels ?? ['messenger', 'zalo', 'telegram', 'webchat'],
      contentHash: slug,
    },
  });
}

function deps(db: Db, outlets: Outlet[], extra: Partial<TickDeps> = {}): TickDeps {
  return { db, outlets: withWebsitePublishing(outlets), instanceId: 'test-a', graceMinutes: 60, log: silentLogger, ...extra };
}

describe(`publishing run path (${testDbKind})`, () => {
  it('writes the ledger row before calling the outlet, then records the platform post id; publishes once', async () => {
    const { db } = await freshDb();
    const post = await makePost(db, { topic: 'mot-cua' });
    await queuePost(db, { post: post.slug, at: MONDAY_8, now: MONDAY_8 });
    const outlets = [recordingOutlet('messenger'), recordingOutlet('zalo'), recordingOutlet('telegram')];
    const seenAtCall: string[] = [];
    for (const o of outlets) {
      o.onPublish = async () => {
        const ledger = await db.outboundMessage.findMany({ where: { channel: o.name, kind: 'post' } });
        seenAtCall.push(`${o.name}:${ledger.map((l) => l.status).join(',')}`);
      };
    }
    const result = await tick(deps(db, outlets), MONDAY_8);
    expect(result.published).toBe(4);
    expect(seenAtCall.sort()).toEqual(['messenger:sending', 'telegram:sending', 'zalo:sending']);

    const rows = await db.scheduledPost.findMany({ orderBy: { channel: 'asc' } });
    expect(rows.map((r) => [r.channel, r.state])).toEqual([
      ['messenger', 'published'], ['telegram', 'published'], ['webchat', 'published'], ['zalo', 'published'],
    ]);
    expect(rows.find((r) => r.channel === 'webchat')?.platformPostId).toBe(`web-${post.id}`);
    const ledger = await db.outboundMessage.findMany({ where: { kind: 'post' } });
    expect(ledger).toHaveLength(4);
    for (const row of rows) {
      const l = ledger.find((x) => x.id === row.outboundId)!;
      expect(l).toMatchObject({ status: 'sent', channel: row.channel, topic: 'mot-cua', scheduledPostId: row.id, platformMessageId: row.platformPostId });
      expect(l.sentAt?.toISOString()).toBe(MONDAY_8.toISOString());
      expect(l.text).toContain(post.title);
    }
    // Nothing left to do.
    const again = await tick(deps(db, outlets), minutes(MONDAY_8, 1));
    expect(again.published).toBe(0);
    expect(outlets.reduce((n, o) => n + o.calls.length, 0)).toBe(3);
  });

  it('publishes each of 50 due rows exactly once when two instances tick concurrently', async () => {
    const test = await freshDb();
    const other = await secondInstance(test);
    for (let i = 0; i < 25; i++) {
      const post = await makePost(test.db, { channels: ['messenger', 'zalo'] });
      await queuePost(test.db, { post: post.id, at: MONDAY_8, now: MONDAY_8 });
    }
    expect(await test.db.scheduledPost.count({ where: { state: 'queued' } })).toBe(50);
    const calls: (PublishablePost & { channel: string; instance: string })[] = [];
    const recorder = (instance: string) =>
      (['messenger', 'zalo'] as const).map((name) => {
        const o = recordingOutlet(name);
        o.onPublish = (post) => void calls.push({ ...post, channel: name, instance });
        return o;
      });
    const [a, b] = await Promise.all([
      tick(deps(test.db, recorder('a'), { instanceId: 'instance-a' }), MONDAY_8),
      tick(deps(other, recorder('b'), { instanceId: 'instance-b' }), MONDAY_8),
    ]);
    expect(a.published + b.published).toBe(50);
    // The instances really raced: each tried rows the other won (observed: 25 won and 25 lost each).
    expect(a.lostClaims + b.lostClaims).toBeGreaterThan(0);
    expect(calls).toHaveLength(50);
    expect(new Set(calls.map((c) => `${c.id}:${c.channel}`)).size).toBe(50);
    const rows = await test.db.scheduledPost.findMany();
    expect(rows.every((r) => r.state === 'published' && r.attempts === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.outboundId)).size).toBe(50);
    const ledger = await test.db.outboundMessage.findMany({ where: { kind: 'post' } });
    expect(ledger).toHaveLength(50);
    expect(ledger.every((l) => l.status === 'sent' && l.platformMessageId)).toBe(true);
    // Each instance published exactly the rows it claimed.
    expect(rows.filter((r) => r.claimedBy === 'instance-a')).toHaveLength(a.published);
    expect(rows.filter((r) => r.claimedBy === 'instance-b')).toHaveLength(b.published);
    expect(calls.filter((c) => c.instance === 'a')).toHaveLength(a.published);
  });

  it('materialises a plan occurrence once when two instances tick the same due plan', async () => {
    const test = await freshDb();
    const other = await secondInstance(test);
    for (let i = 0; i < 3; i++) await makePost(test.db, { topic: 'mot-cua', channels: ['zalo', 'webchat'] });
    const plan = await createPlan(test.db, { name: 'Thứ Hai', weekdays: [1], times: ['08:00'], topics: ['mot-cua'], channels: ['zalo', 'website'], startAt: vn('2026-03-01 00:00') }, vn('2026-03-01 12:00'));
    expect(plan.nextRunAt?.toISOString()).toBe(MONDAY_8.toISOString());
    const calls: string[] = [];
    const zalo = () => {
      const o = recordingOutlet('zalo');
      o.onPublish = (p) => void calls.push(`zalo:${p.id}`);
      return o;
    };
    await Promise.all([tick(deps(test.db, [zalo()], { instanceId: 'a' }), MONDAY_8), tick(deps(other, [zalo()], { instanceId: 'b' }), MONDAY_8)]);
    const rows = await test.db.scheduledPost.findMany();
    expect(rows.map((r) => r.channel).sort()).toEqual(['webchat', 'zalo']);
    expect(rows.every((r) => r.state === 'published' && r.planId === plan.id)).toBe(true);
    expect(calls).toHaveLength(1);
    const after = await test.db.postPlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(after.occurrences).toBe(1);
    expect(after.nextRunAt?.toISOString()).toBe(vn('2026-03-09 08:00').toISOString());
  });

  it('after a crash mid-publish, the row becomes unconfirmed past the lease and is never re-sent blindly', async () => {
    const { db } = await freshDb();
    const post = await makePost(db, { channels: ['telegram'] });
    const [row] = await queuePost(db, { post: post.slug, at: MONDAY_8, now: MONDAY_8 });
    // The instance that died: claimed, wrote the ledger row, called the platform, never recorded the outcome.
    const claimed = await claimRow(db, row!.id, 'dead-instance', MONDAY_8);
    expect(claimed).not.toBeNull();
    await openLedgerRow(db, claimed!, MONDAY_8);
    const telegram = recordingOutlet('telegram');
    const d = deps(db, [telegram], { publishLeaseMs: 10 * 60_000 });

    expect((await tick(d, minutes(MONDAY_8, 5))).unconfirmedByLease).toBe(0);
    expect((await db.scheduledPost.findUniqueOrThrow({ where: { id: row!.id } })).state).toBe('publishing');
    expect((await tick(d, minutes(MONDAY_8, 11))).unconfirmedByLease).toBe(1);
    const stuck = await db.scheduledPost.findUniqueOrThrow({ where: { id: row!.id } });
    expect(stuck.state).toBe('unconfirmed');
    expect(stuck.lastError).toContain('không rõ bài đã lên hay chưa');
    expect((await db.outboundMessage.findUniqueOrThrow({ where: { id: stuck.outboundId! } })).status).toBe('unconfirmed');
    await tick(d, minutes(MONDAY_8, 12));
    expect(telegram.calls).toHaveLength(0);

    // Staff checked the channel: it is not there, publish again (same ledger row).
    await retryScheduled(db, row!.id, minutes(MONDAY_8, 20));
    await tick(d, minutes(MONDAY_8, 20));
    const done = await db.scheduledPost.findUniqueOrThrow({ where: { id: row!.id } });
    expect(done.state).toBe('published');
    expect(telegram.calls).toHaveLength(1);
    const ledger = await db.outboundMessage.findMany({ where: { kind: 'post' } });
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ status: 'sent', platformMessageId: done.platformPostId });
  });

  it('staff can confirm an unconfirmed publication they found on the channel', async () => {
    const { db } = await freshDb();
    const post = await makePost(db, { channels: ['zalo'] });
    const [row] = await queuePost(db, { post: post.id, at: MONDAY_8, now: MONDAY_8 });
    const zalo = recordingOutlet('zalo', 'unknown');
    await tick(deps(db, [zalo]), MONDAY_8);
    await confirmPublished(db, row!.id, { platformPostId: 'article-42', now: minutes(MONDAY_8, 30) });
    const r = await db.scheduledPost.findUniqueOrThrow({ where: { id: row!.id } });
    expect(r).toMatchObject({ state: 'published', platformPostId: 'article-42' });
    expect(await db.outboundMessage.findUniqueOrThrow({ where: { id: r.outboundId! } })).toMatchObject({ status: 'sent', platformMessageId: 'article-42' });
  });

  it('after downtime: within the grace window a post goes out once, older ones are missed, a plan never bursts', async () => {
    const { db } = await freshDb();
    const recent = await makePost(db, { channels: ['messenger'] });
    const old = await makePost(db, { channels: ['messenger'] });
    const back = vn('2026-03-05 08:20'); // Thursday
    await queuePost(db, { post: recent.id, at: minutes(back, -30), now: minutes(back, -40) });
    await queuePost(db, { post: old.id, at: minutes(back, -180), now: minutes(back, -200) });
    for (let i = 0; i < 5; i++) await makePost(db, { topic: 'tthc', channels: ['messenger'] });
    const plan = await createPlan(db, { name: 'Hằng ngày', weekdays: [1, 2, 3, 4, 5, 6, 7], times: ['08:00'], topics: ['tthc'], channels: ['messenger'], startAt: vn('2026-03-01 00:00') }, vn('2026-03-01 12:00'));
    expect(plan.nextRunAt?.toISOString()).toBe(MONDAY_8.toISOString());

    const messenger = recordingOutlet('messenger');
    const result = await tick(deps(db, [messenger]), back);
    // Monday, Tuesday, Wednesday of the plan and the 05:20 post are missed; Thursday 08:00 and 07:50 go out.
    expect(result.published).toBe(2);
    expect(result.missed).toBe(4);
    expect(messenger.calls.map((c) => c.id)).toContain(recent.id);
    expect(messenger.calls.map((c) => c.id)).not.toContain(old.id);
    const missedRow = await db.scheduledPost.findFirstOrThrow({ where: { postId: old.id } });
    expect(missedRow.state).toBe('missed');
    expect(missedRow.lastError).toContain('quá giờ đăng');
    const p = await db.postPlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(p).toMatchObject({ occurrences: 1, missedCount: 3 });
    expect(p.nextRunAt?.toISOString()).toBe(vn('2026-03-06 08:00').toISOString());
    const planned = await db.scheduledPost.findMany({ where: { planId: plan.id } });
    expect(planned.map((r) => r.dueAt.toISOString())).toEqual([vn('2026-03-05 08:00').toISOString()]);

    // Down again until Saturday 11:00: past the grace window, nothing from the plan goes out.
    const later = await tick(deps(db, [messenger]), vn('2026-03-07 11:00'));
    expect(later.published).toBe(0);
    expect(later.missed).toBe(2);
    expect((await db.postPlan.findUniqueOrThrow({ where: { id: plan.id } })).nextRunAt?.toISOString()).toBe(vn('2026-03-08 08:00').toISOString());
  });

  it('retries a retryable error with backoff, then gives up as failed', async () => {
    const { db } = await freshDb();
    const post = await makePost(db, { channels: ['zalo'] });
    const [row] = await queuePost(db, { post: post.id, at: MONDAY_8, now: MONDAY_8 });
    const zalo = recordingOutlet('zalo', 'retry');
    const d = deps(db, [zalo], { retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 3_600_000 } });

    expect((await tick(d, MONDAY_8)).retrying).toBe(1);
    let r = await db.scheduledPost.findUniqueOrThrow({ where: { id: row!.id } });
    expect(r).toMatchObject({ state: 'queued', attempts: 1 });
    expect(r.nextAttemptAt.toISOString()).toBe(minutes(MONDAY_8, 1).toISOString());
    expect(r.lastError).toContain('sẽ tự thử lại');
    expect((await db.outboundMessage.findUniqueOrThrow({ where: { id: r.outboundId! } })).status).toBe('not_sent');

    await tick(d, minutes(MONDAY_8, 0.5)); // not yet due
    expect(zalo.calls).toHaveLength(1);
    await tick(d, minutes(MONDAY_8, 1));
    r = await db.scheduledPost.findUniqueOrThrow({ where: { id: row!.id } });
    expect(r.nextAttemptAt.toISOString()).toBe(minutes(MONDAY_8, 3).toISOString());
    const last = await tick(d, minutes(MONDAY_8, 3));
    expect(last.failed).toBe(1);
    r = await db.scheduledPost.findUniqueOrThrow({ where: { id: row!.id } });
    expect(r).toMatchObject({ state: 'failed', attempts: 3 });
    expect(r.lastError).toContain('sau 3 lần thử');
    expect(zalo.calls).toHaveLength(3);
    const ledger = await db.outboundMessage.findMany({ where: { kind: 'post' } });
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('on an auth error marks the channel unhealthy and holds its posts until staff restore it; a plan releases only its latest', async () => {
    const { db } = await freshDb();
    const a = await makePost(db, { channels: ['zalo', 'messenger'] });
    const b = await makePost(db, { channels: ['zalo'] });
    await queuePost(db, { post: a.id, at: MONDAY_8, now: MONDAY_8 });
    await queuePost(db, { post: b.id, at: MONDAY_8, now: MONDAY_8 });
    const plan = await createPlan(db, { name: 'KH', weekdays: [1], times: ['09:00'], topics: [], channels: ['zalo'], startAt: vn('2027-01-01 00:00') }, MONDAY_8);
    const p1 = await makePost(db, { channels: ['zalo'] });
    const p2 = await makePost(db, { channels: ['zalo'] });
    await createPlannedRow(db, { planId: plan.id, postId: p1.id, channel: 'zalo', dueAt: minutes(MONDAY_8, -10) });
    await createPlannedRow(db, { planId: plan.id, postId: p2.id, channel: 'zalo', dueAt: minutes(MONDAY_8, -5) });

    const zalo = recordingOutlet('zalo', 'auth');
    const messenger = recordingOutlet('messenger');
    const result = await tick(deps(db, [zalo, messenger]), MONDAY_8);
    expect(zalo.calls).toHaveLength(1);
    expect(messenger.calls).toHaveLength(1);
    expect(result.held).toBe(4);
    expect((await db.channelState.findFirstOrThrow({ where: { channel: 'zalo' } })).healthy).toBe(false);
    const held = await db.scheduledPost.findMany({ where: { channel: 'zalo' } });
    expect(held.every((r) => r.state === 'queued' && r.heldSince !== null && r.attempts === 0)).toBe(true);
    expect(held.some((r) => r.lastError?.includes('Đang tạm giữ'))).toBe(true);

    // Hours later, still unhealthy: held rows are neither sent nor missed.
    await tick(deps(db, [zalo, messenger]), minutes(MONDAY_8, 300));
    expect(zalo.calls).toHaveLength(1);
    expect(await db.scheduledPost.count({ where: { state: 'missed' } })).toBe(0);

    zalo.fallback = 'ok';
    const restoredAt = minutes(MONDAY_8, 360);
    expect(await markChannelHealthy(db, 'zalo', restoredAt)).toEqual({ released: 3, missed: 1 });
    const after = await tick(deps(db, [zalo, messenger]), restoredAt);
    expect(after.published).toBe(3);
    const states = await db.scheduledPost.findMany({ where: { channel: 'zalo' }, select: { postId: true, state: true } });
    expect(Object.fromEntries(states.map((s) => [s.postId, s.state]))).toEqual({ [a.id]: 'published', [b.id]: 'published', [p1.id]: 'missed', [p2.id]: 'published' });
    expect((await db.channelState.findFirstOrThrow({ where: { channel: 'zalo' } })).healthy).toBe(true);
  });

  it('rejected and gone fail with the reason for staff; unknown and unexpected errors are unconfirmed, never re-sent', async () => {
    const { db } = await freshDb();
    const kinds = ['rejected', 'gone', 'unknown', 'throw'] as const;
    const rows: Record<string, number> = {};
    const outlet = recordingOutlet('telegram');
    for (const kind of kinds) {
      const post = await makePost(db, { channels: ['telegram'] });
      rows[kind] = (await queuePost(db, { post: post.id, at: MONDAY_8, now: MONDAY_8 }))[0]!.id;
      outlet.script.push(kind);
    }
    const result = await tick(deps(db, [outlet]), MONDAY_8);
    expect(result).toMatchObject({ failed: 2, unconfirmed: 2, published: 0 });
    const get = (kind: string) => db.scheduledPost.findUniqueOrThrow({ where: { id: rows[kind]! } });
    const rejected = await get('rejected');
    expect(rejected.state).toBe('failed');
    expect(rejected.lastError).toContain('từ chối bài đăng: nội dung chứa liên kết không hợp lệ');
    expect((await get('gone')).state).toBe('failed');
    expect((await get('unknown')).state).toBe('unconfirmed');
    expect((await get('throw')).state).toBe('unconfirmed');
    expect((await get('unknown')).lastError).toContain('không tự đăng lại');
    const ledger = await db.outboundMessage.findMany({ where: { kind: 'post' }, orderBy: { id: 'asc' } });
    expect(ledger.map((l) => l.status)).toEqual(['failed', 'failed', 'unconfirmed', 'unconfirmed']);
    await tick(deps(db, [outlet]), minutes(MONDAY_8, 5));
    expect(outlet.calls).toHaveLength(4);
  });

  it('a plan rotates topics, says when the library runs dry, and reports monthly target progress', async () => {
    const { db } = await freshDb();
    const cpso = await makePost(db, { topic: 'chinh-phu-so', channels: ['telegram'] });
    const motcua = await makePost(db, { topic: 'mot-cua', channels: ['telegram'] });
    await makePost(db, { topic: 'mot-cua', channels: ['zalo'] }); // not for telegram
    const plan = await createPlan(
      db,
      { name: 'Hai buổi', weekdays: [1, 4], times: ['08:00'], topics: ['chinh-phu-so', 'mot-cua'], channels: ['telegram'], startAt: vn('2026-03-01 00:00'), targetPerMonth: 8 },
      vn('2026-03-01 00:00'),
    );
    const telegram = recordingOutlet('telegram');
    await tick(deps(db, [telegram]), MONDAY_8);
    await tick(deps(db, [telegram]), vn('2026-03-05 08:00'));
    expect(telegram.calls.map((c) => c.id)).toEqual([cpso.id, motcua.id]);

    const dry = await tick(deps(db, [telegram]), vn('2026-03-09 08:00'));
    expect(dry.materialised).toBe(0);
    expect(dry.notes).toHaveLength(1);
    expect(dry.notes[0]).toContain('Thư viện đã hết bài');
    const p = await db.postPlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(p.lastNote).toContain('kênh Telegram');
    expect(p.nextRunAt?.toISOString()).toBe(vn('2026-03-12 08:00').toISOString());

    const [view] = await listPlans(db, vn('2026-03-16 12:00'));
    expect(view!.progress).toMatchObject({ month: '2026-03', done: 2, target: 8, remaining: 6 });
    expect(view!.upcoming[0]?.toISOString()).toBe(vn('2026-03-12 08:00').toISOString());
  });

  it('an edited plan restarts from its next occurrence, keeping its count; a paused plan does nothing', async () => {
    const { db } = await freshDb();
    for (let i = 0; i < 3; i++) await makePost(db, { topic: 'cong-vu', channels: ['webchat'] });
    const input = { name: 'Sửa', weekdays: [1], times: ['08:00'], topics: ['cong-vu'], channels: ['website'], startAt: vn('2026-03-01 00:00') };
    const plan = await createPlan(db, input, vn('2026-03-01 00:00'));
    await tick(deps(db, []), MONDAY_8);
    const edited = await updatePlan(db, plan.id, { ...input, weekdays: [3], times: ['14:30'], targetPerMonth: 4 }, vn('2026-03-02 09:00'));
    expect(edited).toMatchObject({ occurrences: 1, targetPerMonth: 4, active: true });
    expect(edited.nextRunAt?.toISOString()).toBe(vn('2026-03-04 14:30').toISOString());
    await setPlanActive(db, plan.id, false, vn('2026-03-02 09:00'));
    await tick(deps(db, []), vn('2026-03-04 14:30'));
    expect(await db.scheduledPost.count()).toBe(1);
    // Resumed a week later: no catching up, the next occurrence is in the future.
    await setPlanActive(db, plan.id, true, vn('2026-03-12 09:00'));
    expect((await db.postPlan.findUniqueOrThrow({ where: { id: plan.id } })).nextRunAt?.toISOString()).toBe(vn('2026-03-18 14:30').toISOString());
    await tick(deps(db, []), vn('2026-03-12 09:00'));
    expect(await db.scheduledPost.count()).toBe(1);
  });

  it('a plan stops after maxCount occurrences', async () => {
    const { db } = await freshDb();
    for (let i = 0; i < 4; i++) await makePost(db, { topic: 'tthc', channels: ['webchat'] });
    const plan = await createPlan(db, { name: 'Ba lần', weekdays: [1, 2, 3, 4, 5, 6, 7], times: ['07:30'], topics: [], channels: ['website'], startAt: vn('2026-03-01 00:00'), maxCount: 2 }, vn('2026-03-01 00:00'));
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03']) await tick(deps(db, []), vn(`${day} 07:30`));
    expect(await db.scheduledPost.count({ where: { planId: plan.id, state: 'published' } })).toBe(2);
    expect(await db.postPlan.findUniqueOrThrow({ where: { id: plan.id } })).toMatchObject({ active: false, nextRunAt: null, occurrences: 2 });
  });

  it('does not publish a queued post withdrawn from the library or past its last day; waits for its first day', async () => {
    const { db } = await freshDb();
    const withdrawn = await makePost(db, { channels: ['zalo'] });
    const expiring = await makePost(db, { channels: ['zalo'] });
    const early = await makePost(db, { channels: ['zalo'] });
    for (const p of [withdrawn, expiring, early]) await queuePost(db, { post: p.id, at: MONDAY_8, now: MONDAY_8 });
    // The library changed after queuing: a file removed, a last day set, a first day moved later.
    await db.post.update({ where: { id: withdrawn.id }, data: { archived: true } });
    await db.post.update({ where: { id: expiring.id }, data: { notAfter: minutes(MONDAY_8, -1) } });
    await db.post.update({ where: { id: early.id }, data: { notBefore: minutes(MONDAY_8, 24 * 60) } });
    const zalo = recordingOutlet('zalo');
    const r = await tick(deps(db, [zalo]), MONDAY_8);
    expect(r).toMatchObject({ cancelled: 2, published: 0 });
    const state = async (id: number) => db.scheduledPost.findFirstOrThrow({ where: { postId: id } });
    expect(await state(withdrawn.id)).toMatchObject({ state: 'cancelled' });
    expect((await state(withdrawn.id)).lastError).toContain('gỡ khỏi thư viện');
    expect((await state(expiring.id)).lastError).toContain('chỉ được đăng đến');
    const waiting = await state(early.id);
    expect(waiting.state).toBe('queued');
    expect(waiting.nextAttemptAt.toISOString()).toBe(minutes(MONDAY_8, 24 * 60).toISOString());
    await tick(deps(db, [zalo]), minutes(MONDAY_8, 24 * 60));
    expect(zalo.calls.map((c) => c.id)).toEqual([early.id]);
  });

  it('staff actions refuse what would publish twice, and explain in Vietnamese', async () => {
    const { db } = await freshDb();
    const post = await makePost(db, { channels: ['zalo', 'webchat'] });
    const [row] = await queuePost(db, { post: post.slug, channels: ['zalo'], at: minutes(MONDAY_8, 60), now: MONDAY_8 });
    const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof StaffInputError ? e.staffMessage : String(e)));
    expect(await refusal(queuePost(db, { post: post.slug, channels: ['zalo'], at: minutes(MONDAY_8, 90), now: MONDAY_8 }))).toContain('đã có trong hàng đợi');
    expect(await refusal(queuePost(db, { post: post.slug, channels: ['telegram'], at: MONDAY_8, now: MONDAY_8 }))).toContain('không dành cho kênh telegram');
    expect(await refusal(queuePost(db, { post: post.slug, channels: ['myspace'], at: MONDAY_8, now: MONDAY_8 }))).toContain('Kênh "myspace" không có');
    expect(await refusal(queuePost(db, { post: 'khong-co', at: MONDAY_8, now: MONDAY_8 }))).toContain('Không tìm thấy bài');
    expect(await refusal(queuePost(db, { post: post.slug, channels: ['webchat'], at: minutes(MONDAY_8, -600), now: MONDAY_8 }))).toContain('đã qua');
    await cancelScheduled(db, row!.id);
    expect(await refusal(cancelScheduled(db, row!.id))).toContain('đã huỷ');
    const zalo = recordingOutlet('zalo');
    await tick(deps(db, [zalo]), minutes(MONDAY_8, 60));
    expect(zalo.calls).toHaveLength(0);
    // Cancelled: may be queued again, then published once; publishing again needs `repeat`.
    await queuePost(db, { post: post.slug, channels: ['zalo'], at: minutes(MONDAY_8, 61), now: minutes(MONDAY_8, 60) });
    await tick(deps(db, [zalo]), minutes(MONDAY_8, 61));
    expect(zalo.calls).toHaveLength(1);
    expect(await refusal(queuePost(db, { post: post.slug, channels: ['zalo'], at: minutes(MONDAY_8, 70), now: minutes(MONDAY_8, 62) }))).toContain('đã được đăng');
    expect(await refusal(queuePost(db, { post: post.slug, channels: ['zalo'], at: minutes(MONDAY_8, 70), now: minutes(MONDAY_8, 62), repeat: true }))).toBe('accepted');
    expect(await refusal(retryScheduled(db, row!.id, MONDAY_8))).toContain('Chỉ đăng lại được');
  });
});
