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
