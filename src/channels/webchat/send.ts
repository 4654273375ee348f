/**
 * The web chat's outbound side. The browser renders the channel-neutral Reply itself (it reads the ledger row), so
 * sending is recording: the outlet notes the row as delivered to the session and wakes its long polls, and the
 * dispatcher then marks the row sent (with the id returned here) together with the rest of its batch.
 * Nothing can fail on a platform, so no DeliveryError is ever thrown.
 */
import { randomUUID } from 'node:crypto';
import type { Outlet, SendContext } from '../../domain/delivery.js';
import type { Capabilities, Reply } from '../../domain/messages.js';
import type { ReplySignal } from './signal.js';

export const webchatCapabilities: Capabilities = {
  // The page wraps any length; one ledger row stays one bubble.
  maxTextLength: 20_000,
  maxChoices: 12,
  choiceTitleMax: 80,
  maxLinkButtons: 6,
  // No platform to protect: no pacing.
  sendsPerSecond: 0,
  messagingWindowHours: null,
  // chat.js draws an officer's reply as its own bubble with the name above it.
  showsAuthor: true,
};

/**
 * Ledger rows this process has handed to a session but the dispatcher may not have marked `sent` yet (it records
 * a whole batch at once). Polls show them right away instead of waiting for that write. Forgotten after a while:
 * by then every row is `sent`, or `unconfirmed` if the process failed in between.
 */
export class DeliveredRows {
  private readonly rows = new Map<string, { id: number; at: number }[]>();

  constructor(
    private readonly keepMs = 120_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(address: string, outboundId: number): void {
    const now = this.now();
    const list = (this.rows.get(address) ?? []).filter((r) => now - r.at <= this.keepMs);
    list.push({ id: outboundId, at: now });
    this.rows.set(address, list);
    if (this.rows.size > 5_000) this.prune(now);
  }

  /** Recently delivered row ids of one session. */
  idsFor(address: string): number[] {
    const now = this.now();
    return (this.rows.get(address) ?? []).filter((r) => now - r.at <= this.keepMs).map((r) => r.id);
  }

  private prune(now: number): void {
    for (const [address, list] of this.rows) {
      const kept = list.filter((r) => now - r.at <= this.keepMs);
      if (kept.length === 0) this.rows.delete(address);
      else this.rows.set(address, kept);
    }
  }

  get size(): number {
    return this.rows.size;
  }
}

/** The Outlet `send` of the web chat: records delivery as `web-<ledger id>` and wakes the session's polls. */
export function createWebchatSend(signal: ReplySignal, delivered: DeliveredRows): Outlet['send'] {
  return async (address: string, _reply: Reply, context: SendContext) => {
    if (context.outboundId !== undefined) delivered.record(address, context.outboundId);
    signal.notify(address);
    return { platformMessageIds: [`web-${context.outboundId ?? randomUUID()}`] };
  };
}
