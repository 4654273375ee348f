import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/support/db.js';
import { startPlatformMock, type PlatformMock } from '../../../test/support/platform-mock.js';
import { silentLogger } from '../../domain/logger.js';
import { ZaloTokens } from './tokens.js';

describe('ZaloTokens', () => {
  let db: TestDb;
  let oauth: PlatformMock;
  let release: () => void = () => {};

  beforeEach(async () => {
    db = await createTestDb();
    oauth = await startPlatformMock();
  });
  afterEach(async () => {
    release();
    await oauth.close();
    await db.destroy();
  });

  const tokens = (now?: () => Date, configured = { access: 'zat-initial', refresh: 'zrt-initial' }) =>
    new ZaloTokens({ db: db.db, log: silentLogger, oauthBaseUrl: oauth.url, appId: '3141592653589793', appSecret: 'secret', initialAccessToken: configured.access, initialRefreshToken: configured.refresh, timeoutMs: 2000, now });

  it('keeps the rotated pair across restarts, but adopts a new pair staff put in the configuration', async () => {
    const rotated = await tokens().refresh('zat-initial');
    // Restart with the same (now spent) configured pair: the stored, rotated pair stays.
    expect(await tokens().accessToken()).toBe(rotated);
    // Staff re-granted the app and configured a new pair: it replaces the stored one, once.
    const regranted = { access: 'zat-regranted', refresh: 'zrt-regranted' };
    expect(await tokens(undefined, regranted).accessToken()).toBe('zat-regranted');
    const row = await db.db.channelToken.findFirstOrThrow({ where: { channel: 'zalo' } });
    expect(row).toMatchObject({ accessToken: 'zat-regranted', refreshToken: 'zrt-regranted' });
    expect(row.version % 2).toBe(0);
    const again = await tokens(undefined, regranted).refresh('zat-regranted');
    expect((oauth.calls('/v4/oa/access_token').at(-1)!.body as { refresh_token: string }).refresh_token).toBe('zrt-regranted');
    expect(await tokens(undefined, regranted).accessToken()).toBe(again);
  });

  it('runs one OAuth call for concurrent refreshes in one process and across two instances', async () => {
    // The OAuth answer is held until every caller has asked, so all of them overlap the one refresh.
    const gate = new Promise<void>((r) => (release = r));
    oauth.handle(async () => {
      await gate;
      return undefined;
    });
    const instanceA = tokens();
    const instanceB = tokens();
    expect(await instanceA.accessToken()).toBe('zat-initial');
    expect(await instanceB.accessToken()).toBe('zat-initial');
    const all = [instanceA.refresh('zat-initial'), instanceA.refresh('zat-initial'), instanceB.refresh('zat-initial'), instanceB.refresh('zat-initial')];
    await new Promise((r) => setTimeout(r, 300));
    release();
    const results = await Promise.all(all);
    expect(oauth.calls('/v4/oa/access_token')).toHaveLength(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toMatch(/^zat-new-/);
    const row = await db.db.channelToken.findFirstOrThrow({ where: { channel: 'zalo' } });
    expect(row).toMatchObject({ accessToken: results[0], version: 2 });
  });

  it('refreshes before expiry, not after an API refusal', async () => {
    const first = tokens();
    await first.refresh('zat-initial');
    const row = await db.db.channelToken.findFirstOrThrow({ where: { channel: 'zalo' } });
    expect(oauth.calls('/v4/oa/access_token')).toHaveLength(1);
    // Five minutes before the stored expiry: inside the ten-minute margin.
    const later = tokens(() => new Date(row.expiresAt!.getTime() - 5 * 60_000));
    const fresh = await later.accessToken();
    expect(fresh).not.toBe(row.accessToken);
    expect(oauth.calls('/v4/oa/access_token')).toHaveLength(2);
    expect((oauth.calls('/v4/oa/access_token')[1]!.body as { refresh_token: string }).refresh_token).toBe(row.refreshToken);
  });

  it('takes over a refresh claim abandoned by a crashed instance after its lease', async () => {
    const seeded = tokens();
    await seeded.accessToken();
    // Another instance claimed (version 1) and died a minute ago without storing a pair.
    await db.db.channelToken.update({ where: { communeId_channel: { communeId: db.tenant.communeId, channel: 'zalo' } }, data: { version: 1, updatedAt: new Date(Date.now() - 60_000) } });
    const token = await tokens().refresh('zat-initial');
    expect(token).toMatch(/^zat-new-/);
    expect((await db.db.channelToken.findFirstOrThrow({ where: { channel: 'zalo' } })).version).toBe(4);
  });
});
