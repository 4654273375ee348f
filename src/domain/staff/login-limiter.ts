/**
 * Slows password guessing without handing strangers a way to lock staff out.
 *
 * - Every attempt is written to the database BEFORE the (slow) password check and the limits are read after that
 *   write, so 100 simultaneous tries are counted as 100: at most the limit of them reach the check, on any number of
 *   instances sharing the database.
 * - Limits: tries per user name AND address together (5 per 15 minutes), and per address over all names (20 per
 *   15 minutes). A stranger's wrong passwords from elsewhere never refuse the right password from the user's own
 *   address.
 * - Per user name over all addresses there is no lockout, only a slowing delay on each wrong answer, growing with
 *   the name's recent failures (capped), so guessing from many addresses gets slow.
 * - `npm run users -- unlock <name>` forgives a name's counted tries; a successful sign-in forgives its address's.
 */
import type { Db } from '../../db/client.js';
import {
  countOpenAttempts,
  countRecentFailures,
  forgiveLoginAttempts,
  pruneLoginAttempts,
  recordLoginAttempt,
  settleLoginAttempt,
} from './login-attempts.repo.js';

export interface LimiterPolicy {
  windowMs: number;
  /** Tries per user name and address together in the window. */
  maxPerUser: number;
  /** Tries per address over all user names in the window. */
  maxPerIp: number;
  /** The slowing delay starts after this many recent failures of a name (any address)… */
  slowAfterFailures?: number;
  /** …at this many milliseconds, doubling with each further failure… */
  slowBaseMs?: number;
  /** …up to this. */
  slowMaxMs?: number;
}

export const defaultLimiterPolicy: LimiterPolicy = { windowMs: 15 * 60_000, maxPerUser: 5, maxPerIp: 20, slowAfterFailures: 3, slowBaseMs: 500, slowMaxMs: 8_000 };

export type AttemptDecision = { allowed: true; attemptId: number } | { allowed: false; retryAfterMs: number };

export class LoginLimiter {
  private readonly policy: Required<LimiterPolicy>;

  constructor(
    policy: LimiterPolicy = defaultLimiterPolicy,
    private readonly now: () => number = Date.now,
  ) {
    this.policy = { ...(defaultLimiterPolicy as Required<LimiterPolicy>), ...policy };
  }

  /** Counts the attempt, then decides whether its password may be checked. */
  async begin(db: Db, address: string, username: string): Promise<AttemptDecision> {
    const t = this.now();
    const since = new Date(t - this.policy.windowMs);
    const attemptId = await recordLoginAttempt(db, username, address, new Date(t));
    const [pair, all] = [await countOpenAttempts(db, address, since, username), await countOpenAttempts(db, address, since)];
    const over = [pair.count > this.policy.maxPerUser ? pair.oldest : null, all.count > this.policy.maxPerIp ? all.oldest : null].filter((d): d is Date => d !== null);
    if (over.length === 0) return { allowed: true, attemptId };
    await settleLoginAttempt(db, attemptId, 'refused');
    const retryAfterMs = Math.max(1_000, ...over.map((oldest) => oldest.getTime() + this.policy.windowMs - t));
    return { allowed: false, retryAfterMs };
  }

  /** A wrong password: recorded; resolves after the slowing delay the name has earned. */
  async failed(db: Db, attemptId: number, username: string, sleep: (ms: number) => Promise<void> = delay): Promise<void> {
    await settleLoginAttempt(db, attemptId, 'failed');
    const failures = await countRecentFailures(db, username, new Date(this.now() - this.policy.windowMs));
    const ms = this.slowdownMs(failures);
    if (ms > 0) await sleep(ms);
  }

  /** The right password: this address's tries for the name are forgiven; old rows are pruned. */
  async succeeded(db: Db, attemptId: number, address: string, username: string): Promise<void> {
    await settleLoginAttempt(db, attemptId, 'succeeded');
    await forgiveLoginAttempts(db, username, address);
    await pruneLoginAttempts(db, new Date(this.now() - 2 * this.policy.windowMs));
  }

  /** The slowing delay after `failures` recent wrong passwords of one name. */
  slowdownMs(failures: number): number {
    const { slowAfterFailures, slowBaseMs, slowMaxMs } = this.policy;
    if (failures < slowAfterFailures) return 0;
    return Math.min(slowMaxMs, slowBaseMs * 2 ** (failures - slowAfterFailures));
  }
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
