/** Importing a hotline file (JSON, CSV or XLSX): all or nothing, problems named by row and column. */
import type { Db } from '../../db/client.js';
import type { FileFormat, ImportResult } from '../tabular/format.js';
import { parseTableFile, type ParseOutcome, type TableSpec } from '../tabular/table-import.js';
import { existingHotlineKeys, upsertHotlinesIn } from './hotline.repo.js';
import { hotlineColumns, hotlineRowSchema, type HotlineRow } from './hotline.schema.js';

export const hotlineTable: TableSpec<HotlineRow> = {
  noun: 'số điện thoại',
  columns: hotlineColumns,
  schema: hotlineRowSchema,
  uniqueKey: 'key',
  jsonListKey: 'hotlines',
};

export function parseHotlineFile(bytes: Uint8Array, format: FileFormat): Promise<ParseOutcome<HotlineRow>> {
  return parseTableFile(hotlineTable, bytes, format);
}

/**
 * Imports a hotline file: new keys are added, existing keys updated, other hotlines left alone.
 * With `dryRun`, validates and counts without writing.
 */
export async function importHotlines(
  db: Db,
  bytes: Uint8Array,
  format: FileFormat,
  options: { dryRun?: boolean } = {},
): Promise<ImportResult> {
  const parsed = await parseHotlineFile(bytes, format);
  if (!parsed.ok) return parsed;
  const dryRun = options.dryRun ?? false;
  let created: number;
  let updated: number;
  if (dryRun) {
    const existing = await existingHotlineKeys(
      db,
      parsed.rows.map((r) => r.key),
    );
    created = parsed.rows.length - existing.size;
    updated = existing.size;
  } else {
    ({ created, updated } = await db.$transaction((tx) => upsertHotlinesIn(tx, parsed.rows)));
  }
  return { ok: true, count: parsed.rows.length, created, updated, dryRun, ignoredColumns: parsed.ignoredColumns };
}
