/**
 * Logs a refused unknown account once per account id per process, so a Page left subscribed to the app cannot
 * flood the log; the refusal itself is answered every time.
 */
export class LogOnce {
  private readonly seen = new Set<string>();
  constructor(private readonly limit = 10_000) {}
  first(key: string): boolean {
    if (this.seen.has(key)) return false;
    if (this.seen.size < this.limit) this.seen.add(key);
    return true;
  }
}
