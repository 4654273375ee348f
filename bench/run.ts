/**
 * `npm run bench -- NAME [args]`: runs one benchmark (see bench/README.md).
 *   startup   start to ready and resident memory of the real service
 *   search    search-and-reply latency with 5,000 procedures
 *   webhook   signed Messenger load against the real service vs an express echo bot
 *   webchat   simulated browsers against the web chat API
 *   report    a year's report over 10 million ledger rows (SQLite and PostgreSQL)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const benches = ['startup', 'search', 'webhook', 'webchat', 'report'];
const [name, ...args] = process.argv.slice(2);
if (!name || !benches.includes(name)) {
  console.error(`usage: npm run bench -- ${benches.join('|')} [args]`);
  process.exit(2);
}
const flags = name === 'report' || name === 'search' ? ['--expose-gc'] : [];
const r = spawnSync(process.execPath, [...flags, '--import', 'tsx', path.join(import.meta.dirname, `${name}.ts`), ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
