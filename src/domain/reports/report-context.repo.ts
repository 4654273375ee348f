/** Names the report shows that live outside the ledger: the commune and the procedures. */
import type { DbTx } from '../../db/client.js';
import { communeIdOf } from '../../db/tenant.js';

/** The commune's name from its profile, or null when the profile was never filled in. */
export async function findCommuneName(db: DbTx): Promise<string | null> {
  const row = await db.communeProfile.findUnique({ where: { communeId: communeIdOf(db) }, select: { name: true } });
  const name = row?.name.normalize('NFC').trim();
  return name ? name : null;
}

/** Names of the given procedure codes that are in the catalog. */
export async function findProcedureNames(db: DbTx, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.procedure.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } });
  return new Map(rows.map((r) => [r.code, r.name]));
}
