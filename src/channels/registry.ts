/**
 * Builds each commune's channels from its accounts, and the shared webhooks that route one platform's events to
 * the commune whose account received them. A channel is enabled for a commune when it has an active account (the
 * web chat needs none and is always on); the service starts fine with none.
 */
import type { Router } from 'express';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Tenant } from '../db/tenant.js';
import type { InboundSink } from '../domain/inbox/processor.js';
import type { Logger } from '../domain/logger.js';
import type { ChannelAccountRow } from './accounts.js';
import type { Channel } from './channel.js';

export interface ChannelDeps {
  config: Config;
  /** Scoped to the commune the channels are built for. */
  db: Db;
  log: Logger;
  /** The commune's active accounts; absent in tools that build from the environment only. */
  accounts?: readonly ChannelAccountRow[];
  tenant?: Tenant;
}

export type ChannelFactory = (deps: ChannelDeps) => Channel | null;

/**
 * A factory whose adapter module is imported only when some commune wants it: `wanted` answers from the accounts
 * alone (cheap, no platform library), `load` imports the adapter. A service without a Telegram bot never loads
 * grammY. `loadChannelAdapters` must have run for the deps before `buildChannels` builds a wanted one.
 */
export interface LazyChannelFactory {
  wanted(deps: ChannelDeps): boolean;
  load(): Promise<ChannelFactory>;
}

type Entry = { factory: ChannelFactory } | { lazy: LazyChannelFactory; loaded: ChannelFactory | null };

const entries: Entry[] = [];
const factories: ChannelFactory[] = [];

/** Adapters register here (one line each), in the order they are listed on the admin's Kênh page. */
export function registerChannelFactory(factory: ChannelFactory | LazyChannelFactory): void {
  if (typeof factory === 'function') {
    entries.push({ factory });
    factories.push(factory);
    return;
  }
  const entry: Entry = { lazy: factory, loaded: null };
  entries.push(entry);
  factories.push((deps) => {
    if (!factory.wanted(deps)) return null;
    if (!entry.loaded) throw new Error('a channel adapter is wanted but not loaded: await loadChannelAdapters(deps) before buildChannels');
    return entry.loaded(deps);
  });
}

/** Imports the lazily registered adapters these deps want (once per process). */
export async function loadChannelAdapters(deps: ChannelDeps): Promise<void> {
  for (const entry of entries) if ('lazy' in entry && !entry.loaded && entry.lazy.wanted(deps)) entry.loaded = await entry.lazy.load();
}

export function buildChannels(deps: ChannelDeps, list: readonly ChannelFactory[] = factories): Channel[] {
  return list.map((f) => f(deps)).filter((c): c is Channel => c !== null);
}

/** The commune channel an event for account `accountId` belongs to, and the sink of that commune's inbox. */
export interface RoutedAccount {
  channel: Channel;
  sink: InboundSink;
  communeSlug: string;
}

/** Finds the account of a platform by the platform's id of it (Page id, OA id); null: no commune has it. */
export type AccountLookup = (accountId: string) => RoutedAccount | null;

/**
 * One webhook for every account of a platform where the platform allows it (one Meta app with many Pages, one
 * Zalo app with many OAs): it verifies the app's signature, then hands each event to its account's commune.
 */
export type SharedWebhookFactory = (config: Config, log: Logger, lookup: AccountLookup) => Router | null;

const sharedWebhooks = new Map<string, SharedWebhookFactory>();

export function registerSharedWebhook(channel: string, factory: SharedWebhookFactory): void {
  sharedWebhooks.set(channel, factory);
}

/** The shared webhook routers for the channels in use, keyed by channel name (mounted at /webhooks/<name>). */
export function buildSharedWebhooks(config: Config, log: Logger, channelsInUse: readonly string[], lookupFor: (channel: string) => AccountLookup): Map<string, Router> {
  const out = new Map<string, Router>();
  for (const [name, factory] of sharedWebhooks) {
    if (!channelsInUse.includes(name)) continue;
    const router = factory(config, log, lookupFor(name));
    if (router) out.set(name, router);
  }
  return out;
}
