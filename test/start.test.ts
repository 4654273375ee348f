/** The real start path: `node src/main.ts` as a child process, as `npm start` runs it. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../src/config.js';

const root = path.resolve(import.meta.dirname, '..');

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

describe('configuration', () => {
  it('names every bad variable in one message', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', GRAPH_API_BASE_URL: 'not a url', SCHEDULER_GRACE_MINUTES: '-5' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'GRAPH_API_BASE_URL', 'SCHEDULER_GRACE_MINUTES']) expect(msg).toContain(name);
    }
  });

  it('defaults to the embedded SQLite file and port 3000 with no environment', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('file:./data/cchc.db');
    expect(c.PORT).toBe(3000);
  });
});

describe('npm start', () => {
  it('refuses to start on bad configuration, naming the variables', async () => {
    const p = run({ PORT: 'x', DATABASE_URL: 'mysql://db' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/PORT/);
    expect(p.output()).toMatch(/DATABASE_URL/);
  });

  it('applies migrations to a new SQLite file, serves /healthz and stops cleanly on SIGTERM', { timeout: 90_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-start-'));
    const port = 30000 + Math.floor(Math.random() * 20000);
    const p = run({ PORT: String(port), DATABASE_URL: `file:${dir}/svc.db` });
    let health: { ok?: boolean } = {};
    for (let i = 0; i < 600 && !health.ok; i++) {
      await new Promise((r) => setTimeout(r, 100));
      health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json() as Promise<{ ok: boolean }>).catch(() => ({}));
    }
    expect(health.ok).toBe(true);
    expect(p.output()).toContain('/chat');
    expect(fs.existsSync(path.join(dir, 'svc.db'))).toBe(true);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
