/**
 * Makes the real database refuse inserts into one table, the way a full disk or a lost connection would, so tests
 * can check what a webhook answers when it cannot store. Works on SQLite (trigger with RAISE) and PostgreSQL
 * (trigger function raising an exception).
 */
import type { Db } from '../../src/db/client.js';
import { testDbKind } from './db.js';

export async function refuseInserts(db: Db, table: string): Promise<() => Promise<void>> {
  const name = `refuse_${table.toLowerCase()}`;
  if (testDbKind === 'sqlite') {
    await db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON "${table}" BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    return async () => {
      await db.$executeRawUnsafe(`DROP TRIGGER ${name}`);
    };
  }
  await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql`);
  await db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  return async () => {
    await db.$executeRawUnsafe(`DROP TRIGGER ${name} ON "${table}"`);
  };
}
