/**
 * Applies pending migrations in a short-lived child process (`migrate-cli deploy`) instead of in the service.
 *
 * Why: Prisma's schema engine is a large WebAssembly module; once instantiated, its compiled code and linear memory
 * stay resident for the life of the process that loaded it (tens of MB of RSS the running service never uses
 * again). A child process returns all of it to the system when it exits.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Node flags the child must not inherit: profiling, inspection and heap-snapshot triggers belong to the parent. */
const parentOnly = /^--(cpu-prof|heap-prof|heapsnapshot|inspect|diagnostic-dir|prof)/;

/** The parent's node flags minus the parent-only ones; TypeScript sources (tests, tsx) get tsx's loader. */
function childFlags(here: string): string[] {
  const flags = process.execArgv.filter((a) => !parentOnly.test(a));
  if (here.endsWith('.ts') && !flags.some((a) => a.includes('tsx'))) flags.push('--import', import.meta.resolve('tsx'));
  return flags;
}

/** Runs the migrations of `url` in a child; resolves with the names applied, rejects with the child's error. */
export function deployMigrationsInChild(url: string): Promise<string[]> {
  const here = fileURLToPath(import.meta.url);
  const cli = path.join(path.dirname(here), `migrate-cli${path.extname(here)}`);
  return new Promise((resolve, reject) => {
    let applied: string[] | null = null;
    let stderr = '';
    const child = fork(cli, ['deploy'], {
      env: { ...process.env, DATABASE_URL: url },
      execArgv: childFlags(here),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
    child.on('message', (m: { applied?: string[] }) => {
      if (Array.isArray(m.applied)) applied = m.applied;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && applied) resolve(applied);
      else reject(new Error(`migrations failed (child exit ${code}): ${stderr.trim() || 'no output'}`));
    });
  });
}
