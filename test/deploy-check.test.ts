/**
 * The documented production start, checked the way an operator's init system stops it: scripts/deploy-check.sh
 * builds dist/, starts `node dist/main.js` and `npm start` on free ports with temporary SQLite files, waits for
 * /healthz, sends ONE SIGTERM and checks each process exited with 0 and freed its port.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

it('node dist/main.js and npm start each stop with one SIGTERM and free the port', { timeout: 240_000 }, async () => {
  const { stdout } = await promisify(execFile)('bash', [path.join(root, 'scripts/deploy-check.sh')], { cwd: root, timeout: 230_000 });
  expect(stdout).toMatch(/^ok node-dist: healthy on port \d+, one SIGTERM, exit 0, port free$/m);
  expect(stdout).toMatch(/^ok npm-start: healthy on port \d+, one SIGTERM, exit 0, port free$/m);
});
