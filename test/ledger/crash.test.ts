/**
 * The crash test in small (the full one is `npm run bench:crash`): the real service in a child process answers
 * signed Messenger, Zalo and Telegram events, is killed with SIGKILL while replies wait in the pacer, and restarts on
 * the same database. Every acknowledged event gets its reply once; the only replies that may miss are calls that
 * were really in flight at the kill, and those are shown to staff as unconfirmed, never silently dropped.
 */
import { describe, expect, it } from 'vitest';
import { crashRun } from '../support/crash-harness.js';
import { testDbKind } from '../support/db.js';

describe(`a SIGKILL mid-load (${testDbKind})`, () => {
  it('loses no queued reply and doubles none, on every channel', async () => {
    // 30 events per channel at 30/s, killed after 0.7 s: Zalo (15/s) and Telegram (25/s) have replies queued.
    const result = await crashRun({ pgServer: process.env.TEST_PG_URL, perChannel: 30, ratePerSecond: 30, killAfterMs: 700, leaseMs: 3_000 });
    for (const [channel, c] of Object.entries(result)) {
      expect({ channel, acknowledged: c.acknowledged, doubled: c.doubled }).toEqual({ channel, acknowledged: 30, doubled: 0 });
      // Nothing left behind: every row was sent, or is unconfirmed because its call was in flight at the kill.
      expect(Object.keys(c.rows).filter((s) => s !== 'sent' && s !== 'unconfirmed')).toEqual([]);
      const unconfirmed = c.rows.unconfirmed ?? 0;
      expect(c.lost).toBeLessThanOrEqual(unconfirmed);
      // At most the calls in flight at that instant (before the fix, every reply waiting in the pacer became
      // unconfirmed). On PostgreSQL a claim commits a little before its call leaves, so a loaded machine holds a few
      // more in that window (measured 0–5 per channel with bench:crash; issue 14 stays open on this).
      expect(unconfirmed).toBeLessThanOrEqual(testDbKind === 'postgresql' ? 5 : 2);
    }
  }, 400_000);
});
