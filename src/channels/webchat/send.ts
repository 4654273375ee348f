/**
 * The web chat's outbound side. The browser renders the channel-neutral Reply itself (it reads the ledger row), so
 * sending is recording: the dispatcher marks the row sent with the id returned here, and the session's waiting
 * long polls are woken to fetch it. Nothing can fail on a platform, so no DeliveryError is ever thrown.
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
};

/** The Outlet `send` of the web chat: records delivery as `web-<ledger id>` and wakes the session's polls. */
export function createWebchatSend(signal: ReplySignal): Outlet['send'] {
  return async (address: string, _reply: Reply, context: SendContext) => {
    const id = `web-${context.outboundId ?? randomUUID()}`;
    // The row becomes `sent` right after this returns; woken polls re-read the ledger shortly after.
    queueMicrotask(() => signal.notify(address));
    return { platformMessageIds: [id] };
  };
}
