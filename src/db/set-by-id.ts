/**
 * One UPDATE that sets a column to a different value per row: `SET col = CASE id WHEN … THEN … ELSE col END`.
 * Group commits use it instead of one statement per row. Portable: the ELSE branch gives PostgreSQL the column's
 * type for the untyped parameters, and Date parameters are serialised the way Prisma stores DateTime on SQLite.
 */
import { join, raw, sqltag } from '@prisma/client/runtime/client';
import type { DbTx } from './client.js';

type Value = string | number | Date | null;

/** Sets `column` of `table` per id; identifiers are code constants (never input). Returns the rows changed. */
export async function setColumnById(tx: DbTx, table: string, column: string, values: { id: number; value: Value }[]): Promise<number> {
  if (values.length === 0) return 0;
  if (!/^[A-Za-z_]\w*$/.test(table) || !/^[A-Za-z_]\w*$/.test(column)) throw new Error(`bad identifier ${table}.${column}`);
  const col = raw(`"${column}"`);
  const cases = join(
    values.map((v) => sqltag`WHEN ${v.id} THEN ${v.value}`),
    ' ',
  );
  const ids = join(values.map((v) => v.id));
  return tx.$executeRaw`UPDATE ${raw(`"${table}"`)} SET ${col} = CASE "id" ${cases} ELSE ${col} END WHERE "id" IN (${ids})`;
}
