/**
 * The real start path and the users command as child processes: the first start prints the administrator's
 * one-time password once (a second start prints none), and `npm run users` adds, lists and resets users.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AdminClient } from '../support/admin-client.js';
import { freshDatabaseUrl } from '../support/db.js';

const root = path.resolve(import.meta.dirname, '../..');
let db: { url: string; drop(): Promise<void> };

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', SEED_DEMO: 'false', DATABASE_URL: db.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function startAndStop(port: number): Promise<string> {
  const p = run(['src/main.ts'], { PORT: String(port), HOST: '127.0.0.1', ADMIN_USERNAME: 'chutich' });
  for (let i = 0; i < 600 && !p.output().includes('cchc-bot is running'); i++) await new Promise((r) => setTimeout(r, 100));
  expect(p.output()).toContain('/admin');
  await stop(p);
  return p.output();
}

async function stop(p: ReturnType<typeof run>): Promise<void> {
  p.child.kill('SIGTERM');
  const code = await p.exited;
  expect(code, p.output()).toBe(0);
}

beforeAll(async () => {
  db = await freshDatabaseUrl();
});
afterAll(async () => {
  await db.drop();
});

// Child processes start slowly on a busy 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

describe('first administrator at first start', () => {
  it('writes a one-time password once to a file only the service user reads, which signs in and must be changed', async () => {
    const port = 30000 + Math.floor(Math.random() * 20000);
    const file = path.join(os.tmpdir(), `cchc-first-admin-${process.pid}-${port}`, 'first-admin-password.txt');
    const p = run(['src/main.ts'], { PORT: String(port), HOST: '127.0.0.1', ADMIN_USERNAME: 'chutich', LOG_LEVEL: 'info', FIRST_ADMIN_PASSWORD_FILE: file });
    for (let i = 0; i < 600 && !p.output().includes('cchc-bot is running'); i++) await new Promise((r) => setTimeout(r, 100));
    // Not a terminal (the journal under systemd or Docker): the file, mode 0600, and the log says where.
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const written = fs.readFileSync(file, 'utf8');
    const password = /one-time password: ([A-Za-z2-9]{16})/.exec(written)?.[1];
    expect(password, written).toBeDefined();
    expect(written).toContain('Tên đăng nhập / user name: chutich');
    expect(p.output()).toContain(`written to ${file}`);
    expect(p.output()).not.toContain(password!);
    const c = new AdminClient(`http://127.0.0.1:${port}`);
    const r = await c.signIn('chutich', password!);
    expect(r.location).toBe('/admin/account/password');
    await stop(p);

    const again = await startAndStop(port + 1);
    expect(again).not.toContain('one-time password');
  });
});

describe('npm run users', () => {
  it('adds and lists users, and explains mistakes in Vietnamese', async () => {
    const add = run(['src/cli/users.ts', 'add', 'ketoan', '--role', 'viewer', '--display-name', 'Lê Văn C'], {});
    expect(await add.exited, add.output()).toBe(0);
    expect(add.output()).toMatch(/Mật khẩu dùng một lần \(chỉ hiện một lần\): [A-Za-z2-9]{16}/);
    const list = run(['src/cli/users.ts', 'list'], {});
    expect(await list.exited, list.output()).toBe(0);
    expect(list.output()).toMatch(/chutich\s+Quản trị viên/);
    expect(list.output()).toMatch(/ketoan\s+Người xem.*chưa đổi mật khẩu/);
    const unknown = run(['src/cli/users.ts', 'reset-password', 'khongco'], {});
    expect(await unknown.exited, unknown.output()).toBe(1);
    expect(unknown.output()).toContain('Không có người dùng “khongco”.');
  });
});
