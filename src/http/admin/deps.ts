import type { Db } from '../../db/client.js';
import type { Knowledge } from '../../domain/conversation/engine.js';
import type { Dispatcher } from '../../domain/ledger/dispatcher.js';
import type { Logger } from '../../domain/logger.js';
import type { LoginLimiter } from '../../domain/staff/login-limiter.js';
import type { LiveAttention } from './live.js';

/** What the admin pages need from the running service. */
export interface AdminDeps {
  db: Db;
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
  /** How late a queued post may still go out (SCHEDULER_GRACE_MINUTES). */
  graceMinutes?: number;
  /** The live counts stream (GET /admin/live); without it pages update on reload only. */
  live?: LiveAttention;
  /** What the bot knows now, for previews of a catalog change (attaching a question). */
  knowledge?: () => Knowledge;
  /** The development question set (test/eval/questions.jsonl) the attach preview checks. */
  developmentSetFile?: string;
  /** Seconds a channel's oldest unsent reply may wait before the Kênh page warns (QUEUE_ALERT_AGE). */
  queueAlertAgeSeconds?: number;
}
