/**
 * A commune's platform accounts (ChannelAccount rows): its Facebook Page, its Zalo OA, its Telegram bot. The row's
 * `externalId` routes an inbound event to its commune (Page id = `entry.id`, OA id, bot id); `settings` holds the
 * account's own credentials, checked here with zod. App-level secrets (the Meta app secret and verify token, the
 * Zalo app id, app secret and OA secret key) stay in the environment: one app serves every commune's account.
 *
 * These queries take the UNSCOPED client: routing happens before the commune is known.
 */
import { z } from 'zod';
import type { Config } from '../config.js';
import type { DbTx } from '../db/client.js';
import type { Tenant } from '../db/tenant.js';

/** Channels that have accounts (the web chat needs none: every commune has one at /c/{slug}/chat). */
export const accountChannels = ['messenger', 'zalo', 'telegram'] as const;
export type AccountChannel = (typeof accountChannels)[number];

/**
 * The external id of an account configured from the environment without a Page or OA id: it receives the events
 * no other account claims, as a single-commune installation always did.
 */
export const anyAccount = '*';

const text = z.string().trim().min(1);

export const accountSettings = {
  messenger: z.object({ pageAccessToken: text }),
  zalo: z.object({ accessToken: text, refreshToken: text.optional() }),
  telegram: z.object({
    botToken: text.regex(/^\d+:[A-Za-z0-9_-]+$/, 'a bot token looks like 123456:ABC-def'),
    webhookSecret: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1–256 of A–Z a–z 0–9 _ -').optional(),
    /** The Telegram channel posts are published to (@name or -100… id). */
    channelId: text.optional(),
    /** Also served (and registered) at the single-bot path /webhooks/telegram: set for the environment's bot. */
    legacyPath: z.boolean().optional(),
  }),
} as const;

export type MessengerSettings = z.infer<typeof accountSettings.messenger>;
export type ZaloSettings = z.infer<typeof accountSettings.zalo>;
export type TelegramSettings = z.infer<typeof accountSettings.telegram>;
export type SettingsOf<C extends AccountChannel> = z.infer<(typeof accountSettings)[C]>;

export interface ChannelAccountRow {
  id: number;
  communeId: number;
  channel: string;
  externalId: string;
  settings: unknown;
  active: boolean;
}

/** The Telegram bot id: the numeric prefix of its token (what getMe answers as `id`). */
export function telegramBotId(botToken: string): string {
  return botToken.split(':')[0] ?? '';
}

/** Parses an account's settings; throws an Error naming the account and the bad field. */
export function settingsOf<C extends AccountChannel>(channel: C, account: Pick<ChannelAccountRow, 'externalId' | 'settings'>): SettingsOf<C> {
  const parsed = accountSettings[channel].safeParse(account.settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${channel} account ${account.externalId}: ${issue?.path.join('.') || 'settings'} ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as SettingsOf<C>;
}

const select = { id: true, communeId: true, channel: true, externalId: true, settings: true, active: true } as const;

export async function listChannelAccounts(root: DbTx, where: { communeId?: number; channel?: string } = {}): Promise<ChannelAccountRow[]> {
  return root.channelAccount.findMany({ where, select, orderBy: [{ communeId: 'asc' }, { channel: 'asc' }] });
}

export class AccountConflictError extends Error {
  constructor(readonly channel: string, readonly externalId: string, readonly ownerCommuneId: number) {
    super(`the ${channel} account ${externalId} already belongs to commune ${ownerCommuneId}`);
    this.name = 'AccountConflictError';
  }
}

/**
 * Sets a commune's account of one channel (a commune has at most one per channel). Refuses an external id that
 * another commune holds: two communes answering from one Page would reply from the wrong commune.
 */
export async function upsertChannelAccount(
  root: DbTx,
  input: { communeId: number; channel: AccountChannel; externalId: string; settings: unknown; active?: boolean },
): Promise<ChannelAccountRow> {
  const settings = accountSettings[input.channel].parse(input.settings);
  const owner = await root.channelAccount.findUnique({ where: { channel_externalId: { channel: input.channel, externalId: input.externalId } }, select });
  if (owner && owner.communeId !== input.communeId) throw new AccountConflictError(input.channel, input.externalId, owner.communeId);
  const data = { externalId: input.externalId, settings, active: input.active ?? true };
  return root.channelAccount.upsert({
    where: { communeId_channel: { communeId: input.communeId, channel: input.channel } },
    create: { communeId: input.communeId, channel: input.channel, ...data },
    update: data,
    select,
  });
}

export async function setChannelAccountActive(root: DbTx, communeId: number, channel: AccountChannel, active: boolean): Promise<boolean> {
  const r = await root.channelAccount.updateMany({ where: { communeId, channel }, data: { active } });
  return r.count === 1;
}

export async function removeChannelAccount(root: DbTx, communeId: number, channel: AccountChannel): Promise<boolean> {
  const r = await root.channelAccount.deleteMany({ where: { communeId, channel } });
  return r.count === 1;
}

/** The accounts the environment configures, as the single-commune installation always read them. */
export function environmentAccounts(config: Config): { channel: AccountChannel; externalId: string; settings: unknown }[] {
  const out: { channel: AccountChannel; externalId: string; settings: unknown }[] = [];
  if (config.MESSENGER_APP_SECRET && config.MESSENGER_PAGE_ACCESS_TOKEN && config.MESSENGER_VERIFY_TOKEN) {
    out.push({ channel: 'messenger', externalId: config.MESSENGER_PAGE_ID ?? anyAccount, settings: { pageAccessToken: config.MESSENGER_PAGE_ACCESS_TOKEN } });
  }
  if (config.ZALO_APP_ID && config.ZALO_OA_SECRET_KEY && config.ZALO_ACCESS_TOKEN) {
    out.push({ channel: 'zalo', externalId: config.ZALO_OA_ID ?? anyAccount, settings: { accessToken: config.ZALO_ACCESS_TOKEN, refreshToken: config.ZALO_REFRESH_TOKEN } });
  }
  if (config.TELEGRAM_BOT_TOKEN) {
    out.push({
      channel: 'telegram',
      externalId: telegramBotId(config.TELEGRAM_BOT_TOKEN),
      settings: { botToken: config.TELEGRAM_BOT_TOKEN, webhookSecret: config.TELEGRAM_WEBHOOK_SECRET, channelId: config.TELEGRAM_CHANNEL_ID, legacyPath: true },
    });
  }
  return out;
}

/**
 * The environment's credentials become the accounts of the process's commune (COMMUNE, or the only one), so a
 * single-commune installation configured by variables works as before; the environment wins at every start.
 */
export async function adoptEnvironmentAccounts(root: DbTx, tenant: Tenant, config: Config): Promise<ChannelAccountRow[]> {
  const adopted: ChannelAccountRow[] = [];
  for (const account of environmentAccounts(config)) {
    adopted.push(await upsertChannelAccount(root, { communeId: tenant.communeId, ...account }));
  }
  return adopted;
}
