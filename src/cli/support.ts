/** What the import and export commands share: config, an English log on stderr, Vietnamese usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
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

type HelpOption = { help: { type: 'boolean'; short: 'h' } };

/**
 * The command line as every command reads it: positionals allowed, `--help`/`-h` prints the usage and exits 0, and an
 * unknown or malformed option is a Vietnamese usage error (exit 2).
 */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(options: O, usage: string, args = process.argv.slice(2)) {
  const config = { args, allowPositionals: true as const, options: { ...options, help: { type: 'boolean', short: 'h' } } as O & HelpOption };
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (e) {
    return usageError(`Tham số không hợp lệ: ${(e as Error).message}`, usage);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}
