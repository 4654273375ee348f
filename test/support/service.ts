/**
 * The real service in-process for end-to-end tests: a fresh database (temp SQLite, or PostgreSQL when TEST_PG_URL
 * is set), any free port on 127.0.0.1, no cron (tests call `tick()`), and the log lines kept for assertions.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startService, type Service, type ServiceOptions } from '../../src/app/service.js';
import { loadConfig } from '../../src/config.js';
import { freshDatabaseUrl } from './db.js';

export interface TestService extends Service {
  /** Parsed JSON log lines written so far. */
  logs: { level: number; msg: string; [key: string]: unknown }[];
  /** Closes the service and removes its database. */
  destroy(): Promise<void>;
}

export async function startTestService(
  options: ServiceOptions = {},
  env: Record<string, string> = {},
): Promise<TestService> {
  const database = await freshDatabaseUrl();
  const config = loadConfig({
    DATABASE_URL: database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    CITIZEN_ID_SECRET: 'test-citizen-secret',
    ...env,
  });
  const logs: TestService['logs'] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: 'info', base: undefined }, sink);
  const service = await startService(config, { noCron: true, logger, ...options });
  return Object.assign(service, {
    logs,
    async destroy() {
      await service.close();
      await database.drop();
    },
  });
}
