/**
 * Importing a staff member's procedure file (JSON, CSV or XLSX): all or nothing. A file with one bad row is refused
 * with every bad row and column named in Vietnamese, and the database is left unchanged.
 */
import type { Db, DbTx } from '../../db/client.js';
import type { FileFormat, ImportResult } from '../tabular/format.js';
import { parseTableFile, type ParseOutcome, type TableSpec } from '../tabular/table-import.js';
import { bulkTransactionOptions, existingProcedureCodes, upsertProceduresIn } from './catalog.repo.js';
import { procedureColumns, procedureRowSchema, type ProcedureRow } from './procedure.schema.js';

export const procedureTable: TableSpec<ProcedureRow> = {
  noun: 'thủ tục',
  columns: procedureColumns,
  schema: procedureRowSchema,
  uniqueKey: 'code',
  jsonListKey: 'procedures',
};

/** Reads and validates a procedure file without touching the database. */
export function parseProcedureFile(bytes: Uint8Array, format: FileFormat): Promise<ParseOutcome<ProcedureRow>> {
  return parseTableFile(procedureTable, bytes, format);
}

/** Writes validated rows inside the caller's transaction (used by seeding and content sync). */
export async function applyProcedureRows(tx: DbTx, rows: readonly ProcedureRow[]) {
  return upsertProceduresIn(tx, rows);
}

/**
 * Imports a procedure file: new codes are added, existing codes updated, procedures not in the file left alone.
 * Columns absent from the file keep their stored values (a sheet without «Từ khóa» does not erase aliases).
 * With `dryRun`, validates and counts what would change without writing.
 */
export async function importProcedures(
  db: Db,
  bytes: Uint8Array,
  format: FileFormat,
  options: { dryRun?: boolean } = {},
): Promise<ImportResult> {
  const parsed = await parseProcedureFile(bytes, format);
  if (!parsed.ok) return parsed;
  const dryRun = options.dryRun ?? false;
  const { created, updated } = dryRun
    ? await (async () => {
        const existing = await existingProcedureCodes(
          db,
          parsed.rows.map((r) => r.code),
        );
        return { created: parsed.rows.length - existing.size, updated: existing.size };
      })()
    : await db.$transaction((tx) => applyProcedureRows(tx, parsed.rows), bulkTransactionOptions);
  return { ok: true, count: parsed.rows.length, created, updated, dryRun, ignoredColumns: parsed.ignoredColumns };
}
