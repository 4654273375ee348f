import { pino } from 'pino';
import type { Config } from '../config.js';

/** pino: structured JSON logs, fast, and the de-facto standard for Node services; satisfies the domain Logger port. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>) {
  return pino({ level: config.LOG_LEVEL, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
export type AppLogger = ReturnType<typeof createLogger>;
