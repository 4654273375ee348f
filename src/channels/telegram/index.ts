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
import type { UserFromGetMe } from 'grammy/types';
import type { Config } from '../../config.js';
import type { PublishablePost } from '../../domain/delivery.js';
import type { InboundSink } from '../../domain/inbox/processor.js';
import { errorKind, type Logger } from '../../domain/logger.js';
import type { Channel } from '../channel.js';
import { markChannelUnhealthy } from '../../domain/ledger/channel-health.repo.js';
import { environmentAccounts, settingsOf, type TelegramSettings } from '../accounts.js';
import type { ChannelFactory } from '../registry.js';
import { telegramAccountRow } from './account.js';
import { toInbound, updateProblem } from './inbound.js';
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
  /** First pause before registering the webhook again after a network failure (doubles up to 5 minutes). */
  registrationRetryMs?: number;
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

/** The webhook path of a commune's bot: `/webhooks/telegram/<bot id>` (each bot has its own secret). */
export function botWebhookPath(botId: string): string {
  return `${WEBHOOK_PATH}/${botId}`;
}

/**
 * Builds a commune's Telegram channel from its bot account; without `account`, from TELEGRAM_BOT_TOKEN (the caller
 * checks it is set). The environment's bot is served at /webhooks/telegram as before, every bot at its own path.
 */
export function createTelegramChannel(config: Config, log: Logger, options: TelegramOptions = {}, account?: TelegramAccount): Channel {
  const bot0 = account ?? telegramAccountFromEnvironment(config);
  const token = bot0.settings.botToken;
  const useWebhook = config.PUBLIC_BASE_URL !== undefined;
  const ownPath = botWebhookPath(bot0.externalId);
  const registeredPath = bot0.settings.legacyPath ? WEBHOOK_PATH : ownPath;
  const channelId = bot0.settings.channelId;
  // With a webhook, updates are stored without waiting for getMe (grammY would otherwise block every webhook call
  // until Telegram answers it), so an outbound network problem never stops inbound. The real profile replaces this
  // placeholder once getMe answers; nothing here depends on it.
  const bot = new Bot(token, {
    client: { apiRoot: config.TELEGRAM_API_ROOT, timeoutSeconds: options.timeoutSeconds ?? 30 },
    ...(useWebhook ? { botInfo: placeholderBotInfo(token) } : {}),
  });
  bot.api.config.use(autoRetry({ ...defaultAutoRetry, ...options.autoRetry }));
  const secret = webhookSecret({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: bot0.settings.webhookSecret });
  const maxStoreDelay = options.pollingStoreMaxDelayMs ?? 30_000;
  let sink: InboundSink | null = null;
  let stopping = false;

  /** Webhook: a failure propagates (5xx, Telegram re-delivers). Polling: keep trying, the update is not confirmed. */
  const store = async (...args: Parameters<InboundSink>): Promise<void> => {
    if (!sink) throw new Error('Telegram update arrived before the channel was connected to the inbox');
    if (useWebhook) return sink(...args);
    for (let delay = 500; ; delay = Math.min(delay * 2, maxStoreDelay)) {
      try {
        return await sink(...args);
      } catch (e) {
        if (stopping) throw e;
        log.error({ channel: 'telegram', cause: errorKind(e), retryInMs: delay }, 'storing a polled Telegram update failed; retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };

  bot.use(async (ctx) => {
    const problem = updateProblem(ctx.update);
    if (problem) {
      // Kept as a rejected event, and Telegram is answered 200: it would re-deliver a 5xx over and over.
      await store([], [{ channel: 'telegram', reason: problem, event: ctx.update }]);
      return;
    }
    const message = toInbound(ctx.update);
    if (message) await store([message]);
    else log.debug({ channel: 'telegram', updateId: ctx.update.update_id, kinds: Object.keys(ctx.update) }, 'Telegram update ignored');
    // Always answered, or the citizen's button keeps spinning; after storing, and without delaying the webhook.
    if (ctx.callbackQuery) {
      ctx.answerCallbackQuery().catch((e: unknown) => log.warn({ channel: 'telegram', cause: String(e) }, 'answerCallbackQuery failed'));
    }
  });
  bot.catch((err) => log.error({ channel: 'telegram', cause: errorKind(err.error) }, 'Telegram update handling failed'));

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

  let registration: Promise<void> = Promise.resolve();
  let wakeRegistration: (() => void) | null = null;
  /**
   * Registers the webhook in the background, so a slow or unreachable Telegram never delays the service's start.
   * A failure on the way (network, 5xx, 429) is tried again with growing pauses until it works or the channel stops;
   * a refused token or URL is reported once and left for staff to fix.
   */
  const registerWebhook = async (): Promise<void> => {
    const url = `${config.PUBLIC_BASE_URL}${registeredPath}`;
    for (let delay = options.registrationRetryMs ?? 5_000; !stopping; delay = Math.min(delay * 2, 5 * 60_000)) {
      try {
        await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES], max_connections: 20 });
        const me = await bot.api.getMe().catch(() => null);
        if (me) bot.botInfo = me;
        log.info({ channel: 'telegram', url, bot: me?.username }, 'Telegram webhook registered');
        return;
      } catch (e) {
        const kind = classifyTelegramError(e, 'reply').kind;
        await reportStartFailure(e, 'Telegram webhook registration failed');
        if (kind !== 'retry' && kind !== 'unknown') return;
      }
      await new Promise<void>((resume) => {
        const timer = setTimeout(resume, delay);
        wakeRegistration = () => {
          clearTimeout(timer);
          resume();
        };
      });
      wakeRegistration = null;
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
    accountId: bot0.externalId,
    capabilities: telegramCapabilities,
    webhookPaths: bot0.settings.legacyPath ? [WEBHOOK_PATH, ownPath] : [ownPath],

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
        registration = registerWebhook();
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
      wakeRegistration?.();
      await registration;
      if (!useWebhook && bot.isRunning()) await bot.stop();
    },

    async send(address, reply) {
      return { platformMessageIds: await sendReply(bot.api, address, reply) };
    },

    ...(channelId
      ? {
          async publish(post: PublishablePost) {
            return { platformPostId: await publishPost(bot.api, channelId, post, config.PUBLIC_BASE_URL) };
          },
        }
      : {}),
  };
}

/**
 * Stands in for getMe's answer until Telegram gives it: the id is the token's numeric prefix; the rest is never read.
 */
function placeholderBotInfo(token: string): UserFromGetMe {
  return {
    id: Number(token.split(':')[0]) || 0,
    is_bot: true,
    first_name: 'bot',
    username: 'bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

/** A bot account: its id (the token's numeric prefix) and settings. */
export interface TelegramAccount {
  externalId: string;
  settings: TelegramSettings;
}

function telegramAccountFromEnvironment(config: Config): TelegramAccount {
  const found = environmentAccounts(config).find((a) => a.channel === 'telegram');
  if (!found) throw new Error('TELEGRAM_BOT_TOKEN is not set');
  return { externalId: found.externalId, settings: settingsOf('telegram', found) };
}

/** The registered factory (see `register.ts`, which imports this module only when a Telegram account exists). */
export const telegramFactory: ChannelFactory = (deps) => {
  const { config, db, log } = deps;
  const row = telegramAccountRow(deps);
  if (!row) return null;
  const account = { externalId: row.externalId, settings: settingsOf('telegram', row) };
  return createTelegramChannel(config, log, { onAuthFailure: (message) => markChannelUnhealthy(db, 'telegram', message, new Date()) }, account);
};
