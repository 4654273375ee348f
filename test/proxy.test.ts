/**
 * TRUST_PROXY over real HTTP: behind a reverse proxy on another address, the client's address (and so every
 * per-address limit) comes from X-Forwarded-For only when the proxy is a trusted one; the config takes addresses,
 * CIDR ranges, express's range names or a hop count, and refuses anything else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { AdminClient } from './support/admin-client.js';
import { startAdminService, type AdminService } from './support/admin-service.js';

describe('TRUST_PROXY in the configuration', () => {
  const trust = (v: string) => loadConfig({ TRUST_PROXY: v }).TRUST_PROXY;
  it('reads off, a hop count, true as one hop, and lists of addresses and ranges', () => {
    expect([trust(''), trust('false'), trust('0')]).toEqual([false, false, false]);
    expect([trust('true'), trust('2')]).toEqual([1, 2]);
    expect(trust('10.0.0.5, 10.1.0.0/16 uniquelocal ::1')).toEqual(['10.0.0.5', '10.1.0.0/16', 'uniquelocal', '::1']);
  });
  it('refuses what is not an address, a range or a count, naming it', () => {
    expect(() => trust('proxy.example.vn')).toThrow(ConfigError);
    expect(() => trust('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
  });
});

describe('the client address behind a trusted proxy', () => {
  let s: AdminService;
  beforeAll(async () => {
    // The proxy is 127.0.0.7: not the loopback address the service trusted before, as a proxy on another host is not.
    s = await startAdminService({ TRUST_PROXY: '127.0.0.7' });
  });
  afterAll(async () => {
    await s?.close();
  });

  const client = async (from: string, forwardedFor: string) => {
    const c = new AdminClient(s.service.url, from);
    c.headers['x-forwarded-for'] = forwardedFor;
    await c.get('/admin/login');
    return c;
  };
  const addressesOf = async (username: string) =>
    (await s.service.db.db.loginAttempt.findMany({ where: { username }, select: { address: true } })).map((r) => r.address);

  it('takes the address from X-Forwarded-For through the trusted proxy, and ignores it from anyone else', async () => {
    await (await client('127.0.0.7', '203.0.113.9')).post('/admin/login', { username: 'qua-proxy', password: 'sai' });
    await (await client('127.0.0.8', '198.51.100.1')).post('/admin/login', { username: 'gia-mao', password: 'sai' });
    expect(await addressesOf('qua-proxy')).toEqual(['203.0.113.9']);
    expect(await addressesOf('gia-mao')).toEqual(['127.0.0.8']);
  });

  it('so one citizen address reaching the limit does not lock out the others behind the same proxy', async () => {
    const busy = await client('127.0.0.7', '203.0.113.20');
    for (let i = 0; i < 5; i++) expect((await busy.post('/admin/login', { username: s.adminUsername, password: `sai ${i}` })).status).toBe(401);
    expect((await busy.post('/admin/login', { username: s.adminUsername, password: 'sai nữa' })).status).toBe(429);
    const colleague = await client('127.0.0.7', '203.0.113.21');
    expect((await colleague.post('/admin/login', { username: s.adminUsername, password: s.adminOneTimePassword })).status).toBe(303);
  });
});
