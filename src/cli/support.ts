/** What the import and export commands share: config, an English log on stderr, Vietnamese usage errors. */
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from '../config.js';

/** Loads the configuration or exits with the problems listed. */
export function loadCliConfig(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

/** Log lines (English, JSON) go to stderr so stdout can carry an exported file. */
export function cliLogger(config: Pick<Config, 'LOG_LEVEL'>) {
  return pino({ level: config.LOG_LEVEL, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}

/** Prints a Vietnamese usage message and exits with code 2. */
export function usageError(message: string, usage: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}
