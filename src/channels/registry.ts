/**
 * Builds the enabled channels from Config: a channel is enabled when its credentials are configured, so the
 * service starts fine with none (the web chat needs no credentials and is always on).
 */
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../domain/logger.js';
import type { Channel } from './channel.js';

export interface ChannelDeps {
  config: Config;
  db: Db;
  log: Logger;
}

type ChannelFactory = (deps: ChannelDeps) => Channel | null;

const factories: ChannelFactory[] = [];

/** Adapters register here (one line each), in the order they are listed on the admin's Kênh page. */
export function registerChannelFactory(factory: ChannelFactory): void {
  factories.push(factory);
}

export function buildChannels(deps: ChannelDeps, list: readonly ChannelFactory[] = factories): Channel[] {
  return list.map((f) => f(deps)).filter((c): c is Channel => c !== null);
}
