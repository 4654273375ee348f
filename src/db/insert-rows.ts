/**
 * A multi-row INSERT in one statement, for group commits: Prisma's createMany spends about 0.2 ms of CPU per row
 * validating and serialising, which dominated the ledger's cost per message. Values are bound parameters;
 * PostgreSQL types them from the target columns (JSON text into jsonb, dates into timestamp), and Date values are
 * serialised the way Prisma stores DateTime on SQLite, so Prisma reads the rows back unchanged.
 */
import { join, raw, sqltag } from '@prisma/client/runtime/client';
import type { DbTx } from './client.js';

export type ColumnValue = string | number | boolean | Date | null;

const identifier = (name: string) => {
  if (!/^[A-Za-z_]\w*$/.test(name)) throw new Error(`bad identifier ${name}`);
  return raw(`"${name}"`);
};

/**
 * Inserts `rows` (objects with exactly `columns`) into `table`; returns the new ids in insertion order.
 * Json columns take `JSON.stringify`d text. Identifiers are code constants, never input.
 */
export async function insertRows(tx: DbTx, table: string, columns: readonly string[], rows: readonly Record<string, ColumnValue>[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const values = join(
    rows.map((row) => sqltag`(${join(columns.map((c) => (row[c] === undefined ? null : row[c])))})`),
    ', ',
  );
  const inserted = await tx.$queryRaw<{ id: number | bigint }[]>`INSERT INTO ${identifier(table)} (${join(columns.map(identifier))}) VALUES ${values} RETURNING "id"`;
  // Ids of one multi-row INSERT ascend in row order (AUTOINCREMENT on SQLite, a sequence on PostgreSQL).
  return inserted.map((r) => Number(r.id)).sort((a, b) => a - b);
}
