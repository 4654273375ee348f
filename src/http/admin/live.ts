/**
 * Live staff pages: GET /admin/live is a server-sent event stream of the menu counts and a fingerprint of the
 * inbox's rows. One poller per process reads the rows every `intervalMs` while at least one page listens, and
 * pushes only changes, so a conversation stored by another instance reaches every open page within one interval.
 * admin.js updates the badges and the title, alerts on a new waiting conversation and refreshes the page's live parts.
 */
import type { Request, Response } from 'express';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../domain/logger.js';
import { attentionSnapshot, type AttentionSnapshot } from '../../domain/staff/dashboard.repo.js';

export class LiveAttention {
  private readonly listeners = new Set<Response>();
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private last: AttentionSnapshot | null = null;
  private reading = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly intervalMs = 2_000,
  ) {}

  /** The route handler: opens the stream and sends the current snapshot at once. */
  readonly handle = async (req: Request, res: Response): Promise<void> => {
    if (this.closed) {
      res.status(503).end();
      return;
    }
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    // Reconnect after 3 s when the connection drops (a restart, a phone waking up).
    res.write('retry: 3000\n\n');
    this.listeners.add(res);
    req.on('close', () => this.remove(res));
    const snapshot = this.last ?? (await this.read());
    if (snapshot && !res.writableEnded) send(res, snapshot);
    this.ensureRunning();
  };

  get listening(): number {
    return this.listeners.size;
  }

  /** Ends every stream (shutdown), so the HTTP server can close at once. */
  close(): void {
    this.closed = true;
    this.stop();
    for (const res of this.listeners) res.end();
    this.listeners.clear();
  }

  private remove(res: Response): void {
    this.listeners.delete(res);
    if (this.listeners.size === 0) this.stop();
  }

  private ensureRunning(): void {
    if (this.timer || this.closed || this.listeners.size === 0) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    // Comments keep proxies from closing an idle stream.
    this.heartbeat = setInterval(() => {
      for (const res of this.listeners) res.write(': ping\n\n');
    }, 25_000);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = null;
    this.heartbeat = null;
    this.last = null;
  }

  private async read(): Promise<AttentionSnapshot | null> {
    try {
      return await attentionSnapshot(this.db);
    } catch (e) {
      this.log.warn({ cause: String(e) }, 'live admin counts could not be read');
      return null;
    }
  }

  private async tick(): Promise<void> {
    if (this.reading || this.closed) return;
    this.reading = true;
    try {
      const snapshot = await this.read();
      if (!snapshot || snapshot.version === this.last?.version) return;
      this.last = snapshot;
      for (const res of this.listeners) send(res, snapshot);
    } finally {
      this.reading = false;
    }
  }
}

function send(res: Response, snapshot: AttentionSnapshot): void {
  res.write(`event: attention\ndata: ${JSON.stringify(snapshot)}\n\n`);
}
