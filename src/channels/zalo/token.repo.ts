/**
 * Zalo's token pair in the ChannelToken table. `version` is a compare-and-set guard and a lease flag: even = idle,
 * odd = an instance is refreshing (claimed at `updatedAt`). The single-use refresh token is only ever spent by the
 * instance that moved the version from even to odd.
 */
import type { Db } from '../../db/client.js';
import { communeIdOf } from '../../db/tenant.js';

export interface StoredToken {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  version: number;
  updatedAt: Date;
}

const select = { accessToken: true, refreshToken: true, expiresAt: true, version: true, updatedAt: true } as const;

export async function readToken(db: Db, channel: string): Promise<StoredToken | null> {
  return db.channelToken.findUnique({ where: { communeId_channel: { communeId: communeIdOf(db), channel } }, select });
}

/** Seeds the pair from configuration the first time; keeps an existing (newer) pair. */
export async function seedToken(db: Db, channel: string, accessToken: string, refreshToken: string | null): Promise<StoredToken> {
  try {
    const communeId = communeIdOf(db);
    return await db.channelToken.upsert({
      where: { communeId_channel: { communeId, channel } },
      create: { communeId, channel, accessToken, refreshToken },
      update: {},
      select,
    });
  } catch (e) {
    if ((e as { code?: string }).code !== 'P2002') throw e;
    return (await readToken(db, channel))!;
  }
}

/** Moves version `from` to `to` (claim or release); false when another instance changed the row first. */
export async function compareAndSetVersion(db: Db, channel: string, from: number, to: number, at: Date): Promise<boolean> {
  const r = await db.channelToken.updateMany({ where: { channel, version: from }, data: { version: to, updatedAt: at } });
  return r.count === 1;
}

/** Stores a new pair atomically, only if this instance still holds the claim at version `claimed`. */
export async function storeRefreshedToken(
  db: Db,
  channel: string,
  claimed: number,
  pair: { accessToken: string; refreshToken: string | null; expiresAt: Date | null },
  at: Date,
): Promise<boolean> {
  const r = await db.channelToken.updateMany({
    where: { channel, version: claimed },
    data: { ...pair, version: claimed + 1, updatedAt: at },
  });
  return r.count === 1;
}

/**
 * The environment's pair seeds the store once; after that the stored (rotated) pair wins. When staff re-grant the
 * app and put a NEW pair in the environment, it must win once: the last configured access token is remembered in
 * the row `<channel>:configured`, and a configured token not seen before replaces the stored pair (version moves by
 * 2, so an idle row stays idle).
 */
export async function adoptConfiguredToken(db: Db, channel: string, accessToken: string, refreshToken: string | null, at: Date): Promise<boolean> {
  const marker = `${channel}:configured`;
  const communeId = communeIdOf(db);
  const seen = await db.channelToken.findUnique({ where: { communeId_channel: { communeId, channel: marker } }, select: { accessToken: true } });
  if (seen?.accessToken === accessToken) return false;
  const current = await readToken(db, channel);
  await db.$transaction(async (tx) => {
    await tx.channelToken.upsert({
      where: { communeId_channel: { communeId, channel: marker } },
      create: { communeId, channel: marker, accessToken },
      update: { accessToken },
    });
    // No marker yet: this is the first start (or a store from before markers), and the stored pair stays.
    if (!seen || !current || current.accessToken === accessToken) return;
    await tx.channelToken.update({
      where: { communeId_channel: { communeId, channel } },
      data: { accessToken, refreshToken, expiresAt: null, version: current.version + (current.version % 2 === 0 ? 2 : 1), updatedAt: at },
    });
  });
  return seen !== null && current !== null && current.accessToken !== accessToken;
}
