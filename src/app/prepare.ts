/**
 * Prepares the database the way the service's start does: apply migrations, tune SQLite, load the demo content
 * into an empty catalog. The `ask`, `import`, `report` and `posts` commands call it too, so they work on a fresh
 * clone before the service was ever started.
 */
import type { Config } from '../config.js';
import { createDb, tuneDatabase, type Db, type DbHandle } from '../db/client.js';
import { scopeToCommune, type Tenant } from '../db/tenant.js';
import { deployMigrations, migrationNames } from '../db/migrate.js';
import { deployMigrationsInChild } from '../db/migrate-child.js';
import { seedCatalogIfEmpty } from '../domain/procedures/seed.js';
import { listCommunes, toTenant } from '../domain/commune/communes.repo.js';
import { ensureFirstCommune, resolveCommune } from './communes.js';

/**
 * `db` is scoped to the commune the process works for (every repository gets it); `root` is the unscoped client
 * for the province-level code that lists and chooses communes.
 */
export interface Prepared extends DbHandle {
  root: Db;
  tenant: Tenant;
  /** Every commune the process serves: `tenant` alone, or all communes for a province service (see `allCommunes`). */
  tenants: Tenant[];
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

/**
 * The installation as a whole (province level): migrations applied, the first commune created, and the UNSCOPED
 * client, for `npm run communes` and the province report. No commune is chosen.
 */
export async function openInstallation(config: Pick<Config, 'DATABASE_URL' | 'CONTENT_DIR'>): Promise<DbHandle> {
  if (!(await allMigrationsApplied(config.DATABASE_URL))) await deployMigrations(config.DATABASE_URL);
  const handle = await createDb(config.DATABASE_URL);
  try {
    await tuneDatabase(handle);
    await ensureFirstCommune(handle.db, config.CONTENT_DIR);
    return handle;
  } catch (e) {
    await handle.close();
    throw e;
  }
}

export interface PrepareOptions {
  /**
   * The service of a province: with several communes and no COMMUNE set, serve them all (the first by slug is the
   * admin's and the plain /chat's) instead of asking which one. Commands leave it off and must be told.
   */
  allCommunes?: boolean;
  /** Apply migrations in a child process, so the schema engine's memory is not kept by a long-running service. */
  migrateInChild?: boolean;
}

export async function prepareDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'CONTENT_DIR' | 'SEED_DEMO' | 'COMMUNE'>,
  options: PrepareOptions = {},
): Promise<Prepared> {
  const deploy = options.migrateInChild ? deployMigrationsInChild : deployMigrations;
  const appliedMigrations = await migrateRetryingBusy(config.DATABASE_URL, deploy);
  const handle = await createDb(config.DATABASE_URL);
  let seeded: Record<string, number> = {};
  try {
    await tuneDatabase(handle);
    await ensureFirstCommune(handle.db, config.CONTENT_DIR);
    const all = options.allCommunes && !config.COMMUNE ? (await listCommunes(handle.db)).map(toTenant) : [];
    const tenant = all[0] ?? (await resolveCommune(handle.db, config.COMMUNE));
    const tenants = all.length > 0 ? all : [tenant];
    const db = scopeToCommune(handle.db, tenant);
    if (config.SEED_DEMO) seeded = { ...(await seedOnce(() => seedCatalogIfEmpty(db, config.CONTENT_DIR))) };
    return { ...handle, db, root: handle.db, tenant, tenants, appliedMigrations, seeded };
  } catch (e) {
    await handle.close();
    throw e;
  }
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
