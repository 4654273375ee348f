/**
 * Slows password guessing: failed sign-ins are counted per IP address and per user name in a sliding window; past
 * the limit, sign-in is refused until the oldest failure leaves the window. In memory on purpose: one process
 * serves a commune, and a restart forgetting the counts is harmless next to a 15-minute window.
 */
export interface LimiterPolicy {
  windowMs: number;
  maxPerUser: number;
  maxPerIp: number;
}

export const defaultLimiterPolicy: LimiterPolicy = { windowMs: 15 * 60_000, maxPerUser: 5, maxPerIp: 20 };

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly policy: LimiterPolicy = defaultLimiterPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before another try, or 0 when a try is allowed. */
  retryAfterMs(ip: string, username: string): number {
    const t = this.now();
    const wait = (key: string, max: number) => {
      const list = this.recent(key, t);
      if (list.length < max) return 0;
      return (list[list.length - max] ?? t) + this.policy.windowMs - t;
    };
    return Math.max(wait(`ip:${ip}`, this.policy.maxPerIp), wait(`user:${username}`, this.policy.maxPerUser));
  }

  recordFailure(ip: string, username: string): void {
    const t = this.now();
    for (const key of [`ip:${ip}`, `user:${username}`]) this.failures.set(key, [...this.recent(key, t), t]);
    if (this.failures.size > 10_000) this.sweep(t);
  }

  /** A successful sign-in clears the user's count (not the IP's: one office shares an address). */
  recordSuccess(username: string): void {
    this.failures.delete(`user:${username}`);
  }

  private recent(key: string, t: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > t - this.policy.windowMs);
  }

  private sweep(t: number): void {
    for (const key of [...this.failures.keys()]) {
      const list = this.recent(key, t);
      if (list.length === 0) this.failures.delete(key);
      else this.failures.set(key, list);
    }
  }
}
