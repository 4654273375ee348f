/**
 * Wakes the browser's long polls of a session when the web chat outlet has just delivered a reply to it, so
 * replies show at once without the server querying the ledger in a tight loop.
 */
export class ReplySignal {
  private readonly waiters = new Map<string, Set<() => void>>();
  private closed = false;

  /** Resolves true when `notify(address)` is called, false after `ms`, on abort or when closed. */
  wait(address: string, ms: number, abort?: AbortSignal): Promise<boolean> {
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
