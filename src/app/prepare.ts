/**
 * Prepares the database the way the service's start does: apply migrations, tune SQLite, load the demo content
 * into an empty catalog. The `ask`, `import`, `report` and `posts` commands call it too, so they work on a fresh
 * clone before the service was ever started.
 */
import type { Config } from '../config.js';
import { createDb, tuneDatabase, type DbHandle } from '../db/client.js';
import { deployMigrations } from '../db/migrate.js';
import { seedCatalogIfEmpty } from '../domain/procedures/seed.js';

export interface Prepared extends DbHandle {
  appliedMigrations: string[];
  seeded: Record<string, number>;
}

export async function prepareDatabase(config: Pick<Config, 'DATABASE_URL' | 'CONTENT_DIR' | 'SEED_DEMO'>): Promise<Prepared> {
  const appliedMigrations = await deployMigrations(config.DATABASE_URL);
  const handle = createDb(config.DATABASE_URL);
  await tuneDatabase(handle);
  let seeded: Record<string, number> = {};
  try {
    if (config.SEED_DEMO) seeded = { ...(await seedCatalogIfEmpty(handle.db, config.CONTENT_DIR)) };
  } catch (e) {
    await handle.close();
    throw e;
  }
  return { ...handle, appliedMigrations, seeded };
}
