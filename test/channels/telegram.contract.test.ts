import { createTelegramChannel } from '../../src/channels/telegram/index.js';
import { telegramTextUpdate, telegramUpdate } from '../fixtures/telegram/load.js';
import { isTelegramSend, startTelegramMock } from '../support/telegram-mock.js';
import { channelContract } from './contract.js';

const secret = 'contract-tg-secret';

channelContract('telegram', {
  startMock: startTelegramMock,
  env: (mockUrl) => ({ TELEGRAM_BOT_TOKEN: '123456:contract-token', TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_API_ROOT: mockUrl }),
  channels: ({ config, log }) => [createTelegramChannel(config, log)],
  citizenMessage: (n, text) => {
    const u = telegramTextUpdate(n, text);
    return { body: JSON.stringify(u), address: String(u.message.chat.id) };
  },
  sign: () => ({ 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }),
  forge: () => ({ 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'not-the-secret' }),
  unknownEvents: () => (['edited-message', 'channel-post', 'my-chat-member', 'group-message'] as const).map((f) => JSON.stringify(telegramUpdate(f))),
  isReply: (r, address) => isTelegramSend(r, address),
});
