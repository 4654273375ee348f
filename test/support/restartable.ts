/**
 * Runs the real service in-process on a fresh database (SQLite file, or a PostgreSQL database when TEST_PG_URL is
 * set), listening on a free loopback port. `restart` closes it and starts it again on the same database, the way
 * an operator restarts the process.
 */
import { startService, type Service, type ServiceOptions } from '../../src/app/service.js';
import { freshDatabaseUrl } from './db.js';
import { testConfig as baseConfig } from './service.js';

export interface RestartableService {
  service: Service;
  databaseUrl: string;
  /** Starts a new service on the same database (the old one must be closed or crashed). */
  restart(env?: Record<string, string>, options?: ServiceOptions): Promise<Service>;
  /** Closes the running service and drops the database. */
  destroy(): Promise<void>;
}

const testConfig = (databaseUrl: string, env: Record<string, string> = {}) => baseConfig(databaseUrl, { LOG_LEVEL: 'silent', ...env });

export async function startRestartableService(env: Record<string, string>, options: ServiceOptions = {}): Promise<RestartableService> {
  const { url, drop } = await freshDatabaseUrl();
  const handle: RestartableService = {
    service: await startService(testConfig(url, env), { noCron: true, ...options }),
    databaseUrl: url,
    async restart(nextEnv = env, nextOptions = options) {
      handle.service = await startService(testConfig(url, nextEnv), { noCron: true, ...nextOptions });
      return handle.service;
    },
    async destroy() {
      await handle.service.close();
      await drop();
    },
  };
  return handle;
}
