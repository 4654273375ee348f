/**
 * The Channel port: all the rest of the service sees of a platform. Each adapter lives in its own folder with the
 * same file names (index.ts builds it, inbound.ts verifies and parses webhooks, send.ts renders and sends) and
 * turns channel-neutral {@link Reply} intents into the richest form its platform allows within {@link Capabilities}.
 *
 * @example
 * const channel: Channel = createMessengerChannel(config, log);
 * app.use('/webhooks/messenger', channel.webhook!(inbox.accept));
 */
import type { Router } from 'express';
import type { Outlet } from '../domain/delivery.js';
import type { InboundSink } from '../domain/inbox/processor.js';

/** A router a channel serves at a public path (e.g. `/chat`). */
export interface ChannelPage {
  path: string;
  router: Router;
}

export interface Channel extends Outlet {
  /**
   * The platform's id of the account this channel answers from (Page id, OA id, bot id): a shared webhook routes
   * an event to the commune whose channel has it. `*` receives what no other account claims (an account configured
   * from the environment without its id).
   */
  accountId?: string;
  /** Where {@link webhook} is mounted; default `/webhooks/<name>` (a Telegram bot per commune: `/webhooks/telegram/<bot id>`). */
  webhookPaths?: string[];
  /**
   * The express router mounted at `/webhooks/<name>`. It verifies the request (signature or secret) over the raw
   * bytes, parses the body with zod into InboundMessage[], and awaits `sink` BEFORE answering 2xx, so an answered
   * webhook is never lost. Forged or unsigned requests get 401/403 and nothing is stored.
   */
  webhook?(sink: InboundSink): Router;
  /**
   * Public pages and APIs the channel serves outside /webhooks (the web chat at /chat), mounted after the webhooks.
   * Like a webhook, whatever a citizen sends goes into `sink` and is stored before the request is answered.
   */
  pages?(sink: InboundSink): ChannelPage[];
  /** Starts background inbound (e.g. Telegram long polling when there is no public URL). */
  start?(sink: InboundSink): Promise<void>;
  stop?(): Promise<void>;
}
