import type { Db } from '../../db/client.js';
import { communeIdOf } from '../../db/tenant.js';

/** Marks a channel unhealthy after an auth failure, so staff see it and its sends are held. */
export async function markChannelUnhealthy(db: Db, channel: string, error: string, at: Date): Promise<void> {
  const communeId = communeIdOf(db);
  await db.channelState.upsert({
    where: { communeId_channel: { communeId, channel } },
    create: { communeId, channel, healthy: false, lastError: error.slice(0, 1000), lastErrorAt: at },
    update: { healthy: false, lastError: error.slice(0, 1000), lastErrorAt: at },
  });
}

/** Marks a channel healthy again (staff fixed the token, or a send succeeded). */
export async function markChannelHealthy(db: Db, channel: string): Promise<void> {
  const communeId = communeIdOf(db);
  await db.channelState.upsert({ where: { communeId_channel: { communeId, channel } }, create: { communeId, channel, healthy: true }, update: { healthy: true } });
}

export async function unhealthyChannels(db: Db): Promise<Set<string>> {
  const rows = await db.channelState.findMany({ where: { healthy: false }, select: { channel: true } });
  return new Set(rows.map((r) => r.channel));
}
