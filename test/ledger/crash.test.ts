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
      // A lost reply is never silent: its row is shown to staff as unconfirmed.
      expect(Object.keys(c.lostRows).filter((s) => s !== 'unconfirmed')).toEqual([]);
      // Unconfirmed rows whose call never reached the platform: at most the one call between its claim's commit and
      // the wire. Nothing waits between a claim and its call, so the pacer's queue never ends up here.
      expect(unconfirmed - c.unconfirmedDelivered).toBeLessThanOrEqual(1);
      // The rest were delivered but their outcome was not yet recorded (the kill comes right as a call arrives):
      // 2–3 per channel with bench:crash on a loaded machine. Before the per-row claim every reply waiting in the
      // pacer became unconfirmed (23 of 40 on Zalo; here Zalo at 15/s holds ten or more), which this bound refuses.
      expect(unconfirmed).toBeLessThanOrEqual(6);
    }
  }, 400_000);
});
