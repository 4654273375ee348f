/**
 * Migrations for both databases from one schema.
 *
 * - `prisma/migrations/` (SQLite) and `prisma/migrations-pg/` (PostgreSQL) each hold `<timestamp>_<name>/migration.sql`,
 *   applied in order and recorded in Prisma's standard `_prisma_migrations` table.
 * - The newest SQLite migration folder also keeps `schema.snapshot.prisma`, the schema it was generated from, so the
 *   next migration is the diff between that snapshot and the current schema (no shadow database needed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { providerOf, type Provider } from './provider.js';

/** The schema engine (WebAssembly bindings, ~0.5 MB of code) is imported only when a migration runs or is made. */
const openEngine: typeof import('./engine.js').openEngine = async (...args) => (await import('./engine.js')).openEngine(...args);

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schemaDirs: Record<Provider, string> = { sqlite: 'prisma/schema', postgresql: 'prisma/schema-pg' };
const migrationDirs: Record<Provider, string> = { sqlite: 'prisma/migrations', postgresql: 'prisma/migrations-pg' };
const snapshotName = 'schema.snapshot.prisma';
const noFilter = { externalTables: [], externalEnums: [] };

/** The current schema of a provider as [path, content] pairs. */
export function readSchema(provider: Provider): [string, string][] {
  const dir = path.join(projectRoot, schemaDirs[provider]);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.prisma'))
    .sort()
    .map((f) => [path.join(dir, f), fs.readFileSync(path.join(dir, f), 'utf8')]);
}

function listMigrations(provider: Provider, upTo?: string) {
  const baseDir = path.join(projectRoot, migrationDirs[provider]);
  const names = (fs.existsSync(baseDir)
    ? fs.readdirSync(baseDir).filter((d) => fs.existsSync(path.join(baseDir, d, 'migration.sql'))).sort()
    : []
  ).filter((name) => upTo === undefined || name <= upTo);
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: fs.readFileSync(path.join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/** Names of the migration folders for a provider, in order. */
export function migrationNames(provider: Provider): string[] {
  return listMigrations(provider).migrationDirectories.map((d) => d.path);
}

/**
 * Applies every migration not yet applied to the database at `url`. Idempotent. Returns the names applied.
 * `upTo` (a folder name) stops after that migration: upgrade tests build a database as an older release left it.
 */
export async function deployMigrations(url: string, upTo?: string): Promise<string[]> {
  const provider = providerOf(url);
  const handle = await openEngine(url, readSchema(provider));
  try {
    const out = await handle.engine.applyMigrations({ migrationsList: listMigrations(provider, upTo), filters: noFilter });
    return out.appliedMigrationNames;
  } finally {
    await handle.close();
  }
}

/** Names of migrations in the folder that the database at `url` has not applied. */
export async function pendingMigrations(url: string): Promise<string[]> {
  const provider = providerOf(url);
  const handle = await openEngine(url, readSchema(provider));
  try {
    const out = await handle.engine.diagnoseMigrationHistory({
      migrationsList: listMigrations(provider),
      optInToShadowDatabase: false,
      filters: noFilter,
    });
    const d = out.history;
    if (!d) return [];
    if (d.diagnostic === 'databaseIsBehind') return d.unappliedMigrationNames;
    if (d.diagnostic === 'historiesDiverge') return d.unappliedMigrationNames;
    return [];
  } finally {
    await handle.close();
  }
}

async function diffScript(url: string, provider: Provider, from: [string, string][] | null, to: [string, string][]) {
  const handle = await openEngine(url, to);
  try {
    const asTarget = (files: [string, string][]) => ({
      tag: 'schemaDatamodel' as const,
      files: files.map(([p, content]) => ({ path: p, content })),
    });
    const result = await handle.engine.diff({
      from: from ? asTarget(from) : { tag: 'empty' },
      to: asTarget(to),
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return result.stdout ?? '';
  } finally {
    await handle.close();
  }
}

function latestSnapshot(): [string, string][] | null {
  const base = path.join(projectRoot, migrationDirs.sqlite);
  if (!fs.existsSync(base)) return null;
  const dirs = fs.readdirSync(base).filter((d) => fs.existsSync(path.join(base, d, snapshotName))).sort();
  const last = dirs.at(-1);
  if (!last) return null;
  return [[path.join(base, last, snapshotName), fs.readFileSync(path.join(base, last, snapshotName), 'utf8')]];
}

function withProvider(files: [string, string][], provider: Provider): [string, string][] {
  return files.map(([p, c]) => [p, c.replace(/provider\s*=\s*"(sqlite|postgresql)"/, `provider = "${provider}"`)]);
}

/**
 * Writes a new migration for both providers from the change between the last snapshot and the current schema.
 * `pgUrl` is a reachable PostgreSQL server (the PostgreSQL diff needs a live connection). Writes nothing when
 * there is no change or when either diff fails.
 */
export async function createMigration(name: string, pgUrl: string): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('migration name must be lower_snake_case');
  const current = readSchema('sqlite');
  const snapshot = latestSnapshot();
  const sqliteSql = await diffScript('file::memory:', 'sqlite', snapshot, current);
  const pgSql = await diffScript(pgUrl, 'postgresql', snapshot && withProvider(snapshot, 'postgresql'), withProvider(current, 'postgresql'));
  const empty = (sql: string) => sql.replace(/--.*$/gm, '').trim() === '';
  if (empty(sqliteSql) && empty(pgSql)) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = `${stamp}_${name}`;
  for (const provider of ['sqlite', 'postgresql'] as const) {
    const dir = path.join(projectRoot, migrationDirs[provider], folder);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), provider === 'sqlite' ? sqliteSql : pgSql);
    const lock = path.join(projectRoot, migrationDirs[provider], 'migration_lock.toml');
    fs.writeFileSync(lock, `# Written by src/db/migrate.ts\nprovider = "${provider}"\n`);
  }
  const snapshotText = current.map(([, c]) => c).join('\n');
  fs.writeFileSync(path.join(projectRoot, migrationDirs.sqlite, folder, snapshotName), snapshotText);
  return folder;
}
