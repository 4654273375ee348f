/**
 * The Messenger channel of one commune: its Page (a ChannelAccount row, or the environment's Page for a
 * single-commune installation), replying through the Send API with the Page's token and posting to its feed.
 * One webhook at /webhooks/messenger serves every Page of the Meta app, verified with the app secret and routed
 * by `entry.id`.
 */
import type { Config } from '../../config.js';
import { anyAccount, environmentAccounts, settingsOf, type ChannelAccountRow } from '../accounts.js';
import type { Channel } from '../channel.js';
import { registerChannelFactory, registerSharedWebhook, type ChannelDeps } from '../registry.js';
import { messengerWebhook } from './inbound.js';
import { GraphClient, messengerCapabilities } from './send.js';

export interface MessengerChannelOptions {
  /** How long one Graph API call may take before its outcome counts as unknown. */
  timeoutMs?: number;
}

/** Whether the Meta app (secret and verify token) is configured: without it no Page's webhook can be verified. */
export function messengerAppConfigured(config: Config): boolean {
  return Boolean(config.MESSENGER_APP_SECRET && config.MESSENGER_VERIFY_TOKEN);
}

/** The commune's Messenger account: its row, else the environment's Page. */
function accountOf(deps: ChannelDeps): Pick<ChannelAccountRow, 'externalId' | 'settings'> | undefined {
  if (deps.accounts) return deps.accounts.find((a) => a.channel === 'messenger' && a.active);
  return environmentAccounts(deps.config).find((a) => a.channel === 'messenger');
}

/** Builds the commune's Messenger channel, or null when it has no Page or the Meta app is not configured. */
export function createMessengerChannel(deps: ChannelDeps, options: MessengerChannelOptions = {}): Channel | null {
  const { config } = deps;
  const account = accountOf(deps);
  if (!account || !messengerAppConfigured(config)) return null;
  const settings = settingsOf('messenger', account);
  const graph = new GraphClient({
    baseUrl: config.GRAPH_API_BASE_URL,
    version: config.GRAPH_API_VERSION,
    pageAccessToken: settings.pageAccessToken,
    pageId: account.externalId === anyAccount ? 'me' : account.externalId,
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  return {
    name: 'messenger',
    accountId: account.externalId,
    capabilities: { ...messengerCapabilities, sendsPerSecond: config.MESSENGER_SENDS_PER_SECOND },
    async send(address, reply) {
      return { platformMessageIds: await graph.sendReply(address, reply) };
    },
    async publish(post) {
      return { platformPostId: await graph.publish(post) };
    },
  };
}

registerChannelFactory((deps) => createMessengerChannel(deps));
registerSharedWebhook('messenger', (config, log, lookup) =>
  messengerAppConfigured(config)
    ? messengerWebhook({ appSecret: config.MESSENGER_APP_SECRET!, verifyToken: config.MESSENGER_VERIFY_TOKEN!, log, route: (pageId) => lookup(pageId)?.sink ?? null })
    : null,
);
