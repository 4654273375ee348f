/**
 * The real service in-process for end-to-end tests: a fresh database (temp SQLite, or PostgreSQL when TEST_PG_URL
 * is set), any free port on 127.0.0.1, no cron (tests call `tick()`), and the log lines kept for assertions.
 * The other starters (restartable, channel, admin) build on `testConfig` and `startLoggedService` here.
 */
import { startService, type Service, type ServiceOptions } from '../../src/app/service.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/http/logger.js';
import { freshDatabaseUrl } from './db.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** Config for a test service: loopback, any free port, no demo content unless `env` asks for it. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    CITIZEN_ID_SECRET: 'test-citizen-secret',
    ...env,
  });
}

/** Starts the service without cron, its log lines (at config.LOG_LEVEL) parsed into `logs`. */
export async function startLoggedService(config: Config, options: ServiceOptions = {}): Promise<Service & { logs: LogLine[] }> {
  const logs: LogLine[] = [];
  // The service's own logger (serializers, redaction), written into `logs`.
  const logger = createLogger(config, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const service = await startService(config, { noCron: true, logger, ...options });
  return Object.assign(service, { logs });
}

export interface TestService extends Service {
  /** Parsed JSON log lines written so far. */
  logs: LogLine[];
  /** Closes the service and removes its database. */
  destroy(): Promise<void>;
}

export async function startTestService(options: ServiceOptions = {}, env: Record<string, string> = {}): Promise<TestService> {
  const database = await freshDatabaseUrl();
  const service = await startLoggedService(testConfig(database.url, env), options);
  return Object.assign(service, {
    async destroy() {
      await service.close();
      await database.drop();
    },
  });
}
