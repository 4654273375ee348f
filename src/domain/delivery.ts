/**
 * The outbound port: what the ledger's dispatcher and the scheduler need from a channel, and how a channel says
 * what went wrong. Channels (src/channels/*) implement it; the domain never imports them.
 */
import type { Capabilities, ChannelName, Reply } from './messages.js';

/**
 * Where an error was born decides what happens next:
 * - retry: 429, 5xx, network failure: try again later (honouring retryAfterMs);
 * - auth: token expired or wrong: mark the channel unhealthy, tell staff, hold its sends;
 * - rejected: the platform refused this request (bad request, policy, outside the window): do not retry;
 * - gone: the citizen blocked the page or is unreachable: do not retry;
 * - unknown: the request may or may not have been carried out (timeout after sending): record as unconfirmed.
 */
export type DeliveryErrorKind = 'retry' | 'auth' | 'rejected' | 'gone' | 'unknown';

export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly options: { retryAfterMs?: number; platformCode?: string | number; staffMessage?: string } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Context a channel may need to send a reply (e.g. Zalo's message id, Messenger's window). */
export interface SendContext {
  /** The citizen's last inbound time, for messaging windows. */
  lastInboundAt?: Date | null;
  /** replyContext of the inbound message this answers. */
  replyContext?: Record<string, string>;
  kind: 'reply' | 'staff';
  /** The ledger row this send records: a stable id adapters may use in their own message ids and logs. */
  outboundId?: number;
}

/** A post to publish on a channel's public feed (Page feed, OA article, Telegram channel, website). */
export interface PublishablePost {
  id: number;
  title: string;
  body: string;
  topic: string;
  imageUrl?: string | null;
  link?: string | null;
}

export interface Outlet {
  readonly name: ChannelName;
  readonly capabilities: Capabilities;
  /**
   * Sends one reply to `address`. May become several platform messages (split text); resolves with their ids.
   * Throws {@link DeliveryError} classified where it is born.
   */
  send(address: string, reply: Reply, context: SendContext): Promise<{ platformMessageIds: string[] }>;
  /** Publishes a post to the channel's public feed; absent when the channel cannot publish. */
  publish?(post: PublishablePost): Promise<{ platformPostId: string }>;
}
