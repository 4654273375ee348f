/**
 * A real, migrated database for one test file: a temporary SQLite file by default, or, when TEST_PG_URL is set
 * (the PostgreSQL pass of .ci/run), a fresh database on that server, created here and dropped at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureFirstCommune, resolveCommune } from '../../src/app/communes.js';
import { createDb, tuneDatabase, type Db, type DbHandle } from '../../src/db/client.js';
import { deployMigrations } from '../../src/db/migrate.js';
import { scopeToCommune, type Tenant } from '../../src/db/tenant.js';

/** `db` is scoped to the database's one commune (as the service's repositories get it); `root` is unscoped. */
export interface TestDb extends DbHandle {
  root: Db;
  tenant: Tenant;
  url: string;
  /** Closes the client and removes the database. */
  destroy(): Promise<void>;
}

const pgServer = process.env.TEST_PG_URL;

export const testDbKind = pgServer ? 'postgresql' : 'sqlite';

/** A fresh empty database URL (not yet migrated) and how to remove it. */
export async function freshDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  if (pgServer) {
    const name = `cchc_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: pgServer });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(pgServer);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const c = new pg.Client({ connectionString: pgServer });
        await c.connect();
        // A closed pool hands back before its connections have finished closing; a FORCE drop that kills one of
        // them makes that client emit an unhandled 'error'. Give them a moment to go first.
        for (let i = 0; i < 50; i++) {
          const { rows } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (rows[0].n === 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-test-'));
  return {
    url: `file:${path.join(dir, 'test.db')}`,
    async drop() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function createTestDb(): Promise<TestDb> {
  const { url, drop } = await freshDatabaseUrl();
  await deployMigrations(url);
  const handle = await createDb(url);
  await tuneDatabase(handle);
  await ensureFirstCommune(handle.db, 'content');
  const tenant = await resolveCommune(handle.db, undefined);
  return {
    ...handle,
    db: scopeToCommune(handle.db, tenant),
    root: handle.db,
    tenant,
    url,
    async destroy() {
      await handle.close();
      await drop();
    },
  };
}
