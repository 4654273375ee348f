/** Hotline rows in the database. */
import type { Db, DbTx } from '../../db/client.js';
import type { Hotline } from '../procedures/procedure.js';
import type { HotlineRow } from './hotline.schema.js';
import { communeIdOf } from '../../db/tenant.js';

type HotlineRecord = Awaited<ReturnType<Db['hotline']['findFirstOrThrow']>>;

function toHotline(r: HotlineRecord): Hotline {
  return { key: r.key, name: r.name, number: r.number, purpose: r.purpose, hours: r.hours, isExample: r.isExample, sortOrder: r.sortOrder };
}

/** The directory in display order. */
export async function listHotlines(db: DbTx): Promise<Hotline[]> {
  return (await db.hotline.findMany({ orderBy: [{ sortOrder: 'asc' }, { key: 'asc' }] })).map(toHotline);
}

export async function getHotline(db: DbTx, key: string): Promise<Hotline | null> {
  const r = await db.hotline.findUnique({ where: { communeId_key: { communeId: communeIdOf(db), key } } });
  return r ? toHotline(r) : null;
}

export async function countHotlines(db: DbTx): Promise<number> {
  return db.hotline.count();
}

export async function existingHotlineKeys(db: DbTx, keys: readonly string[]): Promise<Set<string>> {
  const rows = await db.hotline.findMany({ where: { key: { in: [...keys] } }, select: { key: true } });
  return new Set(rows.map((r) => r.key));
}

/**
 * Creates or updates rows inside the caller's transaction. A new hotline without a sort order is placed in file
 * order (10, 20, …); absent columns keep an existing hotline's values.
 */
export async function upsertHotlinesIn(tx: DbTx, rows: readonly HotlineRow[]): Promise<{ created: number; updated: number }> {
  const existing = await existingHotlineKeys(
    tx,
    rows.map((r) => r.key),
  );
  const communeId = communeIdOf(tx);
  let created = 0;
  let updated = 0;
  for (const [index, row] of rows.entries()) {
    const { key, ...rest } = row;
    if (existing.has(key)) {
      const data = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
      await tx.hotline.update({ where: { communeId_key: { communeId, key } }, data });
      updated++;
    } else {
      await tx.hotline.create({
        data: {
          communeId,
          key,
          name: row.name,
          number: row.number,
          purpose: row.purpose,
          hours: row.hours ?? null,
          isExample: row.isExample ?? false,
          sortOrder: row.sortOrder ?? (index + 1) * 10,
        },
      });
      created++;
    }
  }
  return { created, updated };
}

/** Creates or updates many hotlines in one transaction. */
export async function upsertHotlines(db: Db, rows: readonly HotlineRow[]): Promise<{ created: number; updated: number }> {
  return db.$transaction((tx) => upsertHotlinesIn(tx, rows));
}

/** Removes one hotline; false when the key does not exist. */
export async function deleteHotline(db: DbTx, key: string): Promise<boolean> {
  return (await db.hotline.deleteMany({ where: { key } })).count > 0;
}
