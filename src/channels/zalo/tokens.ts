/**
 * The Zalo OA access token: read from the ChannelToken table (seeded from configuration), refreshed before it
 * expires or when the API says it is invalid. The refresh token is single-use, so at most one refresh runs at a
 * time: one promise in this process, and a compare-and-set claim on the row's version across instances.
 */
import type { Db } from '../../db/client.js';
import { DeliveryError } from '../../domain/delivery.js';
import type { Logger } from '../../domain/logger.js';
import { requestJson, TransportError } from '../shared/http-json.js';
import { adoptConfiguredToken, compareAndSetVersion, readToken, seedToken, storeRefreshedToken, type StoredToken } from './token.repo.js';

const CHANNEL = 'zalo';

export interface ZaloTokenOptions {
  db: Db;
  log: Logger;
  oauthBaseUrl: string;
  appId: string;
  appSecret: string | undefined;
  initialAccessToken: string;
  initialRefreshToken: string | undefined;
  timeoutMs: number;
  /** Refresh this long before the access token expires. */
  refreshMarginMs?: number;
  /** A claim older than this is assumed abandoned by a crashed instance. */
  claimLeaseMs?: number;
  now?: () => Date;
}

export class ZaloTokens {
  private current: StoredToken | null = null;
  private refreshing: Promise<string> | null = null;
  private adopted = false;
  private readonly now: () => Date;

  constructor(private readonly o: ZaloTokenOptions) {
    this.now = o.now ?? (() => new Date());
  }

  /** A usable access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    const token = this.current ?? (await this.load());
    const margin = this.o.refreshMarginMs ?? 10 * 60_000;
    if (token.expiresAt && token.expiresAt.getTime() - margin <= this.now().getTime() && token.refreshToken) {
      return this.refresh(token.accessToken);
    }
    return token.accessToken;
  }

  /**
   * Refreshes the pair because `rejected` was refused (or is expiring). Concurrent callers share one refresh;
   * if another instance already replaced the token, its new token is used without calling OAuth.
   */
  refresh(rejected: string): Promise<string> {
    if (!this.refreshing) {
      this.refreshing = this.refreshOnce(rejected).finally(() => (this.refreshing = null));
    }
    return this.refreshing;
  }

  private async load(): Promise<StoredToken> {
    if (!this.adopted) {
      await adoptConfiguredToken(this.o.db, CHANNEL, this.o.initialAccessToken, this.o.initialRefreshToken ?? null, this.now());
      this.adopted = true;
    }
    const row = (await readToken(this.o.db, CHANNEL)) ?? (await seedToken(this.o.db, CHANNEL, this.o.initialAccessToken, this.o.initialRefreshToken ?? null));
    this.current = row;
    return row;
  }

  private async refreshOnce(rejected: string): Promise<string> {
    const { db, log } = this.o;
    const lease = this.o.claimLeaseMs ?? 30_000;
    for (let wait = 0; wait < 200; wait++) {
      const row = await this.load();
      if (row.accessToken !== rejected && (row.expiresAt === null || row.expiresAt > this.now())) return row.accessToken;
      const claimedElsewhere = row.version % 2 === 1 && this.now().getTime() - row.updatedAt.getTime() < lease;
      if (claimedElsewhere) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (!row.refreshToken) throw authError('no refresh token is stored');
      const claimed = row.version % 2 === 0 ? row.version + 1 : row.version + 2;
      if (!(await compareAndSetVersion(db, CHANNEL, row.version, claimed, this.now()))) continue;
      let pair: { accessToken: string; refreshToken: string; expiresAt: Date };
      try {
        pair = await this.callOAuth(row.refreshToken);
      } catch (e) {
        // Release the claim with the old pair kept, so staff can fix it or a later try can run.
        await compareAndSetVersion(db, CHANNEL, claimed, claimed + 1, this.now());
        throw e;
      }
      if (!(await storeRefreshedToken(db, CHANNEL, claimed, pair, this.now()))) {
        log.error({ channel: CHANNEL }, 'zalo token refreshed but the claim was lost; the new pair could not be stored');
        throw authError('the refreshed token could not be stored (claim lost)');
      }
      log.info({ channel: CHANNEL, expiresAt: pair.expiresAt.toISOString() }, 'zalo access token refreshed');
      return (await this.load()).accessToken;
    }
    throw new DeliveryError('retry', 'another instance is still refreshing the Zalo token');
  }

  private async callOAuth(refreshToken: string): Promise<{ accessToken: string; refreshToken: string; expiresAt: Date }> {
    if (!this.o.appSecret) throw authError('ZALO_APP_SECRET is not set, so the token cannot be refreshed');
    let res;
    try {
      res = await requestJson({
        method: 'POST',
        url: `${this.o.oauthBaseUrl}/v4/oa/access_token`,
        headers: { secret_key: this.o.appSecret },
        form: { refresh_token: refreshToken, app_id: this.o.appId, grant_type: 'refresh_token' },
        timeoutMs: this.o.timeoutMs,
      });
    } catch (e) {
      const written = e instanceof TransportError && e.written;
      // After a written request the single-use refresh token may already be spent: only staff can re-grant then.
      throw written ? authError(`token refresh outcome unknown (${(e as Error).message}); the refresh token may be spent`) : new DeliveryError('retry', `token refresh: ${(e as Error).message}`);
    }
    const body = (res.body ?? {}) as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown; message?: unknown };
    if (res.status >= 500) throw new DeliveryError('retry', `token refresh: HTTP ${res.status}`);
    if (typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string') {
      throw authError(`token refresh refused: ${String(body.error ?? res.status)} ${String(body.error_description ?? body.message ?? '')}`.trim());
    }
    const seconds = Number(body.expires_in ?? 90_000);
    const expiresAt = new Date(this.now().getTime() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 90_000) * 1000);
    return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt };
  }
}

function authError(message: string): DeliveryError {
  return new DeliveryError('auth', `Zalo: ${message}`, {
    staffMessage: `Mã truy cập Zalo OA không làm mới được (${message}). Vui lòng cấp quyền lại cho ứng dụng Zalo: mã làm mới đã hết hạn hoặc đã được dùng.`,
  });
}
