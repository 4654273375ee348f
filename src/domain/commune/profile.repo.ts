/** The commune's public profile: one row per commune, read and written through a commune-scoped client. */
import type { DbTx } from '../../db/client.js';
import type { CommuneProfile } from '../procedures/procedure.js';
import { communeIdOf } from '../../db/tenant.js';

export async function getCommuneProfile(db: DbTx): Promise<CommuneProfile | null> {
  const r = await db.communeProfile.findUnique({ where: { communeId: communeIdOf(db) } });
  if (!r) return null;
  return { name: r.name, address: r.address, workingHours: r.workingHours, officeHours: r.officeHours, website: r.website, portalUrl: r.portalUrl, email: r.email, note: r.note };
}

/** Creates or replaces the profile. */
export async function saveCommuneProfile(db: DbTx, profile: CommuneProfile): Promise<void> {
  const communeId = communeIdOf(db);
  await db.communeProfile.upsert({ where: { communeId }, create: { communeId, ...profile }, update: profile });
}
