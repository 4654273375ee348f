/**
 * Prepares the database the way the service's start does: apply migrations, tune SQLite, load the demo content
 * into an empty catalog. The `ask`, `import`, `report` and `posts` commands call it too, so they work on a fresh
 * clone before the service was ever started.
 */
import type { Config } from '../config.js';
import { createDb, tuneDatabase, type DbHandle } from '../db/client.js';
import { deployMigrations, migrationNames } from '../db/migrate.js';
import { deployMigrationsInChild } from '../db/migrate-child.js';
import { seedCatalogIfEmpty } from '../domain/procedures/seed.js';

export interface Prepared extends DbHandle {
  appliedMigrations: string[];
  seeded: Record<string, number>;
}

/**
 * Whether every migration folder is recorded as applied. Checked with a plain query first because the schema
 * engine takes SQLite's exclusive locking mode: while another process (the running service) has the file open,
 * deploying fails even with nothing to apply, which would stop `npm run import` next to a running service.
 */
async function allMigrationsApplied(url: string): Promise<boolean> {
  const probe = await createDb(url);
  try {
    const rows = await probe.db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return migrationNames(probe.provider).every((name) => applied.has(name));
  } catch {
    return false; // No migrations table yet: a new database.
  } finally {
    await probe.close();
  }
}

export interface PrepareOptions {
  /** Apply migrations in a child process, so the schema engine's memory is not kept by a long-running service. */
  migrateInChild?: boolean;
}

export async function prepareDatabase(config: Pick<Config, 'DATABASE_URL' | 'CONTENT_DIR' | 'SEED_DEMO'>, options: PrepareOptions = {}): Promise<Prepared> {
  const deploy = options.migrateInChild ? deployMigrationsInChild : deployMigrations;
  const appliedMigrations = await migrateRetryingBusy(config.DATABASE_URL, deploy);
  const handle = await createDb(config.DATABASE_URL);
  await tuneDatabase(handle);
  let seeded: Record<string, number> = {};
  try {
    if (config.SEED_DEMO) seeded = { ...(await seedOnce(() => seedCatalogIfEmpty(handle.db, config.CONTENT_DIR))) };
  } catch (e) {
    await handle.close();
    throw e;
  }
  return { ...handle, appliedMigrations, seeded };
}

/**
 * Two instances started together on one SQLite file both try to migrate it; the one that does not get the file's
 * write lock fails with a busy or timeout error. Waiting and looking again finds the migrations applied by the other.
 */
async function migrateRetryingBusy(url: string, deploy: (url: string) => Promise<string[]>): Promise<string[]> {
  const attempts = 8;
  for (let attempt = 1; ; attempt++) {
    if (await allMigrationsApplied(url)) return [];
    try {
      return await deploy(url);
    } catch (e) {
      if (attempt >= attempts) throw e;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt + Math.random() * 250));
    }
  }
}

/**
 * Two instances started together on an empty database both find the catalog empty; the second one's inserts then
 * hit the unique keys the first one just filled. Its transaction is rolled back whole, so trying again finds the
 * tables filled and seeds nothing.
 */
export async function seedOnce<T>(seed: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await seed();
    } catch (e) {
      if (attempt >= attempts || !isConflict(e)) throw e;
    }
  }
}

/** A unique-key violation, or PostgreSQL refusing a transaction that ran into a concurrent one. */
function isConflict(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === 'P2002' || code === 'P2034' || /unique constraint|could not serialize|deadlock/i.test(String((e as Error)?.message ?? ''));
}
