/**
 * Which Telegram account a commune's channels use, answered without grammY: the registration (`register.ts`) asks
 * it to decide whether the adapter must be imported at all.
 */
import { environmentAccounts } from '../accounts.js';
import type { ChannelDeps } from '../registry.js';

/** The commune's active Telegram account (from its rows, or from the environment in tools without rows); null: none. */
export function telegramAccountRow({ config, accounts }: Pick<ChannelDeps, 'config' | 'accounts'>) {
  return (accounts ? accounts.find((a) => a.channel === 'telegram' && a.active) : environmentAccounts(config).find((a) => a.channel === 'telegram')) ?? null;
}
