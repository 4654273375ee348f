/**
 * Group commit: work items that arrive while a flush is running wait and are flushed together in the next one.
 * Under load one transaction carries many messages (the SQLite ledger serialises transactions, so their count, not
 * their size, bounds throughput); when idle a lone item is flushed after one event-loop turn.
 */
export class GroupCommit<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    /** Flushes a batch; returns one result per item, in order. */
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 200,
  ) {}

  /** Queues items; resolves with their results once the batch holding them is flushed. */
  add(items: T[]): Promise<R[]> {
    const done = Promise.all(items.map((item) => new Promise<R>((resolve, reject) => this.queue.push({ item, resolve, reject }))));
    if (!this.running) void this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        // SQLite answers synchronously, so a flush never yields to I/O by itself: let the requests already received
        // in this event-loop turn join the batch (setImmediate runs right after the poll phase).
        await new Promise<void>((r) => setImmediate(r));
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.flush(batch.map((b) => b.item));
          batch.forEach((b, i) => b.resolve(results[i] as R));
        } catch (e) {
          for (const b of batch) b.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
