/**
 * How much work waits, per channel: outbound ledger rows not yet sent (pending, including retries in backoff) and
 * inbound messages stored but not yet answered. Read by the metrics scrape, the backlog watch and the Kênh page.
 */
import type { Db } from '../../db/client.js';

export interface QueueStat {
  direction: 'outbound' | 'inbound';
  channel: string;
  depth: number;
  /** When the oldest waiting row was written (null when none waits). */
  oldestAt: Date | null;
}

/** One grouped query per direction; channels with nothing waiting are absent. */
export async function queueStats(db: Db): Promise<QueueStat[]> {
  const [outbound, inbound] = await Promise.all([
    db.outboundMessage.groupBy({ by: ['channel'], where: { status: 'pending' }, _count: { _all: true }, _min: { createdAt: true } }),
    db.inboundMessage.groupBy({ by: ['channel'], where: { status: { in: ['received', 'processing'] } }, _count: { _all: true }, _min: { receivedAt: true } }),
  ]);
  return [
    ...outbound.map((g) => ({ direction: 'outbound' as const, channel: g.channel, depth: g._count._all, oldestAt: g._min.createdAt })),
    ...inbound.map((g) => ({ direction: 'inbound' as const, channel: g.channel, depth: g._count._all, oldestAt: g._min.receivedAt })),
  ];
}

/** Seconds the oldest row has waited at `now` (0 when nothing waits). */
export function waitedSeconds(stat: Pick<QueueStat, 'oldestAt'>, now: Date): number {
  return stat.oldestAt ? Math.max(0, (now.getTime() - stat.oldestAt.getTime()) / 1000) : 0;
}
