/**
 * Loads what the engine knows from the database, through the catalog's repositories: the active procedures (and
 * their aliases), the hotline directory and the commune profile, with the search index built over them.
 *
 * Communes of one province share one procedure catalog. With a {@link SharedCatalogs} (one per process), the index
 * of a catalog is built once and every commune on it answers from that index, its own overrides layered on top
 * (procedures/effective.ts): 100 communes hold one index, not 100 copies.
 */
import type { DbTx } from '../../db/client.js';
import { tenantOf } from '../../db/tenant.js';
import { getCommuneProfile } from '../commune/profile.repo.js';
import { listHotlines } from '../hotlines/hotline.repo.js';
import { catalogFingerprint, listActiveProcedures, listProcedureOverrides } from '../procedures/catalog.repo.js';
import { communeIndex } from '../procedures/effective.js';
import { ProcedureIndex } from '../procedures/search.js';
import type { Language } from '../text/language.js';
import { prepareKnowledge, type Knowledge } from './engine.js';

interface SharedEntry {
  fingerprint: string;
  language: Language;
  index: Promise<ProcedureIndex>;
}

/**
 * The search index of each shared catalog, built once per catalog contents: a commune loading (or reloading after
 * an edit) reuses the index another commune on the same catalog already built, unless the catalog changed since.
 */
export class SharedCatalogs {
  private readonly byCatalog = new Map<number, SharedEntry>();
  /** How many indexes were built (a commune reusing one builds none). */
  builds = 0;

  /** The index of the client's catalog as it is now. */
  async index(db: DbTx, language: Language): Promise<ProcedureIndex> {
    const tenant = tenantOf(db);
    if (!tenant) return ProcedureIndex.build(await listActiveProcedures(db), language);
    const fingerprint = await catalogFingerprint(db);
    const known = this.byCatalog.get(tenant.catalogId);
    if (known && known.fingerprint === fingerprint && known.language === language) return known.index;
    this.builds++;
    const index = listActiveProcedures(db).then((procedures) => ProcedureIndex.build(procedures, language));
    this.byCatalog.set(tenant.catalogId, { fingerprint, language, index });
    index.catch(() => {
      if (this.byCatalog.get(tenant.catalogId)?.index === index) this.byCatalog.delete(tenant.catalogId);
    });
    return index;
  }
}

/**
 * Reads the catalog, the commune's overrides, hotlines and profile. Without `shared` the index is the commune's own
 * (commands, tests); with it, the catalog's shared index under the commune's overrides.
 */
export async function loadKnowledge(db: DbTx, language: Language, shared?: SharedCatalogs): Promise<Knowledge> {
  const base = shared ? await shared.index(db, language) : ProcedureIndex.build(await listActiveProcedures(db), language);
  const overrides = tenantOf(db) ? await listProcedureOverrides(db) : [];
  const index = communeIndex(base, overrides, language);
  const hotlines = await listHotlines(db);
  const profile = await getCommuneProfile(db);
  const knowledge: Knowledge = { index, procedures: index.procedures, hotlines, profile };
  // Sibling families and the referral index are derived once per shared index, here rather than on a first message.
  prepareKnowledge(knowledge);
  return knowledge;
}
