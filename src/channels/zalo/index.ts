/**
 * The Zalo OA channel of one commune: its OA (a ChannelAccount row, or the environment's OA for a single-commune
 * installation) with its own token pair, refreshed on its own (ChannelToken of the commune). One webhook at
 * /webhooks/zalo serves every OA of the Zalo app, verified with the app's keys and routed by the OA id.
 */
import type { Config } from '../../config.js';
import { environmentAccounts, settingsOf, type ChannelAccountRow } from '../accounts.js';
import type { Channel } from '../channel.js';
import { registerChannelFactory, registerSharedWebhook, type ChannelDeps } from '../registry.js';
import { ChoiceMemory } from './choice-memory.js';
import { zaloWebhook } from './inbound.js';
import { ZaloClient, zaloCapabilities } from './send.js';
import { ZaloTokens } from './tokens.js';

export interface ZaloChannelOptions {
  /** How long one Zalo API call may take before its outcome counts as unknown. */
  timeoutMs?: number;
  refreshMarginMs?: number;
}

export type ZaloChannel = Channel & { tokens: ZaloTokens; choices: ChoiceMemory };

/** Whether the Zalo app (id and OA secret key) is configured: without it no OA's webhook can be verified. */
export function zaloAppConfigured(config: Config): boolean {
  return Boolean(config.ZALO_APP_ID && config.ZALO_OA_SECRET_KEY);
}

function accountOf(deps: ChannelDeps): Pick<ChannelAccountRow, 'externalId' | 'settings'> | undefined {
  if (deps.accounts) return deps.accounts.find((a) => a.channel === 'zalo' && a.active);
  return environmentAccounts(deps.config).find((a) => a.channel === 'zalo');
}

/** Builds the commune's Zalo OA channel, or null when it has no OA or the Zalo app is not configured. */
export function createZaloChannel(deps: ChannelDeps, options: ZaloChannelOptions = {}): ZaloChannel | null {
  const { config, db, log } = deps;
  const account = accountOf(deps);
  if (!account || !zaloAppConfigured(config)) return null;
  const settings = settingsOf('zalo', account);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const tokens = new ZaloTokens({
    db,
    log,
    oauthBaseUrl: config.ZALO_OAUTH_BASE_URL,
    appId: config.ZALO_APP_ID!,
    appSecret: config.ZALO_APP_SECRET,
    initialAccessToken: settings.accessToken,
    initialRefreshToken: settings.refreshToken,
    timeoutMs,
    refreshMarginMs: options.refreshMarginMs,
  });
  const choices = new ChoiceMemory();
  const client = new ZaloClient({ baseUrl: config.ZALO_OPENAPI_BASE_URL, tokens, timeoutMs, broadcast: config.ZALO_BROADCAST, choices, log });
  return {
    name: 'zalo',
    accountId: account.externalId,
    capabilities: zaloCapabilities,
    tokens,
    choices,
    async send(address, reply, context) {
      return { platformMessageIds: await client.sendReply(address, reply, context.replyContext?.msg_id) };
    },
    async publish(post) {
      return { platformPostId: await client.publish(post) };
    },
  };
}

registerChannelFactory((deps) => createZaloChannel(deps));
registerSharedWebhook('zalo', (config, log, lookup) => {
  if (!zaloAppConfigured(config)) return null;
  const keys = { appId: config.ZALO_APP_ID!, oaId: config.ZALO_OA_ID, oaSecretKey: config.ZALO_OA_SECRET_KEY!, appSecret: config.ZALO_APP_SECRET };
  return zaloWebhook({
    keys,
    log,
    route: (oaId) => {
      const found = lookup(oaId);
      if (!found) return null;
      const choices = (found.channel as Partial<ZaloChannel>).choices;
      return { sink: found.sink, choices };
    },
  });
});
