/**
 * Sends claimed ledger rows through their channel's Outlet and records the outcome where the error was classified:
 * retry → pending again with backoff and jitter (honouring retry-after); auth → channel unhealthy, row held;
 * rejected / gone → failed; unknown → unconfirmed (never re-sent blindly). Paces each channel to its sends/second.
 */
import type { Db } from '../../db/client.js';
import { DeliveryError, type Outlet } from '../delivery.js';
import type { Logger } from '../logger.js';
import { withAuthorLine, type Reply } from '../messages.js';
import { markChannelHealthy, markChannelUnhealthy } from './channel-health.repo.js';
import { claimOutbound, markFinal, markRetry, markSentBatch, type OutboundBody, type OutboundRow } from './outbox.repo.js';

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

/** Spaces sends on one channel so they never exceed its sends/second. */
class Pacer {
  private next = new Map<string, number>();
  async wait(channel: string, perSecond: number): Promise<void> {
    if (!Number.isFinite(perSecond) || perSecond <= 0) return;
    const gap = 1000 / perSecond;
    const now = Date.now();
    const at = Math.max(now, this.next.get(channel) ?? 0);
    this.next.set(channel, at + gap);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

export class Dispatcher {
  private readonly pacer = new Pacer();
  private readonly retry: RetryPolicy;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly healthy = new Set<string>();

  constructor(private readonly deps: DispatcherDeps) {
    this.retry = deps.retry ?? defaultRetryPolicy;
    this.now = deps.now ?? (() => new Date());
    this.random = deps.random ?? Math.random;
  }

  /**
   * Claims and sends the given rows: rows of one conversation (or one recipient) in order, different conversations
   * concurrently; successes are recorded together in one transaction. Resolves when every claimed row has an outcome.
   */
  async dispatch(ids: number[]): Promise<void> {
    const rows = await claimOutbound(this.deps.db, ids, this.now());
    if (rows.length === 0) return;
    const queues = new Map<string, OutboundRow[]>();
    for (const row of rows) {
      const key = row.conversationId !== null ? `c${row.conversationId}` : `a${row.channel}:${row.address}`;
      const q = queues.get(key);
      if (q) q.push(row);
      else queues.set(key, [row]);
    }
    const sent: { id: number; platformMessageId: string | null }[] = [];
    await Promise.all(
      [...queues.values()].map(async (queue) => {
        for (const row of queue) {
          const id = await this.sendOne(row);
          if (id !== undefined) sent.push({ id: row.id, platformMessageId: id });
        }
      }),
    );
    await markSentBatch(this.deps.db, sent, this.now());
    for (const channel of new Set(rows.filter((r) => sent.some((s) => s.id === r.id)).map((r) => r.channel))) {
      if (!this.healthy.has(channel)) {
        await markChannelHealthy(this.deps.db, channel);
        this.healthy.add(channel);
      }
    }
  }

  backoffMs(attempt: number, retryAfterMs?: number): number {
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    const jittered = exp / 2 + this.random() * (exp / 2);
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  /** Sends one claimed row; returns its platform id(s) on success (recorded by the caller), else records the outcome. */
  private async sendOne(row: OutboundRow): Promise<string | null | undefined> {
    const { db, log } = this.deps;
    const outlet = this.deps.outlets.get(row.channel);
    if (!outlet) {
      await markFinal(db, row.id, 'failed', `Channel ${row.channel} is not configured`);
      log.warn({ outboundId: row.id, channel: row.channel }, 'outbound row for an unconfigured channel marked failed');
      return undefined;
    }
    const body = row.body as OutboundBody;
    const window = outlet.capabilities.messagingWindowHours;
    const lastInboundAt = body.context.lastInboundAt ? new Date(body.context.lastInboundAt) : null;
    if (row.kind !== 'post' && window !== null && lastInboundAt && this.now().getTime() - lastInboundAt.getTime() > window * 3_600_000) {
      await markFinal(db, row.id, 'not_sent', `Outside the ${window}-hour messaging window`);
      log.info({ outboundId: row.id, channel: row.channel }, 'reply not sent: outside the messaging window');
      return undefined;
    }
    await this.pacer.wait(row.channel, outlet.capabilities.sendsPerSecond);
    try {
      const reply = outlet.capabilities.showsAuthor ? (body.reply as Reply) : withAuthorLine(body.reply as Reply);
      const result = await outlet.send(row.address, reply, {
        kind: row.kind === 'staff' || row.kind === 'test' ? 'staff' : 'reply',
        outboundId: row.id,
        lastInboundAt,
        replyContext: body.context.replyContext,
      });
      return result.platformMessageIds.join(',') || null;
    } catch (e) {
      await this.recordFailure(row, e);
      return undefined;
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
