/**
 * Sends ledger rows through their channel's Outlet and records the outcome where the error was classified:
 * retry → pending again with backoff and jitter (honouring retry-after); auth → channel unhealthy, row held;
 * rejected / gone → failed; unknown → unconfirmed (never re-sent blindly). Paces each channel to its sends/second.
 *
 * Crash safety rests on WHEN a row changes state:
 * - a row waits in the pacer while still `pending` in the database, so a crash there leaves it for the restart to
 *   send (nothing was claimed, nothing is lost);
 * - it is claimed (`pending` → `sending`, one atomic UPDATE that only one process can win) right when the pacer
 *   releases it to the network, so `sending` means "this call may have reached the platform";
 * - each outcome is recorded as soon as the platform answers (successes group-committed with those answered in the
 *   same moment), so a crash loses at most the calls really in flight, and those become `unconfirmed` after the
 *   lease, never re-sent.
 */
import type { Db } from '../../db/client.js';
import { DeliveryError, type Outlet } from '../delivery.js';
import { GroupCommit } from '../inbox/group-commit.js';
import { errorKind, type Logger } from '../logger.js';
import { withAuthorLine, type Reply } from '../messages.js';
import { markChannelHealthy, markChannelUnhealthy } from './channel-health.repo.js';
import { claimOutbound, findQueuedOutbound, markFinal, markRetry, markSentBatch, type OutboundBody, type OutboundRow, type QueuedOutbound } from './outbox.repo.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long an auth failure holds a channel's sends before the next try. */
  authHoldMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000, authHoldMs: 10 * 60_000 };

export interface DispatcherDeps {
  db: Db;
  outlets: ReadonlyMap<string, Outlet>;
  log: Logger;
  now?: () => Date;
  retry?: RetryPolicy;
  random?: () => number;
}

/**
 * Spaces sends on one channel so they never exceed its sends/second, in two steps: `slot` reserves a row's turn
 * (the row waits there unclaimed), `space` runs right before the claim and keeps the calls a gap apart when a slow
 * claim pushed the previous call late (it rarely waits, and never more than one gap); nothing waits between a
 * row's claim and its call.
 */
class Pacer {
  private readonly slots = new Map<string, number>();
  private readonly calls = new Map<string, number>();

  slot(channel: string, perSecond: number): Promise<void> {
    return this.reserve(this.slots, channel, perSecond);
  }

  space(channel: string, perSecond: number): Promise<void> {
    return this.reserve(this.calls, channel, perSecond);
  }

  private async reserve(next: Map<string, number>, channel: string, perSecond: number): Promise<void> {
    if (!Number.isFinite(perSecond) || perSecond <= 0) return;
    const gap = 1000 / perSecond;
    const now = Date.now();
    const at = Math.max(now, next.get(channel) ?? 0);
    next.set(channel, at + gap);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

interface SentOutcome {
  id: number;
  platformMessageId: string | null;
}

export class Dispatcher {
  private readonly pacer = new Pacer();
  private readonly retry: RetryPolicy;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly healthy = new Set<string>();
  /** Rows queued or in flight in this process, and when each is done (so a second dispatch of the same id waits). */
  private readonly inProcess = new Map<number, Promise<void>>();
  /** Successes answered at the same moment are recorded in one transaction. */
  private readonly successes = new GroupCommit<SentOutcome, void>(async (sent) => {
    await markSentBatch(this.deps.db, sent, this.now());
    return sent.map(() => undefined);
  });

  constructor(private readonly deps: DispatcherDeps) {
    this.retry = deps.retry ?? defaultRetryPolicy;
    this.now = deps.now ?? (() => new Date());
    this.random = deps.random ?? Math.random;
  }

  /**
   * Sends the given rows that are pending and due: rows of one conversation (or one recipient) in order, different
   * conversations concurrently. Rows already queued in this process are not queued twice. Resolves when every row
   * this call (or an earlier one) queued has a recorded outcome, or was taken by another process.
   */
  async dispatch(ids: number[]): Promise<void> {
    const earlier = ids.flatMap((id) => this.inProcess.get(id) ?? []);
    const fresh = [...new Set(ids.filter((id) => !this.inProcess.has(id)))];
    if (fresh.length === 0) {
      await Promise.all(earlier);
      return;
    }
    // Reserved synchronously, before the first await, so a concurrent dispatch of the same ids waits for this one.
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    for (const id of fresh) this.inProcess.set(id, finished);
    try {
      const rows = await findQueuedOutbound(this.deps.db, fresh, this.now());
      const queues = new Map<string, QueuedOutbound[]>();
      for (const row of rows) {
        const key = row.conversationId !== null ? `c${row.conversationId}` : `a${row.channel}:${row.address}`;
        const q = queues.get(key);
        if (q) q.push(row);
        else queues.set(key, [row]);
      }
      await Promise.all(
        [...queues.values()].map(async (queue) => {
          for (const row of queue) await this.release(row);
        }),
      );
    } finally {
      for (const id of fresh) this.inProcess.delete(id);
      done();
    }
    await Promise.all(earlier);
  }

  backoffMs(attempt: number, retryAfterMs?: number): number {
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    const jittered = exp / 2 + this.random() * (exp / 2);
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  /**
   * Claims one row; null when another process took it (or it is no longer due). One statement per row, on purpose:
   * batching claims (group commit) made rows released a few milliseconds apart wait for one transaction, then
   * wait again to be spaced out, claimed but not yet sent; a crash then turned them into unconfirmed replies that
   * never left (measured with bench:crash on PostgreSQL).
   */
  private async claim(id: number): Promise<OutboundRow | null> {
    const [row] = await claimOutbound(this.deps.db, [id], this.now());
    return row ?? null;
  }

  /**
   * One row's way out: checks that need no network, then the pacer, then the claim and the platform call, then the
   * outcome. Any database failure is logged; the row is then left where the database has it (pending: sent by a
   * later tick; sending: unconfirmed after the lease).
   */
  private async release(queued: QueuedOutbound): Promise<void> {
    const { db, log } = this.deps;
    try {
      const outlet = this.deps.outlets.get(queued.channel);
      if (!outlet) {
        if (!(await this.claim(queued.id))) return;
        await markFinal(db, queued.id, 'failed', `Channel ${queued.channel} is not configured`);
        log.warn({ outboundId: queued.id, channel: queued.channel }, 'outbound row for an unconfigured channel marked failed');
        return;
      }
      const body = queued.body as OutboundBody;
      const window = outlet.capabilities.messagingWindowHours;
      const lastInboundAt = body.context.lastInboundAt ? new Date(body.context.lastInboundAt) : null;
      if (queued.kind !== 'post' && window !== null && lastInboundAt && this.now().getTime() - lastInboundAt.getTime() > window * 3_600_000) {
        if (!(await this.claim(queued.id))) return;
        await markFinal(db, queued.id, 'not_sent', `Outside the ${window}-hour messaging window`);
        log.info({ outboundId: queued.id, channel: queued.channel }, 'reply not sent: outside the messaging window');
        return;
      }
      const perSecond = outlet.capabilities.sendsPerSecond;
      await this.pacer.slot(queued.channel, perSecond);
      // Spaced before the claim, not after: a claimed row that then waits for its gap is a reply a crash would turn
      // into «unconfirmed» although it never left (up to one gap, 66 ms on Zalo). Claim, then call at once.
      await this.pacer.space(queued.channel, perSecond);
      const row = await this.claim(queued.id);
      if (!row) return;
      let platformMessageId: string | null;
      try {
        const reply = outlet.capabilities.showsAuthor ? (body.reply as Reply) : withAuthorLine(body.reply as Reply);
        const result = await outlet.send(row.address, reply, {
          kind: row.kind === 'staff' || row.kind === 'test' ? 'staff' : 'reply',
          outboundId: row.id,
          lastInboundAt,
          replyContext: body.context.replyContext,
        });
        platformMessageId = result.platformMessageIds.join(',') || null;
      } catch (e) {
        await this.recordFailure(row, e);
        return;
      }
      await this.successes.add([{ id: row.id, platformMessageId }]);
      if (!this.healthy.has(row.channel)) {
        this.healthy.add(row.channel);
        await markChannelHealthy(db, row.channel);
      }
    } catch (e) {
      log.error({ outboundId: queued.id, channel: queued.channel, cause: errorKind(e) }, 'recording a send failed');
    }
  }

  private async recordFailure(row: OutboundRow, e: unknown): Promise<void> {
    const { db, log } = this.deps;
    const err = e instanceof DeliveryError ? e : new DeliveryError('unknown', e instanceof Error ? e.message : String(e));
    const context = { outboundId: row.id, channel: row.channel, kind: err.kind, attempt: row.attempts, cause: err.message };
    const now = this.now();
    switch (err.kind) {
      case 'retry':
        if (row.attempts >= this.retry.maxAttempts) {
          await markFinal(db, row.id, 'failed', `Gave up after ${row.attempts} attempts: ${err.message}`);
          log.warn(context, 'send failed for good after retries');
        } else {
          await markRetry(db, row.id, err.message, new Date(now.getTime() + this.backoffMs(row.attempts, err.options.retryAfterMs)));
          log.info(context, 'send failed, will retry');
        }
        return;
      case 'auth':
        this.healthy.delete(row.channel);
        // Staff read ChannelState: the channel's own Vietnamese advice when it gave one, else the platform's words.
        await markChannelUnhealthy(db, row.channel, err.options.staffMessage ?? err.message, now);
        if (row.attempts >= this.retry.maxAttempts) await markFinal(db, row.id, 'failed', err.message);
        else await markRetry(db, row.id, err.message, new Date(now.getTime() + this.retry.authHoldMs));
        log.error(context, 'channel credentials rejected; channel marked unhealthy');
        return;
      case 'rejected':
      case 'gone':
        await markFinal(db, row.id, 'failed', err.message);
        log.warn(context, 'send rejected by the platform');
        return;
      case 'unknown':
        await markFinal(db, row.id, 'unconfirmed', err.message);
        log.warn(context, 'send outcome unknown; recorded as unconfirmed');
        return;
    }
  }
}
