/**
 * The Messenger channel: enabled when the App Secret, the Page access token and the verify token are configured.
 * Webhook at /webhooks/messenger, replies through the Send API, posts to the Page feed.
 */
import type { Config } from '../../config.js';
import type { Channel } from '../channel.js';
import { registerChannelFactory, type ChannelDeps } from '../registry.js';
import { messengerWebhook } from './inbound.js';
import { GraphClient, messengerCapabilities } from './send.js';

export interface MessengerChannelOptions {
  /** How long one Graph API call may take before its outcome counts as unknown. */
  timeoutMs?: number;
}

/** Whether the Messenger credentials are configured. */
export function messengerConfigured(config: Config): boolean {
  return Boolean(config.MESSENGER_APP_SECRET && config.MESSENGER_PAGE_ACCESS_TOKEN && config.MESSENGER_VERIFY_TOKEN);
}

/** Builds the Messenger channel, or null when its credentials are not configured. */
export function createMessengerChannel(deps: ChannelDeps, options: MessengerChannelOptions = {}): Channel | null {
  const { config, log } = deps;
  if (!messengerConfigured(config)) return null;
  const graph = new GraphClient({
    baseUrl: config.GRAPH_API_BASE_URL,
    version: config.GRAPH_API_VERSION,
    pageAccessToken: config.MESSENGER_PAGE_ACCESS_TOKEN!,
    pageId: config.MESSENGER_PAGE_ID ?? 'me',
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  return {
    name: 'messenger',
    capabilities: messengerCapabilities,
    webhook: (sink) => messengerWebhook({ appSecret: config.MESSENGER_APP_SECRET!, verifyToken: config.MESSENGER_VERIFY_TOKEN!, log }, sink),
    async send(address, reply) {
      return { platformMessageIds: await graph.sendReply(address, reply) };
    },
    async publish(post) {
      return { platformPostId: await graph.publish(post) };
    },
  };
}

registerChannelFactory((deps) => createMessengerChannel(deps));
