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

export interface Channel extends Outlet {
  /**
   * The express router mounted at `/webhooks/<name>`. It verifies the request (signature or secret) over the raw
   * bytes, parses the body with zod into InboundMessage[], and awaits `sink` BEFORE answering 2xx, so an answered
   * webhook is never lost. Forged or unsigned requests get 401/403 and nothing is stored.
   */
  webhook?(sink: InboundSink): Router;
  /** Starts background inbound (e.g. Telegram long polling when there is no public URL). */
  start?(sink: InboundSink): Promise<void>;
  stop?(): Promise<void>;
}
