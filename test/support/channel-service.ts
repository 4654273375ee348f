/**
 * Runs the real service (startService: real database, real express app on a loopback port) with channels pointed
 * at a platform mock, and captures its log lines, for the channel adapters' end-to-end tests.
 */
import type { Service, ServiceOptions } from '../../src/app/service.js';
import { freshDatabaseUrl } from './db.js';
import { startLoggedService, testConfig, type LogLine } from './service.js';

export type { LogLine } from './service.js';

export interface ChannelTestService extends Service {
  logs: LogLine[];
  /** POSTs a raw body to the service with headers. */
  post(path: string, body: string, headers?: Record<string, string>): Promise<Response>;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database (SQLite file, or PostgreSQL when TEST_PG_URL is set) that outlives service restarts. */
export function testDatabase(): Promise<TestDatabase> {
  return freshDatabaseUrl();
}

export async function startChannelService(
  env: Record<string, string>,
  databaseUrl: string,
  options: ServiceOptions = {},
): Promise<ChannelTestService> {
  const service = await startLoggedService(testConfig(databaseUrl, { LOG_LEVEL: 'debug', ...env }), {
    retry: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 200, authHoldMs: 60_000 },
    ...options,
  });
  // The start-up tick runs in the background; let it finish so tests see a quiet service.
  await service.tick();
  return Object.assign(service, {
    post: (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
      fetch(service.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) }),
  });
}

/** Polls until `check` returns true (or fails after `ms`). For work that runs after a webhook's 200. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
