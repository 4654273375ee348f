/** The real start path: `node src/main.ts` as a child process, as `npm start` runs it. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { loadConfig, ConfigError, readEnvironment } from '../src/config.js';

const root = path.resolve(import.meta.dirname, '..');

function run(env: Record<string, string>, cwd = root) {
  const child = spawn(process.execPath, ['--liftoff-only', '--max-semi-space-size=4', '--import', import.meta.resolve('tsx'), path.join(root, 'src/main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ENV_FILE: '/dev/null', ...env },
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

async function waitForHealth(port: number): Promise<boolean> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('the env file', () => {
  it('reads .env from the working directory, the environment winning over the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-env-'));
    fs.writeFileSync(path.join(dir, '.env'), 'PORT=4123\nTELEGRAM_BOT_TOKEN="123:abc"\n# comment\nLOG_LEVEL=debug\n');
    const { env, envFile } = readEnvironment({ LOG_LEVEL: 'warn' }, dir);
    expect(envFile).toBe(path.join(dir, '.env'));
    const c = loadConfig(env);
    expect(c.PORT).toBe(4123);
    expect(c.TELEGRAM_BOT_TOKEN).toBe('123:abc');
    expect(c.LOG_LEVEL).toBe('warn');
    expect(readEnvironment({}, os.tmpdir() + '/does-not-exist-cchc').envFile).toBeNull();
    expect(() => readEnvironment({ ENV_FILE: path.join(dir, 'missing.env') }, dir)).toThrow(/ENV_FILE/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the service started from a folder with .env listens on its PORT and says which file it read', { timeout: 90_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-env-'));
    const port = await freePort();
    fs.writeFileSync(path.join(dir, '.env'), `PORT=${port}\nDATABASE_URL=file:${dir}/svc.db\nCONTENT_DIR=${root}/content\nHOST=127.0.0.1\n`);
    const p = run({ ENV_FILE: '', LOG_LEVEL: 'info' }, dir); // empty ENV_FILE: the default, .env in the working directory
    expect(await waitForHealth(port)).toBe(true);
    expect(p.output()).toContain(`Configuration read from ${path.join(dir, '.env')}`);
    // pino writes asynchronously, so its «ready» line may land after the console lines: wait for it.
    for (let i = 0; i < 100 && !/"envFile"/.test(p.output()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(p.output()).toMatch(/"envFile":"[^"]*\.env"/);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('start failures: one line naming the variable, before anything is printed or written', () => {
  it('a busy port names PORT, prints no password and creates no database', { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-busy-'));
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '0.0.0.0', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const p = run({ PORT: String(port), DATABASE_URL: `file:${dir}/svc.db`, LOG_LEVEL: 'info' });
    expect(await p.exited).toBe(1);
    blocker.close();
    const lines = p.output().trim().split('\n');
    expect(lines).toEqual([`cchc-bot cannot start: PORT: 0.0.0.0:${port} is already in use by another process; stop it or set PORT to a free port`]);
    expect(fs.existsSync(path.join(dir, 'svc.db'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an invalid SCHEDULER_TICK is refused by the schema, naming the variable', async () => {
    expect(() => loadConfig({ SCHEDULER_TICK: 'every 30 seconds' })).toThrow(/SCHEDULER_TICK/);
    expect(() => loadConfig({ SCHEDULER_TICK: '61 * * * * *' })).toThrow(/SCHEDULER_TICK/);
    expect(loadConfig({ SCHEDULER_TICK: '0 */5 * * * *' }).SCHEDULER_TICK).toBe('0 */5 * * * *');
    const p = run({ SCHEDULER_TICK: 'every 30 seconds' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/SCHEDULER_TICK/);
    expect(p.output()).not.toMatch(/mật khẩu|password|TypeError/i);
  });

  it('production refuses the example citizen secret, naming CITIZEN_ID_SECRET', async () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CITIZEN_ID_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', CITIZEN_ID_SECRET: 'a-real-secret-123', MESSENGER_VERIFY_TOKEN: 'change-me' })).toThrow(
      /MESSENGER_VERIFY_TOKEN/,
    );
    expect(loadConfig({ NODE_ENV: 'production', CITIZEN_ID_SECRET: 'a-real-secret-123' }).NODE_ENV).toBe('production');
    expect(loadConfig({ NODE_ENV: 'development' }).CITIZEN_ID_SECRET).toBe('change-me-citizen-secret');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-prod-'));
    const p = run({ NODE_ENV: 'production', DATABASE_URL: `file:${dir}/svc.db`, PORT: '0' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/CITIZEN_ID_SECRET/);
    expect(fs.existsSync(path.join(dir, 'svc.db'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an unusable DATABASE_URL is one line naming DATABASE_URL, with no password printed', { timeout: 60_000 }, async () => {
    const p = run({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:9/none', PORT: '0' });
    expect(await p.exited).toBe(1);
    expect(p.output().trim().split('\n')).toHaveLength(1);
    expect(p.output()).toMatch(/^cchc-bot cannot start: DATABASE_URL: /);
    expect(p.output()).not.toMatch(/mật khẩu/i);
  });
});
