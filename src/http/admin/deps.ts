import type { Db } from '../../db/client.js';
import type { Knowledge } from '../../domain/conversation/engine.js';
import type { Tenant } from '../../db/tenant.js';
import type { Dispatcher } from '../../domain/ledger/dispatcher.js';
import type { Logger } from '../../domain/logger.js';
import type { LoginLimiter } from '../../domain/staff/login-limiter.js';
import type { LiveAttention } from './live.js';

/** What the admin pages need from the running service. */
export interface AdminDeps {
  /** The commune's scoped client: every page reads and writes through it. */
  db: Db;
  /** The commune this admin serves; its staff (and province users) only may use it. */
  tenant?: Tenant;
  /** The unscoped client for sign-in, sessions and one's own password (users are looked up by name). */
  auth?: Db;
  /** Communes a province user may switch to (shown in the header); only the current one for commune staff. */
  communes?: () => Promise<readonly { slug: string; name: string }[]>;
  /** Sends the ledger rows staff replies and test sends create. */
  dispatcher: Pick<Dispatcher, 'dispatch'>;
  /** Names of the configured (enabled) channels. */
  channels: readonly string[];
  log: Logger;
  /** Secure cookies: PUBLIC_BASE_URL is https or TRUST_PROXY is set. */
  secureCookies: boolean;
  limiter?: LoginLimiter;
  /** Called after staff change the catalog (procedures, aliases, hotlines) so the bot answers with the new data. */
  onCatalogChanged?: () => Promise<void>;
  /** Channels posts can be published to here (configured outlets with publishing); queueing elsewhere is refused. */
  publishChannels?: readonly string[];
  /** How late a queued post may still go out (SCHEDULER_GRACE_MINUTES). */
  graceMinutes?: number;
  /** FEEDBACK_PROCESSING_DAYS, shown on the feedback page. */
  feedbackProcessingDays?: number;
  /** The live counts stream (GET /admin/live); without it pages update on reload only. */
  live?: LiveAttention;
  /** What the bot knows now, for previews of a catalog change (attaching a question). */
  knowledge?: () => Knowledge;
  /** The development question set (test/eval/questions.jsonl) the attach preview checks. */
  developmentSetFile?: string;
  /** Seconds a channel's oldest unsent reply may wait before the Kênh page warns (QUEUE_ALERT_AGE). */
  queueAlertAgeSeconds?: number;
}
