/** Storage of hand-recorded outreach entries. */
import type { DbTx } from '../../db/client.js';
import type { ManualChannel, ManualEntry, StoredManualEntry } from './manual.js';
import { communeIdOf } from '../../db/tenant.js';

/** Hand-recorded items summed per channel and topic over a period. */
export interface ManualSum {
  channel: string;
  topic: string | null;
  count: number;
}

const select = { id: true, date: true, channel: true, count: true, topic: true, note: true, createdBy: true, createdAt: true } as const;

function toStored(row: { id: number; date: string; channel: string; count: number; topic: string | null; note: string | null; createdBy: string; createdAt: Date }): StoredManualEntry {
  return { ...row, channel: row.channel as ManualChannel };
}

/** Stores a validated entry (see validateManualEntry). */
export async function insertManualEntry(db: DbTx, entry: ManualEntry): Promise<StoredManualEntry> {
  return toStored(await db.manualOutreach.create({ data: { ...entry, communeId: communeIdOf(db) }, select }));
}

/** Entries whose date falls in firstDay…lastDay, oldest first. */
export async function listManualEntries(db: DbTx, firstDay: string, lastDay: string): Promise<StoredManualEntry[]> {
  const rows = await db.manualOutreach.findMany({ where: { date: { gte: firstDay, lte: lastDay } }, orderBy: [{ date: 'asc' }, { id: 'asc' }], select });
  return rows.map(toStored);
}

/** Deletes one entry; returns it, or null when there was none with that id. */
export async function deleteManualEntry(db: DbTx, id: number): Promise<StoredManualEntry | null> {
  const found = await db.manualOutreach.findUnique({ where: { id }, select });
  if (!found) return null;
  const r = await db.manualOutreach.deleteMany({ where: { id } });
  return r.count === 1 ? toStored(found) : null;
}

export async function sumManualEntries(db: DbTx, firstDay: string, lastDay: string): Promise<ManualSum[]> {
  const rows = await db.manualOutreach.groupBy({
    by: ['channel', 'topic'],
    where: { date: { gte: firstDay, lte: lastDay } },
    _sum: { count: true },
  });
  return rows.map((r) => ({ channel: r.channel, topic: r.topic, count: r._sum.count ?? 0 }));
}
