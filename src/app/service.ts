/**
 * The composition root as a function: config → database → domain → channels → HTTP → ticks. `main.ts` calls it
 * with the process's config; tests and benchmarks call it to run the real service in-process.
 */
import type { Server } from 'node:http';
import cron from 'node-cron';
import '../channels/all.js';
import type { Channel } from '../channels/channel.js';
import { buildChannels, type ChannelDeps } from '../channels/registry.js';
import type { Config } from '../config.js';
import type { Outlet } from '../domain/delivery.js';
import { InboxProcessor, type InboxDeps, type Responder } from '../domain/inbox/processor.js';
import { Dispatcher, type RetryPolicy } from '../domain/ledger/dispatcher.js';
import { ensureFirstAdministrator } from '../domain/staff/users.js';
import { adminRouter } from '../http/admin/router.js';
import { provinceAdmin } from '../http/admin/province.js';
import { provinceRoutes } from '../http/admin/pages/province.js';
import { scopeToCommune } from '../db/tenant.js';
import { LoginLimiter } from '../domain/staff/login-limiter.js';
import { createApp } from '../http/app.js';
import { createLogger, type AppLogger } from '../http/logger.js';
import { createConversationService, type ConversationService } from './conversation.js';
import { prepareDatabase, type Prepared } from './prepare.js';
import { postTickDeps, syncPostLibrary } from './scheduler.js';
import { tick as postTick } from '../domain/scheduler/run.js';
import { getCommuneProfile } from '../domain/commune/profile.repo.js';
import { feedRouter } from '../http/feed.js';
import { createMetrics, metricsRouter, startMetricsServer, type Metrics } from './metrics.js';
import { BacklogWatch } from '../domain/ledger/backlog-watch.js';
import { queueStats } from '../domain/ledger/queue.repo.js';
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
   * printed once to the console (never to the log).
   */
  onFirstAdministrator?: (username: string, oneTimePassword: string) => void;
  /** Login rate limiter for the admin (tests pass one with a short window). */
  loginLimiter?: LoginLimiter;
}

export interface Service {
  config: Config;
  db: Prepared;
  log: AppLogger;
  inbox: InboxProcessor;
  conversation: ConversationService;
  dispatcher: Dispatcher;
  channels: Channel[];
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
  const db = await startStep('DATABASE_URL', 'opening and migrating the database', () => prepareDatabase(config, { migrateInChild: options.migrateInChild }));
  cleanups.push(() => db.close());
  const channelDeps: ChannelDeps = { config, db: db.db, log };
  const channels = options.channels ? options.channels(channelDeps) : buildChannels(channelDeps);
  const metrics = createMetrics(db.db);
  const outlets = new Map<string, Outlet>(channels.map((c) => [c.name, metrics.measureOutlet(c)]));
  const dispatcher = new Dispatcher({ db: db.db, outlets, log, retry: options.retry });
  const conversation = await startStep('CONTENT_DIR', 'loading the catalog and language tables', () =>
    createConversationService(db.db, config.CONTENT_DIR),
  );
  const respond: Responder = metrics.countAnswers(options.respond ?? conversation.respond);
  const inbox = new InboxProcessor({ db: db.db, respond, dispatcher, log, citizenSecret: config.CITIZEN_ID_SECRET, ...options.inbox });

  const secureCookies = config.TRUST_PROXY || (config.PUBLIC_BASE_URL?.startsWith('https://') ?? false);
  const limiter = options.loginLimiter ?? new LoginLimiter();
  // One admin per commune, each on a client scoped to its commune. The channels, inbox, dispatcher and scheduler
  // of this process serve its own commune (db.tenant); another commune's staff replies wait in its ledger until its
  // own channels are configured (per-commune channel accounts).
  const admin = provinceAdmin({
    root: db.root,
    secureCookies,
    provinceRoutes: provinceRoutes(db.root, log),
    communeAdmin: (tenant) => {
      const own = tenant.communeId === db.tenant.communeId;
      return adminRouter({
        db: own ? db.db : scopeToCommune(db.root, tenant),
        tenant,
        auth: db.root,
        dispatcher: own ? dispatcher : { dispatch: async () => {} },
        channels: own ? channels.map((c) => c.name) : [],
        log,
        secureCookies,
        limiter,
        onCatalogChanged: own ? () => conversation.reload() : undefined,
        graceMinutes: config.SCHEDULER_GRACE_MINUTES,
        queueAlertAgeSeconds: config.QUEUE_ALERT_AGE,
      });
    },
  });
  await startStep('CONTENT_DIR', 'syncing the post library', () => syncPostLibrary(config, db.db, log));
  const posting = postTickDeps(config, db.db, channels, log);
  const profile = await getCommuneProfile(db.db);
  const accept = metrics.countInbound(inbox.accept);
  const mounts = [
    ...(config.METRICS_TOKEN ? [{ path: '/', router: metricsRouter(metrics, config.METRICS_TOKEN) }] : []),
    ...channels.flatMap((c) => c.pages?.(accept) ?? []),
    { path: '/admin', router: admin },
    { path: '/', router: feedRouter({ db: db.db, baseUrl: config.PUBLIC_BASE_URL, siteName: profile?.name }) },
  ];
  const app = createApp({ channels, sink: accept, log, mounts });
  const server = bound.server;
  const url = `http://127.0.0.1:${bound.port}`;

  const metricsServer = config.METRICS_PORT !== undefined ? await startMetricsServer(metrics, config, config.METRICS_PORT) : null;
  if (metricsServer) cleanups.push(() => metricsServer.close());
  const backlog = new BacklogWatch(config.QUEUE_ALERT_AGE, log);

  let ticking: Promise<void> | null = null;
  const tick = async () => {
    if (ticking) return ticking;
    ticking = (async () => {
      try {
        await inbox.recover();
        await postTick(posting, new Date());
        backlog.check(await queueStats(db.db), new Date());
      } catch (e) {
        log.error({ cause: String(e) }, 'tick failed');
      }
    })().finally(() => (ticking = null));
    return ticking;
  };
  const firstAdmin = await startStep('DATABASE_URL', 'creating the first administrator', () =>
    ensureFirstAdministrator(db.db, config.ADMIN_USERNAME),
  );
  bound.attach(app);
  for (const c of channels) await c.start?.(accept);
  const task = options.noCron ? null : cron.schedule(config.SCHEDULER_TICK, () => void tick(), { noOverlap: true });
  void tick();
  if (firstAdmin) {
    (options.onFirstAdministrator ?? printFirstAdministrator)(firstAdmin.user.username, firstAdmin.oneTimePassword);
    log.info({ username: firstAdmin.user.username }, 'first administrator created; one-time password printed to the console');
  }

  let closed = false;
  return {
    config, db, log, inbox, conversation, dispatcher, channels, server, url, tick, metrics, metricsUrl: metricsServer?.url ?? null,
    async close() {
      if (closed) return;
      closed = true;
      await task?.stop();
      for (const c of channels) await c.stop?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await metricsServer?.close();
      server.closeAllConnections?.();
      await inbox.idle();
      if (ticking) await ticking;
      await db.close();
    },
  };
}

function printFirstAdministrator(username: string, password: string): void {
  const lines = [
    'Tài khoản quản trị đầu tiên đã được tạo / First administrator created:',
    `  Tên đăng nhập / user name: ${username}`,
    `  Mật khẩu dùng một lần / one-time password: ${password}`,
    'Mật khẩu này chỉ hiện MỘT lần; đăng nhập tại /admin và đổi mật khẩu ngay.',
    'This is shown ONCE; sign in at /admin and change it.',
  ];
  process.stdout.write(`\n${'='.repeat(72)}\n${lines.join('\n')}\n${'='.repeat(72)}\n\n`);
}
