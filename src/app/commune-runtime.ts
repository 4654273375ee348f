/**
 * What one commune needs in a process that serves several: its commune-scoped database client, its channels (built
 * from its own accounts), its outbox dispatcher, its inbox and its conversation engine, and the post scheduler's
 * dependencies. Every commune's runtime is the same code a single-commune installation runs; the shared webhooks
 * hand each event to the runtime of the commune whose account received it.
 */
import type { ChannelAccountRow } from '../channels/accounts.js';
import type { Channel } from '../channels/channel.js';
import { buildChannels, loadChannelAdapters, type ChannelDeps } from '../channels/registry.js';
import type { Config } from '../config.js';
import type { Db, DbHandle } from '../db/client.js';
import { scopeToCommune, type Tenant } from '../db/tenant.js';
import type { Outlet } from '../domain/delivery.js';
import { InboxProcessor, type InboundSink, type InboxDeps, type Responder } from '../domain/inbox/processor.js';
import { Dispatcher, type RetryPolicy } from '../domain/ledger/dispatcher.js';
import type { Logger } from '../domain/logger.js';
import type { TickDeps } from '../domain/scheduler/run.js';
import type { Language } from '../domain/text/language.js';
import { createConversationService, type ConversationService } from './conversation.js';
import type { SharedCatalogs } from '../domain/conversation/knowledge.js';
import type { Metrics } from './metrics.js';
import { postTickDeps } from './scheduler.js';

export interface CommuneRuntime {
  tenant: Tenant;
  db: Db;
  channels: Channel[];
  dispatcher: Dispatcher;
  inbox: InboxProcessor;
  /** The inbox's sink, counted by the process's metrics: what webhooks and pages deliver into. */
  accept: InboundSink;
  conversation: ConversationService;
  posting: TickDeps;
}

export interface RuntimeOptions {
  channels?: (deps: ChannelDeps) => Channel[];
  respond?: Responder;
  retry?: RetryPolicy;
  inbox?: Pick<InboxDeps, 'processingLeaseMs' | 'sendingLeaseMs'>;
}

export async function buildCommuneRuntime(
  config: Config,
  handle: Pick<DbHandle, 'db'> & { root: Db },
  tenant: Tenant,
  accounts: readonly ChannelAccountRow[],
  log: Logger,
  language: Language,
  metrics: Metrics,
  options: RuntimeOptions,
  scoped?: Db,
  shared?: SharedCatalogs,
): Promise<CommuneRuntime> {
  const db = scoped ?? scopeToCommune(handle.root, tenant);
  const channelDeps: ChannelDeps = { config, db, log, tenant, accounts: accounts.filter((a) => a.communeId === tenant.communeId && a.active) };
  await loadChannelAdapters(channelDeps);
  const channels = options.channels ? options.channels(channelDeps) : buildChannels(channelDeps);
  const outlets = new Map<string, Outlet>(channels.map((c) => [c.name, metrics.measureOutlet(c)]));
  const dispatcher = new Dispatcher({ db, outlets, log, retry: options.retry });
  const conversation = await createConversationService(db, config.CONTENT_DIR, { feedbackProcessingDays: config.FEEDBACK_PROCESSING_DAYS, language, shared });
  const respond: Responder = metrics.countAnswers(options.respond ?? conversation.converse);
  // Staff alerts go to the STAFF_TELEGRAM_CHAT_ID group through the commune's own Telegram bot, when it has one.
  const staffAlert = config.STAFF_TELEGRAM_CHAT_ID ? { channel: 'telegram', address: config.STAFF_TELEGRAM_CHAT_ID, adminBaseUrl: config.PUBLIC_BASE_URL ?? null } : undefined;
  const inbox = new InboxProcessor({ db, respond, dispatcher, log, citizenSecret: config.CITIZEN_ID_SECRET, staffAlert, ...options.inbox });
  const posting = postTickDeps(config, db, channels, log);
  return { tenant, db, channels, dispatcher, inbox, accept: metrics.countInbound(inbox.accept), conversation, posting };
}
