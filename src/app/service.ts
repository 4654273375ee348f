/**
 * The composition root as a function: config → database → domain → channels → HTTP → ticks. `main.ts` calls it
 * with the process's config; tests and benchmarks call it to run the real service in-process.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import cron from 'node-cron';
import type { Router } from 'express';
import '../channels/all.js';
import { adoptEnvironmentAccounts, anyAccount, listChannelAccounts } from '../channels/accounts.js';
import type { Channel } from '../channels/channel.js';
import { buildSharedWebhooks, type AccountLookup, type ChannelDeps, type RoutedAccount } from '../channels/registry.js';
import type { Config } from '../config.js';
import type { InboxDeps, InboxProcessor, Responder } from '../domain/inbox/processor.js';
import type { Dispatcher, RetryPolicy } from '../domain/ledger/dispatcher.js';
import { loadLanguage } from '../domain/text/language.load.js';
import { buildCommuneRuntime, type CommuneRuntime } from './commune-runtime.js';
import { SharedCatalogs } from '../domain/conversation/knowledge.js';
import { ensureFirstAdministrator } from '../domain/staff/users.js';
import type { LiveAttention } from '../http/admin/live.js';
import { lazyRouter } from '../http/lazy-router.js';
import { scopeToCommune } from '../db/tenant.js';
import { LoginLimiter } from '../domain/staff/login-limiter.js';
import { createApp } from '../http/app.js';
import { createLogger, type AppLogger } from '../http/logger.js';
import type { ConversationService } from './conversation.js';
import { prepareDatabase, type Prepared } from './prepare.js';
import { syncPostLibrary } from './scheduler.js';
import { tick as postTick } from '../domain/scheduler/run.js';
import { getCommuneProfile } from '../domain/commune/profile.repo.js';
import { feedRouter } from '../http/feed.js';
import { applyFeedbackRetention } from '../domain/feedback/feedback.repo.js';
import { createMetrics, metricsRouter, startMetricsServer, type Metrics } from './metrics.js';
import { BacklogWatch } from '../domain/ledger/backlog-watch.js';
import { queueStats } from '../domain/ledger/queue.repo.js';
import { errorKind } from '../domain/logger.js';
import { bindPort, type BoundPort } from './listen.js';
import { startStep } from './start-error.js';

export interface ServiceOptions {
  /** Overrides the channel list (tests); default: every registered channel whose credentials are configured. */
  channels?: (deps: ChannelDeps) => Channel[];
  /** Overrides the conversation engine (channel tests that need a fixed answer). */
  respond?: Responder;
  logger?: AppLogger;
  retry?: RetryPolicy;
  /** Leases after which work left by a crashed process is taken over (tests of restarts shorten them). */
  inbox?: Pick<InboxDeps, 'processingLeaseMs' | 'sendingLeaseMs'>;
  /** Apply migrations in a child process (`npm start`): the schema engine's memory leaves with it. */
  migrateInChild?: boolean;
  /** Do not start the cron tick (tests drive `tick()` themselves). */
  noCron?: boolean;
  /**
   * Receives the first administrator's one-time password when the service starts with no staff users. Default:
   * shown on the terminal, or written to FIRST_ADMIN_PASSWORD_FILE (mode 0600) without one; never to the log.
   */
  onFirstAdministrator?: (username: string, oneTimePassword: string) => void;
  /** Login rate limiter for the admin (tests pass one with a short window). */
  loginLimiter?: LoginLimiter;
  /** How often open admin pages' live counts re-read the rows (default 2 s). */
  liveIntervalMs?: number;
}

export interface Service {
  config: Config;
  db: Prepared;
  log: AppLogger;
  inbox: InboxProcessor;
  conversation: ConversationService;
  dispatcher: Dispatcher;
  channels: Channel[];
  /** Every commune the process serves (one for a single-commune installation); the fields above are the first's. */
  communes: CommuneRuntime[];
  /** The shared catalog indexes (one per catalog, whatever the number of communes on it). */
  catalogs: SharedCatalogs;
  server: Server;
  url: string;
  metrics: Metrics;
  /** The token-free metrics listener's address (METRICS_PORT), when configured. */
  metricsUrl: string | null;
  /** One tick: recover stored inbound work, send due replies, publish due posts. */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts in an order where every likely failure comes before anything is printed or written: bind the port, then
 * the database, then the content; the first administrator's one-time password is printed last, once the service
 * is up. A failure is a StartError naming the variable to fix, and whatever was opened is closed again.
 */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const log = options.logger ?? createLogger(config);
  const bound = await bindPort(config.PORT, config.HOST);
  const cleanups: (() => Promise<void>)[] = [() => bound.close()];
  try {
    return await startOnPort(config, options, log, bound, cleanups);
  } catch (e) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    throw e;
  }
}

async function startOnPort(
  config: Config,
  options: ServiceOptions,
  log: AppLogger,
  bound: BoundPort,
  cleanups: (() => Promise<void>)[],
): Promise<Service> {
  const db = await startStep('DATABASE_URL', 'opening and migrating the database', () =>
    prepareDatabase(config, { allCommunes: true, migrateInChild: options.migrateInChild }),
  );
  cleanups.push(() => db.close());
  await startStep('MESSENGER_PAGE_ID', 'adopting the channel accounts configured in the environment', () => adoptEnvironmentAccounts(db.root, db.tenant, config));
  const accounts = await listChannelAccounts(db.root);
  const language = await startStep('CONTENT_DIR', 'loading the language tables', async () => loadLanguage(config.CONTENT_DIR));
  const metrics = createMetrics(db.db);
  // One search index per shared catalog for the whole process; each commune layers its overrides on it.
  const sharedCatalogs = new SharedCatalogs();
  const communes: CommuneRuntime[] = [];
  for (const tenant of db.tenants) {
    const scoped = tenant.communeId === db.tenant.communeId ? db.db : undefined;
    communes.push(
      await startStep('CONTENT_DIR', `loading the catalog of commune ${tenant.slug}`, () =>
        buildCommuneRuntime(config, db, tenant, accounts, log, language, metrics, options, scoped, sharedCatalogs),
      ),
    );
  }
  const home = communes.find((c) => c.tenant.communeId === db.tenant.communeId)!;
  const { channels, dispatcher, inbox, conversation } = home;

  const secureCookies = config.TRUST_PROXY !== false || (config.PUBLIC_BASE_URL?.startsWith('https://') ?? false);
  const lives: LiveAttention[] = [];
  const limiter = options.loginLimiter ?? new LoginLimiter();
  // One admin per commune, each on a client scoped to its commune. A commune this process serves (its runtime)
  // gets its own channels and dispatcher; another commune's staff replies wait in its ledger.
  // The admin is imported and built on its first request: an idle bot without staff signed in never needs it.
  const admin = lazyRouter(async () => {
    const [{ provinceAdmin }, { provinceRoutes }, { adminRouter }, { LiveAttention }] = await Promise.all([
      import('../http/admin/province.js'),
      import('../http/admin/pages/province.js'),
      import('../http/admin/router.js'),
      import('../http/admin/live.js'),
    ]);
    return provinceAdmin({
      root: db.root,
      secureCookies,
      provinceRoutes: provinceRoutes(db.root, log),
      communeAdmin: (tenant) => {
        const runtime = communes.find((c) => c.tenant.communeId === tenant.communeId);
        const scoped = runtime ? runtime.db : scopeToCommune(db.root, tenant);
        const live = new LiveAttention(scoped, log, options.liveIntervalMs);
        lives.push(live);
        return adminRouter({
          live,
          db: scoped,
          tenant,
          auth: db.root,
          dispatcher: runtime ? runtime.dispatcher : { dispatch: async () => {} },
          channels: runtime ? runtime.channels.map((c) => c.name) : [],
          log,
          secureCookies,
          limiter,
          // The catalog is shared by the communes on it: every commune on the process that uses it reloads.
          onCatalogChanged: async () => {
            for (const c of communes) if (c.tenant.catalogId === tenant.catalogId) await c.conversation.reload();
          },
          knowledge: () => (runtime ?? home).conversation.knowledge(),
          developmentSetFile: path.resolve(config.CONTENT_DIR, '..', 'test', 'eval', 'questions.jsonl'),
          graceMinutes: config.SCHEDULER_GRACE_MINUTES,
          feedbackProcessingDays: config.FEEDBACK_PROCESSING_DAYS,
          publishChannels: runtime ? runtime.posting.outlets.filter((o) => o.publish).map((o) => o.name) : [],
          queueAlertAgeSeconds: config.QUEUE_ALERT_AGE,
        });
      },
    });
  });
  for (const c of communes) await startStep('CONTENT_DIR', `syncing the post library of commune ${c.tenant.slug}`, () => syncPostLibrary(config, c.db, log));
  const profile = await getCommuneProfile(db.db);
  const mounts = [
    ...(config.METRICS_TOKEN ? [{ path: '/', router: metricsRouter(metrics, config.METRICS_TOKEN) }] : []),
    // Each commune's web chat at /c/<slug>/chat; the process's own commune also at /chat, as before.
    ...home.channels.flatMap((c) => c.pages?.(home.accept) ?? []),
    ...communes.flatMap((r) => r.channels.flatMap((c) => (c.pages?.(r.accept) ?? []).map((p) => ({ ...p, path: `/c/${r.tenant.slug}${p.path}` })))),
    { path: '/admin', router: admin },
    { path: '/', router: feedRouter({ db: db.db, baseUrl: config.PUBLIC_BASE_URL, siteName: profile?.name }) },
  ];
  const webhooks = webhookMounts(config, log, communes);
  const allChannels = [...new Set(communes.flatMap((c) => c.channels.map((ch) => ch.name)))];
  const app = createApp({ channelNames: allChannels, webhooks, log, mounts, trustProxy: config.TRUST_PROXY });
  const server = bound.server;
  const url = `http://127.0.0.1:${bound.port}`;

  const metricsServer = config.METRICS_PORT !== undefined ? await startMetricsServer(metrics, config, config.METRICS_PORT) : null;
  if (metricsServer) cleanups.push(() => metricsServer.close());
  const backlog = new BacklogWatch(config.QUEUE_ALERT_AGE, log);

  let ticking: Promise<void> | null = null;
  const tick = async () => {
    if (ticking) return ticking;
    ticking = (async () => {
      for (const c of communes) {
        try {
          await c.inbox.recover();
          await postTick(c.posting, new Date());
          const redacted = await applyFeedbackRetention(c.db, new Date(), config.FEEDBACK_RETENTION_DAYS);
          if (redacted > 0) log.info({ commune: c.tenant.slug, redacted }, 'feedback personal data removed after the retention period');
          backlog.check(await queueStats(c.db), new Date());
        } catch (e) {
          log.error({ commune: c.tenant.slug, cause: errorKind(e) }, 'tick failed');
        }
      }
    })().finally(() => (ticking = null));
    return ticking;
  };
  const firstAdmin = await startStep('DATABASE_URL', 'creating the first administrator', () =>
    ensureFirstAdministrator(db.db, config.ADMIN_USERNAME),
  );
  bound.attach(app);
  for (const r of communes) for (const c of r.channels) await c.start?.(r.accept);
  const task = options.noCron ? null : cron.schedule(config.SCHEDULER_TICK, () => void tick(), { noOverlap: true });
  void tick();
  if (firstAdmin) {
    if (options.onFirstAdministrator) options.onFirstAdministrator(firstAdmin.user.username, firstAdmin.oneTimePassword);
    else {
      const where = handOutFirstAdministrator(firstAdmin.user.username, firstAdmin.oneTimePassword, config.FIRST_ADMIN_PASSWORD_FILE);
      log.info({ username: firstAdmin.user.username, where }, `first administrator created; one-time password ${where === 'terminal' ? 'shown on the terminal' : `written to ${where} (readable by the service's user only)`}`);
    }
  }
  if (communes.length > 1) log.info({ communes: communes.length, accounts: accounts.length }, 'serving every commune of the installation');

  let closed = false;
  return {
    catalogs: sharedCatalogs,
    config, db, log, inbox, conversation, dispatcher, channels, communes, server, url, tick, metrics, metricsUrl: metricsServer?.url ?? null,
    async close() {
      if (closed) return;
      closed = true;
      await task?.stop();
      for (const r of communes) for (const c of r.channels) await c.stop?.();
      for (const live of lives) live.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await metricsServer?.close();
      server.closeAllConnections?.();
      for (const r of communes) await r.inbox.idle();
      if (ticking) await ticking;
      await db.close();
    },
  };
}

/**
 * Where every webhook is mounted: one router per platform that routes by account id (Messenger Pages, Zalo OAs),
 * and the routers a commune's channel serves itself (a Telegram bot per commune at its own path).
 */
function webhookMounts(config: Config, log: AppLogger, communes: readonly CommuneRuntime[]): { path: string; router: Router }[] {
  const byAccount = new Map<string, Map<string, RoutedAccount>>();
  const mounts: { path: string; router: Router }[] = [];
  for (const r of communes) {
    for (const channel of r.channels) {
      if (channel.accountId !== undefined) {
        const accounts = byAccount.get(channel.name) ?? new Map<string, RoutedAccount>();
        byAccount.set(channel.name, accounts);
        accounts.set(channel.accountId, { channel, sink: r.accept, communeSlug: r.tenant.slug });
      }
      if (channel.webhook) {
        const router = channel.webhook(r.accept);
        for (const path of channel.webhookPaths ?? [`/webhooks/${channel.name}`]) mounts.push({ path, router });
      }
    }
  }
  const lookupFor = (name: string): AccountLookup => {
    const accounts = byAccount.get(name) ?? new Map<string, RoutedAccount>();
    return (accountId) => accounts.get(accountId) ?? accounts.get(anyAccount) ?? null;
  };
  for (const [name, router] of buildSharedWebhooks(config, log, [...byAccount.keys()], lookupFor)) mounts.push({ path: `/webhooks/${name}`, router });
  return mounts;
}

/**
 * Hands the one-time password to the operator only: on the terminal when there is one, else in a file only the
 * service's user can read (stdout is the system journal under systemd or Docker, readable by more people).
 * Returns 'terminal' or the file's path.
 */
function handOutFirstAdministrator(username: string, password: string, file: string): string {
  const lines = [
    'Tài khoản quản trị đầu tiên đã được tạo / First administrator created:',
    `  Tên đăng nhập / user name: ${username}`,
    `  Mật khẩu dùng một lần / one-time password: ${password}`,
    'Mật khẩu này chỉ dùng được MỘT lần; đăng nhập tại /admin và đổi mật khẩu ngay.',
    'Use it ONCE: sign in at /admin and change it.',
  ];
  if (process.stdout.isTTY) {
    process.stdout.write(`\n${'='.repeat(72)}\n${lines.join('\n')}\n${'='.repeat(72)}\n\n`);
    return 'terminal';
  }
  const full = path.resolve(file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.rmSync(full, { force: true });
  fs.writeFileSync(full, `${lines.join('\n')}\n`, { mode: 0o600, flag: 'wx' });
  return full;
}
