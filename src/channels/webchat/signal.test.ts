import { describe, expect, it } from 'vitest';
import { ReplySignal } from './signal.js';

describe('reply signal', () => {
  it('wakes the waiters of one address only', async () => {
    const signal = new ReplySignal();
    const a = signal.wait('a', 10_000);
    const b = signal.wait('b', 30);
    expect(signal.waiting('a')).toBe(1);
    signal.notify('a');
    expect(await a).toBe(true);
    expect(await b).toBe(false);
    expect(signal.waiting('a')).toBe(0);
    expect(signal.waiting('b')).toBe(0);
  });

  it('gives up on abort and releases everyone on close', async () => {
    const signal = new ReplySignal();
    const abort = new AbortController();
    const aborted = signal.wait('a', 10_000, abort.signal);
    abort.abort();
    expect(await aborted).toBe(false);
    const waiting = [signal.wait('a', 10_000), signal.wait('b', 10_000)];
    signal.close();
    expect(await Promise.all(waiting)).toEqual([true, true]);
    expect(await signal.wait('a', 10_000)).toBe(false);
  });
});

describe('reply signal marks', () => {
  it('does not lose a notification that came between reading the ledger and starting to wait', async () => {
    const signal = new ReplySignal();
    const mark = signal.mark();
    signal.notify('a'); // delivered while the poll was querying
    expect(await signal.wait('a', 10_000, undefined, mark)).toBe(true);
    // A later mark has seen it: the next wait sleeps until the next notification (or its timeout).
    expect(await signal.wait('a', 20, undefined, signal.mark())).toBe(false);
    expect(await signal.wait('b', 20, undefined, mark)).toBe(false);
  });

  it('forgets old notifications once many addresses were notified', () => {
    let now = 0;
    const signal = new ReplySignal(60_000, () => now);
    for (let i = 0; i < 1_001; i++) signal.notify(`s${i}`);
    now += 61_000;
    signal.notify('late');
    expect((signal as unknown as { notified: Map<string, unknown> }).notified.size).toBe(1);
  });
});

describe('delivered rows', () => {
  it('remembers recently delivered rows per session, then forgets them', async () => {
    const { DeliveredRows } = await import('./send.js');
    let now = 0;
    const delivered = new DeliveredRows(1_000, () => now);
    delivered.record('a', 1);
    delivered.record('a', 2);
    delivered.record('b', 3);
    expect(delivered.idsFor('a')).toEqual([1, 2]);
    expect(delivered.idsFor('b')).toEqual([3]);
    expect(delivered.idsFor('c')).toEqual([]);
    now += 1_001;
    expect(delivered.idsFor('a')).toEqual([]);
    delivered.record('a', 4);
    expect(delivered.idsFor('a')).toEqual([4]);
  });
});
