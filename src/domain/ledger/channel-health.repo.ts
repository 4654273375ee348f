import type { Db } from '../../db/client.js';

/** Marks a channel unhealthy after an auth failure, so staff see it and its sends are held. */
export async function markChannelUnhealthy(db: Db, channel: string, error: string, at: Date): Promise<void> {
  await db.channelState.upsert({
    where: { channel },
    create: { channel, healthy: false, lastError: error.slice(0, 1000), lastErrorAt: at },
    update: { healthy: false, lastError: error.slice(0, 1000), lastErrorAt: at },
  });
}

/** Marks a channel healthy again (staff fixed the token, or a send succeeded). */
export async function markChannelHealthy(db: Db, channel: string): Promise<void> {
  await db.channelState.upsert({ where: { channel }, create: { channel, healthy: true }, update: { healthy: true } });
}

export async function unhealthyChannels(db: Db): Promise<Set<string>> {
  const rows = await db.channelState.findMany({ where: { healthy: false }, select: { channel: true } });
  return new Set(rows.map((r) => r.channel));
}
