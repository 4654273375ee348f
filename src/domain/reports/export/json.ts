import type { Writable } from 'node:stream';
import type { Tallies } from '../tallies.js';
import { writeAll } from './stream.js';

/** The figures as JSON (the same object `computeTallies` returns). */
export async function writeJson(t: Tallies, out: Writable): Promise<void> {
  await writeAll(out, `${JSON.stringify(t, null, 2)}\n`);
}
