/**
 * `--commune SLUG` for every command: which commune of the installation the command works on. Taken out of
 * process.argv when this module loads (import it before the command parses its own arguments), so each command's
 * own parser never sees it. Without it the command uses COMMUNE, else the only commune; with several communes and
 * none given, the command stops with a Vietnamese/English message listing them.
 */
import { prepareDatabase, type Prepared } from '../app/prepare.js';
import { CommuneChoiceError } from '../app/communes.js';
import type { Config } from '../config.js';

function takeFlag(argv: string[]): string | undefined {
  let value: string | undefined;
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--commune') {
      value = argv[i + 1] ?? '';
      argv.splice(i, 2);
      i--;
    } else if (arg.startsWith('--commune=')) {
      value = arg.slice('--commune='.length);
      argv.splice(i, 1);
      i--;
    }
  }
  return value;
}

/** The slug given with --commune, if any. */
export const communeFlag = takeFlag(process.argv);

/** Prepares the database for the commune of --commune (or COMMUNE, or the only one); exits 2 with a clear message when it cannot choose. */
export async function prepareForCommand(config: Pick<Config, 'DATABASE_URL' | 'CONTENT_DIR' | 'SEED_DEMO' | 'COMMUNE'>): Promise<Prepared> {
  if (communeFlag !== undefined && communeFlag.trim() === '') {
    console.error('Thiếu mã xã sau --commune (ví dụ --commune xa-minh-tien). / --commune needs a commune slug.');
    process.exit(2);
  }
  try {
    return await prepareDatabase({ ...config, COMMUNE: communeFlag?.trim() || config.COMMUNE });
  } catch (e) {
    if (!(e instanceof CommuneChoiceError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
}
