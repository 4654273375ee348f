/**
 * Loads what the engine knows from the database, through the catalog's repositories: the active procedures (and
 * their aliases), the hotline directory and the commune profile, with the search index built over them.
 */
import type { DbTx } from '../../db/client.js';
import { getCommuneProfile } from '../commune/profile.repo.js';
import { listHotlines } from '../hotlines/hotline.repo.js';
import { listActiveProcedures } from '../procedures/catalog.repo.js';
import { ProcedureIndex } from '../procedures/search.js';
import type { Language } from '../text/language.js';
import { prepareKnowledge, type Knowledge } from './engine.js';

/** Reads the catalog, hotlines and profile and builds the index. */
export async function loadKnowledge(db: DbTx, language: Language): Promise<Knowledge> {
  const procedures = await listActiveProcedures(db);
  const hotlines = await listHotlines(db);
  const profile = await getCommuneProfile(db);
  const knowledge: Knowledge = { index: ProcedureIndex.build(procedures, language), procedures, hotlines, profile };
  prepareKnowledge(knowledge);
  return knowledge;
}
