/**
 * Wakes the browser's long polls of a session when the web chat outlet has just delivered a reply to it, so
 * replies show at once without the server querying the ledger in a tight loop.
 *
 * A poll reads `mark()` BEFORE it queries the ledger and passes it to `wait()`: a delivery that happened between
 * the query and the wait then wakes it at once instead of being missed until the next recheck.
 */
export class ReplySignal {
  private readonly waiters = new Map<string, Set<() => void>>();
  /** The mark at which each address was last notified; forgotten after a while (a poll's query takes far less). */
  private readonly notified = new Map<string, { mark: number; at: number }>();
  private counter = 0;
  private closed = false;

  constructor(
    private readonly rememberMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A point in the notification sequence, taken before reading the ledger. */
  mark(): number {
    return this.counter;
  }

  /**
   * Resolves true when `address` is (or, since `since`, was) notified; false after `ms`, on abort or when closed.
   */
  wait(address: string, ms: number, abort?: AbortSignal, since?: number): Promise<boolean> {
    if (since !== undefined && (this.notified.get(address)?.mark ?? -1) > since) return Promise.resolve(true);
    if (this.closed || abort?.aborted || ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const set = this.waiters.get(address) ?? new Set<() => void>();
      this.waiters.set(address, set);
      const done = (woken: boolean) => {
        clearTimeout(timer);
        abort?.removeEventListener('abort', onAbort);
        set.delete(wake);
        if (set.size === 0 && this.waiters.get(address) === set) this.waiters.delete(address);
        resolve(woken);
      };
      const wake = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), ms);
      abort?.addEventListener('abort', onAbort, { once: true });
      set.add(wake);
    });
  }

  notify(address: string): void {
    const now = this.now();
    this.notified.set(address, { mark: ++this.counter, at: now });
    if (this.notified.size > 1_000) {
      for (const [key, n] of this.notified) if (now - n.at > this.rememberMs) this.notified.delete(key);
    }
    for (const wake of [...(this.waiters.get(address) ?? [])]) wake();
  }

  /** How many polls wait on `address` (a session keeps a few at most). */
  waiting(address: string): number {
    return this.waiters.get(address)?.size ?? 0;
  }

  /** Releases every waiter (shutdown); later waits resolve at once. */
  close(): void {
    this.closed = true;
    for (const set of this.waiters.values()) for (const wake of [...set]) wake();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
