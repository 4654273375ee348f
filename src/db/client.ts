/**
 * The Prisma client for DATABASE_URL: SQLite (better-sqlite3 adapter) for `file:` URLs, PostgreSQL (pg adapter) for
 * `postgres://` URLs. Both generated clients have the same models; the PostgreSQL one is typed as the SQLite one so
 * the rest of the code has one `Db` type. Avoid provider-only API (mode: 'insensitive', skipDuplicates, Json path).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.js';
import { providerOf, sqliteFilePath } from './provider.js';
import { serialisedFactory } from './sqlite-serial.js';
import { directPg, directSqlite, registerSql, type PgPoolLike, type SqliteGate } from './sql.js';

export type Db = SqliteClient;
export type { Prisma } from '../generated/sqlite/client.js';
/** A client or an interactive transaction's client: what repositories take. */
export type DbTx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface DbHandle {
  db: Db;
  provider: 'sqlite' | 'postgresql';
  close(): Promise<void>;
}

/**
 * Opens the client for `url`. Async because the PostgreSQL client, its adapter and `pg` are loaded only for a
 * PostgreSQL URL: a SQLite service does not keep them in memory (about 15 MB of resident memory).
 */
export async function createDb(url: string): Promise<DbHandle> {
  const provider = providerOf(url);
  if (provider === 'sqlite') {
    const file = sqliteFilePath(url);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const gate: SqliteGate = { client: null, acquire: async () => () => {}, tryAcquire: () => null };
    const factory = serialisedFactory(new PrismaBetterSqlite3({ url, timeout: 10_000 }), gate);
    const db = new SqliteClient({ adapter: factory });
    registerSql(db, directSqlite(gate, () => db.$connect()));
    return { db, provider, close: () => db.$disconnect() };
  }
  const [{ PrismaPg }, { default: pg }, { PrismaClient: PgClient }] = await Promise.all([
    import('@prisma/adapter-pg'),
    import('pg'),
    import('../generated/pg/client.js'),
  ]);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = new PgClient({ adapter: new PrismaPg(pool) }) as unknown as Db;
  registerSql(db, directPg(pool as unknown as PgPoolLike, pg.types));
  return {
    db,
    provider,
    async close() {
      await db.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

/** SQLite pragmas for a busy single-file database: WAL (persists in the file) and NORMAL sync (per connection). */
export async function tuneDatabase(handle: DbHandle): Promise<void> {
  if (handle.provider !== 'sqlite') return;
  await handle.db.$queryRawUnsafe('PRAGMA journal_mode=WAL');
  await handle.db.$queryRawUnsafe('PRAGMA synchronous=NORMAL');
  await handle.db.$queryRawUnsafe('PRAGMA foreign_keys=ON');
}
