/** The engine's knowledge the way the service gets it: content/ seeded into a real test database, then loaded. */
import type { Knowledge } from '../../src/domain/conversation/engine.js';
import { loadKnowledge } from '../../src/domain/conversation/knowledge.js';
import { seedCatalogIfEmpty } from '../../src/domain/procedures/seed.js';
import { loadLanguage } from '../../src/domain/text/language.load.js';
import { createTestDb, type TestDb } from './db.js';

export async function seededKnowledge(): Promise<{ knowledge: Knowledge; db: TestDb }> {
  const db = await createTestDb();
  await seedCatalogIfEmpty(db.db, 'content');
  const knowledge = await loadKnowledge(db.db, loadLanguage('content'));
  return { knowledge, db };
}
