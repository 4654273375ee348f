/**
 * npm run db:migration -- <name>   write a new migration for SQLite and PostgreSQL (needs PG_URL or local PostgreSQL)
 * npm run db:deploy                apply pending migrations to DATABASE_URL
 * npm run db:status                list pending migrations of DATABASE_URL
 */
import { loadConfig } from '../config.js';
import { createMigration, deployMigrations, pendingMigrations } from './migrate.js';

const [command, name] = process.argv.slice(2);
const config = loadConfig();
if (command === 'new') {
  const folder = await createMigration(name ?? '', config.PG_URL);
  console.log(folder ? `wrote migration ${folder}` : 'no schema change: nothing written');
} else if (command === 'deploy') {
  const applied = await deployMigrations(config.DATABASE_URL);
  // Run by deployMigrationsInChild: the parent reads the names over IPC.
  if (process.send) await new Promise((resolve) => process.send!({ applied }, resolve));
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} else if (command === 'status') {
  const pending = await pendingMigrations(config.DATABASE_URL);
  console.log(pending.length ? `pending: ${pending.join(', ')}` : 'database is up to date');
} else {
  console.error('usage: migrate-cli new <name> | deploy | status');
  process.exit(2);
}
process.exit(0);
