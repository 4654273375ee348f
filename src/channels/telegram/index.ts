/**
 * The Telegram channel, built on grammY. With PUBLIC_BASE_URL it receives updates by webhook at /webhooks/telegram
 * (registered with setWebhook at start, guarded by the secret token); without it, it long-polls, so a commune can
 * try the bot from a laptop. Either way each update is stored through the inbox sink before Telegram is told it
 * arrived: the webhook answers after storing, and polling confirms an update only after its handler returned.
 *
 * @example
 * const channel = createTelegramChannel(loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc' }), log);
 * await channel.start?.(inbox.accept); // long polling
 */
import crypto from 'node:crypto';
import { autoRetry } from '@grammyjs/auto-retry';
import express, { type RequestHandler } from 'express';
import { Bot, webhookCallback } from 'grammy';
import type { Config } from '../../config.js';
import type { PublishablePost } from '../../domain/delivery.js';
import type { InboundSink } from '../../domain/inbox/processor.js';
import type { Logger } from '../../domain/logger.js';
import type { Channel } from '../channel.js';
import { markChannelUnhealthy } from '../../domain/ledger/channel-health.repo.js';
import { registerChannelFactory } from '../registry.js';
import { toInbound } from './inbound.js';
import { classifyTelegramError, publishPost, sendReply, telegramCapabilities } from './send.js';

export const WEBHOOK_PATH = '/webhooks/telegram';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Update kinds the bot asks Telegram for; everything else is not delivered at all. */
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface TelegramOptions {
  /**
   * auto-retry settings. Short flood waits are absorbed inline; longer waits, 5xx and network failures go back to
   * the ledger, which retries durably with backoff (and must not resend after a timeout: `rethrowHttpErrors`).
   */
  autoRetry?: Parameters<typeof autoRetry>[0];
  /** Seconds before an API call is abandoned (its outcome then unknown). */
  timeoutSeconds?: number;
  /** Longest pause between attempts to store a polled update while the database is unavailable. */
  pollingStoreMaxDelayMs?: number;
  /** Called when Telegram refuses the token at start (webhook registration or polling), with advice for staff. */
  onAuthFailure?: (staffMessage: string) => Promise<void>;
}

export const defaultAutoRetry = { maxRetryAttempts: 2, maxDelaySeconds: 5, rethrowInternalServerErrors: true, rethrowHttpErrors: true };

/**
 * The webhook secret Telegram echoes in every call. When TELEGRAM_WEBHOOK_SECRET is not set, one is derived from
 * the bot token, so a public webhook is never left unauthenticated.
 */
export function webhookSecret(config: Pick<Config, 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_WEBHOOK_SECRET'>): string {
  if (config.TELEGRAM_WEBHOOK_SECRET) return config.TELEGRAM_WEBHOOK_SECRET;
  return crypto.createHash('sha256').update(`telegram-webhook:${config.TELEGRAM_BOT_TOKEN ?? ''}`).digest('base64url');
}

/** Builds the Telegram channel; the caller checks TELEGRAM_BOT_TOKEN is set. */
export function createTelegramChannel(config: Config, log: Logger, options: TelegramOptions = {}): Channel {
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new Error('TELEGRAM_BOT_TOKEN is not set');
  const bot = new Bot(token, { client: { apiRoot: config.TELEGRAM_API_ROOT, timeoutSeconds: options.timeoutSeconds ?? 30 } });
  bot.api.config.use(autoRetry({ ...defaultAutoRetry, ...options.autoRetry }));
  const secret = webhookSecret(config);
  const useWebhook = config.PUBLIC_BASE_URL !== undefined;
  const maxStoreDelay = options.pollingStoreMaxDelayMs ?? 30_000;
  let sink: InboundSink | null = null;
  let stopping = false;

  /** Webhook: a failure propagates (5xx, Telegram re-delivers). Polling: keep trying, the update is not confirmed. */
  const store = async (messages: Parameters<InboundSink>[0]): Promise<void> => {
    if (!sink) throw new Error('Telegram update arrived before the channel was connected to the inbox');
    if (useWebhook) return sink(messages);
    for (let delay = 500; ; delay = Math.min(delay * 2, maxStoreDelay)) {
      try {
        return await sink(messages);
      } catch (e) {
        if (stopping) throw e;
        log.error({ channel: 'telegram', cause: String(e), retryInMs: delay }, 'storing a polled Telegram update failed; retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };

  bot.use(async (ctx) => {
    const message = toInbound(ctx.update);
    if (message) await store([message]);
    else log.debug({ channel: 'telegram', updateId: ctx.update.update_id, kinds: Object.keys(ctx.update) }, 'Telegram update ignored');
    // Always answered, or the citizen's button keeps spinning; after storing, and without delaying the webhook.
    if (ctx.callbackQuery) {
      ctx.answerCallbackQuery().catch((e: unknown) => log.warn({ channel: 'telegram', cause: String(e) }, 'answerCallbackQuery failed'));
    }
  });
  bot.catch((err) => log.error({ channel: 'telegram', cause: String(err.error) }, 'Telegram update handling failed'));

  /** Logs why inbound could not start; a refused token also flags the channel for staff before any reply fails. */
  const reportStartFailure = async (e: unknown, what: string): Promise<void> => {
    const err = classifyTelegramError(e, 'reply');
    log.error({ channel: 'telegram', kind: err.kind, cause: err.message }, what);
    if (err.kind === 'auth' && options.onAuthFailure) {
      await options.onAuthFailure(err.options.staffMessage ?? err.message).catch((cause: unknown) =>
        log.error({ channel: 'telegram', cause: String(cause) }, 'could not record the channel as unhealthy'),
      );
    }
  };

  const checkSecret: RequestHandler = (req, res, next) => {
    const given = Buffer.from(String(req.get(SECRET_HEADER) ?? ''));
    const expected = Buffer.from(secret);
    if (given.length === expected.length && crypto.timingSafeEqual(given, expected)) return next();
    log.warn({ channel: 'telegram', ip: req.ip, hasHeader: given.length > 0 }, 'Telegram webhook refused: wrong or missing secret token');
    res.status(401).json({ error: 'wrong secret token' });
  };
  const checkShape: RequestHandler = (req, res, next) => {
    const body: unknown = req.body;
    const ok = typeof body === 'object' && body !== null && !Array.isArray(body) && Number.isSafeInteger((body as { update_id?: unknown }).update_id);
    if (ok) return next();
    log.warn({ channel: 'telegram', contentType: req.get('content-type') }, 'Telegram webhook refused: body is not an Update');
    res.status(400).json({ error: 'not a Telegram update' });
  };

  return {
    name: 'telegram',
    capabilities: telegramCapabilities,

    ...(useWebhook
      ? {
          webhook(s: InboundSink) {
            sink = s;
            const router = express.Router();
            // The secret is checked first, so nothing of a forged request is parsed; grammY checks it again.
            router.post(
              '/',
              checkSecret,
              express.json({ limit: '1mb' }),
              checkShape,
              webhookCallback(bot, 'express', { secretToken: secret, onTimeout: 'throw', timeoutMilliseconds: 9_000 }),
            );
            return router;
          },
        }
      : {}),

    async start(s: InboundSink) {
      sink = s;
      stopping = false;
      if (useWebhook) {
        const url = `${config.PUBLIC_BASE_URL}${WEBHOOK_PATH}`;
        try {
          await bot.init();
          await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES], max_connections: 20 });
          log.info({ channel: 'telegram', url, bot: bot.botInfo.username }, 'Telegram webhook registered');
        } catch (e) {
          await reportStartFailure(e, 'Telegram webhook registration failed');
        }
        return;
      }
      bot
        .start({
          allowed_updates: [...ALLOWED_UPDATES],
          onStart: (me) => log.info({ channel: 'telegram', bot: me.username }, 'Telegram long polling started'),
        })
        .catch((e: unknown) => reportStartFailure(e, 'Telegram long polling stopped'));
    },

    async stop() {
      stopping = true;
      if (!useWebhook && bot.isRunning()) await bot.stop();
    },

    async send(address, reply) {
      return { platformMessageIds: await sendReply(bot.api, address, reply) };
    },

    ...(config.TELEGRAM_CHANNEL_ID
      ? {
          async publish(post: PublishablePost) {
            return { platformPostId: await publishPost(bot.api, config.TELEGRAM_CHANNEL_ID!, post, config.PUBLIC_BASE_URL) };
          },
        }
      : {}),
  };
}

registerChannelFactory(({ config, db, log }) =>
  config.TELEGRAM_BOT_TOKEN
    ? createTelegramChannel(config, log, { onAuthFailure: (message) => markChannelUnhealthy(db, 'telegram', message, new Date()) })
    : null,
);
