/**
 * The sign-in limit against an attacker, over real HTTP into the real service, clients on different loopback
 * addresses: simultaneous guesses are counted before any password is checked; a stranger's wrong passwords never
 * lock the user out of their own address; the slowing delay grows with a name's failures; `npm run users -- unlock`.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../src/domain/staff/login-limiter.js';
import { AdminClient } from '../support/admin-client.js';
import { startAdminService, type AdminService } from '../support/admin-service.js';

const root = path.resolve(import.meta.dirname, '../..');
const password = 'mật khẩu thật của quản trị';
let s: AdminService;

async function signedOutClient(address: string): Promise<AdminClient> {
  const c = new AdminClient(s.service.url, address);
  await c.get('/admin/login');
  return c;
}

beforeAll(async () => {
  s = await startAdminService({}, { loginLimiter: new LoginLimiter({ windowMs: 10 * 60_000, maxPerUser: 5, maxPerIp: 20, slowAfterFailures: 3, slowBaseMs: 150, slowMaxMs: 600 }) });
  const first = new AdminClient(s.service.url);
  await first.signIn(s.adminUsername, s.adminOneTimePassword, password);
});
afterAll(async () => {
  await s?.close();
});

describe('the sign-in limit', () => {
  it('counts 100 simultaneous tries before checking any password: at most 5 are checked', async () => {
    const attacker = await signedOutClient('127.0.0.5');
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => attacker.post('/admin/login', { username: 'quantri', password: `đoán ${i}` })));
    const statuses = results.map((r) => r.status);
    const checked = statuses.filter((st) => st === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((st) => st === 429)).toHaveLength(100 - checked);
    expect(results.find((r) => r.status === 429)!.body).toContain('Bạn đã nhập sai quá nhiều lần');
    const failed = await s.service.db.db.loginAttempt.count({ where: { username: 'quantri', address: '127.0.0.5', outcome: 'failed' } });
    expect(failed).toBe(checked);
  }, 60_000);

  it("a stranger's wrong passwords lock only the stranger: the user signs in from their own address", async () => {
    const stranger = await signedOutClient('127.0.0.2');
    for (let i = 0; i < 5; i++) expect((await stranger.post('/admin/login', { username: 'quantri', password: `sai ${i}` })).status).toBe(401);
    // Even the right password is refused to the stranger's address now…
    expect((await stranger.post('/admin/login', { username: 'quantri', password })).status).toBe(429);
    // …but not to the user's own.
    const user = await signedOutClient('127.0.0.3');
    const ok = await user.post('/admin/login', { username: 'quantri', password, next: '/admin' });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/admin');
  }, 60_000);

  it('slows each wrong answer more as a name collects failures from any address, up to the cap', async () => {
    const limiter = new LoginLimiter({ windowMs: 60_000, maxPerUser: 5, maxPerIp: 20, slowAfterFailures: 3, slowBaseMs: 150, slowMaxMs: 600 });
    expect([0, 2, 3, 4, 5, 9].map((f) => limiter.slowdownMs(f))).toEqual([0, 0, 150, 300, 600, 600]);
    // Over HTTP: 'quantri' has at least 8 recent failures (above), so a wrong answer from a new address waits.
    const other = await signedOutClient('127.0.0.4');
    const started = Date.now();
    expect((await other.post('/admin/login', { username: 'quantri', password: 'sai nữa' })).status).toBe(401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  }, 60_000);

  it('an address trying many names is limited too (20 tries)', async () => {
    const sweeper = await signedOutClient('127.0.0.6');
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await sweeper.post('/admin/login', { username: `ten${i}`, password: 'x' })).status);
    expect(statuses.slice(0, 20).every((st) => st === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  }, 60_000);

  it('`npm run users -- unlock` lets the name in again from the locked address', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/users.ts', 'unlock', 'quantri'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', SEED_DEMO: 'false', DATABASE_URL: s.service.config.DATABASE_URL },
    });
    expect(stdout).toContain('Đã mở khoá đăng nhập cho quantri');
    const stranger = await signedOutClient('127.0.0.2');
    expect((await stranger.post('/admin/login', { username: 'quantri', password, next: '/admin' })).status).toBe(303);
  }, 120_000);
});
