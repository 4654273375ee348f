/** Renders rows to JSON, CSV or XLSX in the layout {@link parseTableFile} reads back unchanged. */
import { cellTextOf, type ColumnSpec } from './columns.js';
import { encodeCsv, writeCsv } from './csv.js';
import { contentTypes, type ExportFile, type FileFormat } from './format.js';
import { writeWorkbook } from './xlsx.js';

export interface ExportSpec<Row> {
  columns: readonly ColumnSpec<Extract<keyof Row, string>>[];
  sheetName: string;
  /** File name without extension, e.g. "thu-tuc". */
  baseName: string;
}

/** The header row and one row of cell texts per record. */
export function toGrid<Row>(spec: ExportSpec<Row>, rows: readonly Row[]): string[][] {
  return [spec.columns.map((c) => c.label), ...rows.map((r) => spec.columns.map((c) => cellTextOf(c.kind, r[c.key])))];
}

/** One export file; JSON holds the rows' own properties in column order. */
export async function renderTable<Row>(spec: ExportSpec<Row>, rows: readonly Row[], format: FileFormat): Promise<ExportFile> {
  const fileName = `${spec.baseName}.${format}`;
  if (format === 'json') {
    const plain = rows.map((r) => Object.fromEntries(spec.columns.map((c) => [c.key, r[c.key] ?? null])));
    return { body: Buffer.from(`${JSON.stringify(plain, null, 2)}\n`, 'utf8'), contentType: contentTypes.json, fileName };
  }
  const grid = toGrid(spec, rows);
  if (format === 'csv') return { body: encodeCsv(writeCsv(grid)), contentType: contentTypes.csv, fileName };
  const [header, ...body] = grid;
  const workbook = await writeWorkbook(spec.sheetName, header!, body, spec.columns.map((c) => c.width ?? 20));
  return { body: workbook, contentType: contentTypes.xlsx, fileName };
}
