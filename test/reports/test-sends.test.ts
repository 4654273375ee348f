/** Channel test sends go through the ledger like every message but never count in the report. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutbound, markFinal, markSent } from '../../src/domain/ledger/outbox.repo.js';
import { localDayOf, parsePeriod } from '../../src/domain/reports/period.js';
import { rebuildTallies } from '../../src/domain/reports/rollups.repo.js';
import { computeTallies } from '../../src/domain/reports/tallies.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';

describe(`channel test sends in the report (${testDbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('counts a staff reply and a failed staff reply, but neither kind of test send', async () => {
    // Failed rows count on the day they were written (now), so everything happens now, in this year's report.
    const at = new Date();
    const draft = (kind: 'staff' | 'test') => ({ channel: 'telegram', kind, recipientRef: 'r', address: '1', reply: { kind: 'text' as const, text: 'x' } });
    const [staffSent, staffFailed, testSent, testFailed] = await t.db.$transaction((tx) =>
      enqueueOutbound(tx, [draft('staff'), draft('staff'), draft('test'), draft('test')]),
    );
    await markSent(t.db, staffSent!, 'p1', at);
    await markFinal(t.db, staffFailed!, 'failed', 'refused');
    await markSent(t.db, testSent!, 'p2', at);
    await markFinal(t.db, testFailed!, 'failed', 'refused');
    const period = parsePeriod(localDayOf(at).slice(0, 4));
    const live = JSON.stringify(await computeTallies(t.db, period));
    await rebuildTallies(t.db);
    const rebuilt = JSON.stringify(await computeTallies(t.db, period));
    expect(rebuilt).toBe(live);
    const tallies = JSON.parse(live) as { staff: { replies: number }; failed: { total: number } };
    expect(tallies.staff.replies).toBe(1);
    expect(tallies.failed.total).toBe(1);
  });
});
