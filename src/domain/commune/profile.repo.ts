/** The commune's profile: a single row (id = 1). */
import type { DbTx } from '../../db/client.js';
import type { CommuneProfile } from '../procedures/procedure.js';

const profileId = 1;

export async function getCommuneProfile(db: DbTx): Promise<CommuneProfile | null> {
  const r = await db.communeProfile.findUnique({ where: { id: profileId } });
  if (!r) return null;
  return { name: r.name, address: r.address, workingHours: r.workingHours, officeHours: r.officeHours, website: r.website, portalUrl: r.portalUrl, email: r.email, note: r.note };
}

/** Creates or replaces the profile. */
export async function saveCommuneProfile(db: DbTx, profile: CommuneProfile): Promise<void> {
  await db.communeProfile.upsert({ where: { id: profileId }, create: { id: profileId, ...profile }, update: profile });
}
