/**
 * The Zalo OA channel: enabled when the app id, the OA secret key and an access token are configured. Webhook at
 * /webhooks/zalo, replies as consultation messages, posts as articles.
 */
import type { Config } from '../../config.js';
import type { Channel } from '../channel.js';
import { registerChannelFactory, type ChannelDeps } from '../registry.js';
import { ChoiceMemory } from './choice-memory.js';
import { zaloWebhook } from './inbound.js';
import { ZaloClient, zaloCapabilities } from './send.js';
import { ZaloTokens } from './tokens.js';

export interface ZaloChannelOptions {
  /** How long one Zalo API call may take before its outcome counts as unknown. */
  timeoutMs?: number;
  refreshMarginMs?: number;
}

export function zaloConfigured(config: Config): boolean {
  return Boolean(config.ZALO_APP_ID && config.ZALO_OA_SECRET_KEY && config.ZALO_ACCESS_TOKEN);
}

/** Builds the Zalo OA channel, or null when its credentials are not configured. */
export function createZaloChannel(deps: ChannelDeps, options: ZaloChannelOptions = {}): (Channel & { tokens: ZaloTokens }) | null {
  const { config, db, log } = deps;
  if (!zaloConfigured(config)) return null;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const tokens = new ZaloTokens({
    db,
    log,
    oauthBaseUrl: config.ZALO_OAUTH_BASE_URL,
    appId: config.ZALO_APP_ID!,
    appSecret: config.ZALO_APP_SECRET,
    initialAccessToken: config.ZALO_ACCESS_TOKEN!,
    initialRefreshToken: config.ZALO_REFRESH_TOKEN,
    timeoutMs,
    refreshMarginMs: options.refreshMarginMs,
  });
  const choices = new ChoiceMemory();
  const client = new ZaloClient({ baseUrl: config.ZALO_OPENAPI_BASE_URL, tokens, timeoutMs, broadcast: config.ZALO_BROADCAST, choices, log });
  const keys = { appId: config.ZALO_APP_ID!, oaId: config.ZALO_OA_ID, oaSecretKey: config.ZALO_OA_SECRET_KEY!, appSecret: config.ZALO_APP_SECRET };
  return {
    name: 'zalo',
    capabilities: zaloCapabilities,
    tokens,
    webhook: (sink) => zaloWebhook({ keys, log, choices }, sink),
    async send(address, reply, context) {
      return { platformMessageIds: await client.sendReply(address, reply, context.replyContext?.msg_id) };
    },
    async publish(post) {
      return { platformPostId: await client.publish(post) };
    },
  };
}

registerChannelFactory((deps) => createZaloChannel(deps));
