/**
 * Registers the Telegram adapter lazily: grammY and its auto-retry plugin (~5 MB of resident memory in an idle
 * service) are imported only when some commune has a Telegram account.
 */
import { registerChannelFactory } from '../registry.js';
import { telegramAccountRow } from './account.js';

registerChannelFactory({
  wanted: (deps) => telegramAccountRow(deps) !== null,
  load: async () => (await import('./index.js')).telegramFactory,
});
