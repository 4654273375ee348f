/**
 * Two instances started at the same moment on one empty database (the PostgreSQL pass is the case that matters:
 * two hosts, one database): both come up, the demo catalog is seeded once, and there is one first administrator
 * whose one-time password only one of them hands out.
 */
import { describe, expect, it } from 'vitest';
import { startService, type Service } from '../src/app/service.js';
import { freshDatabaseUrl, testDbKind } from './support/db.js';
import { testConfig } from './support/service.js';

describe(`two instances starting together on an empty database (${testDbKind})`, () => {
  it('both start; the catalog is seeded once and one administrator is created', async () => {
    const db = await freshDatabaseUrl();
    const handedOut: string[] = [];
    const start = () =>
      startService(testConfig(db.url, { SEED_DEMO: 'true', LOG_LEVEL: 'silent', ADMIN_USERNAME: 'quantri' }), {
        noCron: true,
        onFirstAdministrator: (username) => handedOut.push(username),
      });
    const started = await Promise.allSettled([start(), start()]);
    const services = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(started.map((r) => (r.status === 'rejected' ? String(r.reason) : 'started'))).toEqual(['started', 'started']);
      const a: Service = services[0]!;
      const procedures = await a.db.db.procedure.count();
      expect(procedures).toBeGreaterThan(10);
      const codes = await a.db.db.procedure.findMany({ select: { code: true } });
      expect(new Set(codes.map((c) => c.code)).size).toBe(procedures);
      expect(await a.db.db.staffUser.count()).toBe(1);
      expect(handedOut).toEqual(['quantri']);
      for (const s of services) expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    } finally {
      for (const s of services) await s.close();
      await db.drop();
    }
  }, 180_000);
});
