/**
 * Token buckets per key (a session, an IP), in memory: light protection against a stuck client or a script, not
 * a security boundary. Each instance limits on its own; that is enough for a commune's traffic.
 */
export interface BucketPolicy {
  /** Burst size. */
  capacity: number;
  /** Tokens regained per second. */
  refillPerSecond: number;
  /** Above this many tracked keys, full buckets are forgotten so memory stays bounded. */
  maxKeys?: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly policy: BucketPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`; false when the key has none left (the caller answers 429). */
  take(key: string): boolean {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.policy.capacity, at: now };
    b.tokens = Math.min(this.policy.capacity, b.tokens + ((now - b.at) / 1000) * this.policy.refillPerSecond);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return false;
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    if (this.buckets.size > (this.policy.maxKeys ?? 10_000)) this.forgetFull(now);
    return true;
  }

  private forgetFull(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.policy.refillPerSecond >= this.policy.capacity) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
