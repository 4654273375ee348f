import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './rate-limit.js';

describe('token buckets', () => {
  it('allows a burst, refuses the next, refills with time, per key', () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 3, refillPerSecond: 0.5 }, () => now);
    expect([1, 2, 3, 4].map(() => buckets.take('a'))).toEqual([true, true, true, false]);
    expect(buckets.take('b')).toBe(true);
    now += 1_000;
    expect(buckets.take('a')).toBe(false);
    now += 1_000;
    expect(buckets.take('a')).toBe(true);
    expect(buckets.take('a')).toBe(false);
  });

  it('forgets full buckets when tracking too many keys', () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 2, refillPerSecond: 1, maxKeys: 10 }, () => now);
    for (let i = 0; i < 10; i++) buckets.take(`k${i}`);
    now += 5_000;
    buckets.take('one-more');
    expect(buckets.size).toBe(1);
  });
});
