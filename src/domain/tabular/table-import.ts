/**
 * Reads a staff member's file (JSON, CSV or XLSX) into validated rows, or refuses it with every problem named by
 * row and column in Vietnamese. Nothing here touches the database: callers write the rows in one transaction.
 */
import type { z } from 'zod';
import { cellValue, columnForHeader, jsonValue, type ColumnSpec } from './columns.js';
import { decodeCsv, parseCsv, type CsvDelimiter } from './csv.js';
import type { FileFormat, ImportIssue } from './format.js';
import { normalizeText } from './text.js';
import { readWorkbook, UnreadableWorkbookError } from './xlsx.js';

export interface TableSpec<Row extends Record<string, unknown>> {
  /** Vietnamese noun for one row, e.g. "thủ tục". */
  noun: string;
  columns: readonly ColumnSpec<Extract<keyof Row, string>>[];
  /** Validates one row; properties of columns absent from the file are undefined. */
  schema: z.ZodType<Row>;
  /** The column whose values must be unique within a file. */
  uniqueKey: Extract<keyof Row, string>;
  /** A JSON file may be an array or an object holding the array under this property. */
  jsonListKey: string;
}

export type ParseOutcome<Row> =
  | { ok: true; rows: Row[]; ignoredColumns: string[] }
  | { ok: false; errors: ImportIssue[] };

/** A row before validation, with where it came from for messages. */
interface RawRow {
  row: number;
  /** "Dòng 7" or "Mục 3". */
  place: string;
  /** "cột" (spreadsheet) or "trường" (JSON). */
  fieldWord: string;
  values: Record<string, unknown>;
}

type Gathered = { ok: true; raw: RawRow[]; ignoredColumns: string[] } | { ok: false; errors: ImportIssue[] };

const headerSearchRows = 10;

function fileIssue(message: string): ImportIssue {
  return { row: null, field: null, message };
}

function gatherJson<Row extends Record<string, unknown>>(spec: TableSpec<Row>, bytes: Uint8Array): Gathered {
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''));
  } catch (e) {
    const why = e instanceof SyntaxError ? e.message : 'tệp không phải văn bản UTF-8';
    return { ok: false, errors: [fileIssue(`Tệp JSON không đọc được (${why}). Hãy kiểm tra lại dấu ngoặc, dấu phẩy và dấu nháy.`)] };
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as Record<string, unknown>)[spec.jsonListKey])
      ? ((data as Record<string, unknown>)[spec.jsonListKey] as unknown[])
      : null;
  if (!list) {
    return { ok: false, errors: [fileIssue(`Tệp JSON phải là một danh sách [ … ] các ${spec.noun} (hoặc một đối tượng có thuộc tính "${spec.jsonListKey}" là danh sách đó).`)] };
  }
  const errors: ImportIssue[] = [];
  const ignored = new Set<string>();
  const raw: RawRow[] = [];
  list.forEach((item, index) => {
    const place = `Mục ${index + 1}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push({ row: index + 1, field: null, message: `${place}: mỗi ${spec.noun} phải là một đối tượng { … }.` });
      return;
    }
    const values: Record<string, unknown> = {};
    for (const [property, value] of Object.entries(item as Record<string, unknown>)) {
      const column = columnForHeader(spec.columns, property);
      if (!column) {
        ignored.add(property);
        continue;
      }
      values[column.key] = jsonValue(column.kind, value);
    }
    raw.push({ row: index + 1, place, fieldWord: 'trường', values });
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, raw, ignoredColumns: [...ignored] };
}

interface Grid {
  rows: { line: number; cells: string[] }[];
  /** Whether a cell held a number in the spreadsheet. */
  isNumeric(line: number, col: number): boolean;
  /** The target of a hyperlink cell. */
  hyperlink(line: number, col: number): string | undefined;
}

/** Finds the header row among the first rows (a sheet may start with a title) and maps cells to columns. */
function locateHeader<Row extends Record<string, unknown>>(spec: TableSpec<Row>, grid: Grid) {
  for (const [index, row] of grid.rows.slice(0, headerSearchRows).entries()) {
    const mapped = row.cells.map((h) => columnForHeader(spec.columns, h));
    const recognised = mapped.filter((c) => c !== undefined);
    if (recognised.length >= 2 && recognised.some((c) => c.key === spec.uniqueKey)) return { index, mapped };
  }
  return null;
}

function gatherGrid<Row extends Record<string, unknown>>(spec: TableSpec<Row>, grid: Grid): Gathered {
  const keyColumn = spec.columns.find((c) => c.key === spec.uniqueKey)!;
  const header = locateHeader(spec, grid);
  if (!header) {
    return {
      ok: false,
      errors: [
        {
          row: null,
          field: keyColumn.label,
          message: `Không tìm thấy dòng tiêu đề: ${headerSearchRows} dòng đầu không có dòng nào chứa cột «${keyColumn.label}» cùng các cột khác của ${spec.noun}. Hãy dùng tệp xuất ra từ hệ thống làm mẫu.`,
        },
      ],
    };
  }
  const headerRow = grid.rows[header.index]!;
  const errors: ImportIssue[] = [];
  const seen = new Map<string, number>();
  header.mapped.forEach((column, col) => {
    if (!column) return;
    const first = seen.get(column.key);
    if (first !== undefined) {
      errors.push({
        row: headerRow.line,
        field: column.label,
        message: `Dòng ${headerRow.line} (tiêu đề): cột «${column.label}» xuất hiện hai lần («${headerRow.cells[first]}» và «${headerRow.cells[col]}»). Hãy xóa một cột.`,
      });
    } else seen.set(column.key, col);
  });
  for (const column of spec.columns) {
    if (column.required && !seen.has(column.key)) {
      errors.push({ row: headerRow.line, field: column.label, message: `Dòng ${headerRow.line} (tiêu đề): thiếu cột «${column.label}».` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const ignoredColumns = headerRow.cells.filter((h, col) => !header.mapped[col] && normalizeText(h) !== '').map(normalizeText);
  const raw: RawRow[] = [];
  for (const row of grid.rows.slice(header.index + 1)) {
    const values: Record<string, unknown> = {};
    let anyMapped = false;
    for (const [key, col] of seen) {
      const column = spec.columns.find((c) => c.key === key)!;
      let text = row.cells[col] ?? '';
      if (column.fromNumber && grid.isNumeric(row.line, col)) text = column.fromNumber(text);
      if (column.link) text = grid.hyperlink(row.line, col) ?? text;
      if (text.trim() !== '') anyMapped = true;
      values[key] = cellValue(column.kind, text);
    }
    // A row with text only in ignored columns (e.g. a note under the table) is not a record.
    if (anyMapped) raw.push({ row: row.line, place: `Dòng ${row.line}`, fieldWord: 'cột', values });
  }
  return { ok: true, raw, ignoredColumns };
}

function detectCsvDelimiter<Row extends Record<string, unknown>>(spec: TableSpec<Row>, text: string): CsvDelimiter {
  let best: { delimiter: CsvDelimiter; score: number } = { delimiter: ',', score: -1 };
  const head = text.split(/\r?\n/).slice(0, headerSearchRows).join('\n');
  for (const delimiter of [',', ';', '\t'] as const) {
    const score = Math.max(
      0,
      ...parseCsv(head, delimiter).map((r) => r.cells.filter((c) => columnForHeader(spec.columns, c)).length),
    );
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

async function gather<Row extends Record<string, unknown>>(spec: TableSpec<Row>, bytes: Uint8Array, format: FileFormat): Promise<Gathered> {
  if (bytes.length === 0) return { ok: false, errors: [fileIssue('Tệp rỗng, không có dữ liệu.')] };
  if (format === 'json') return gatherJson(spec, bytes);
  if (format === 'csv') {
    const text = decodeCsv(bytes);
    if (text === null) {
      return { ok: false, errors: [fileIssue('Tệp CSV không dùng mã UTF-8 nên tiếng Việt sẽ bị lỗi. Trong Excel hãy chọn Lưu thành «CSV UTF-8 (Comma delimited)».')] };
    }
    const rows = parseCsv(text.replace(/^\uFEFF/, ''), detectCsvDelimiter(spec, text.replace(/^\uFEFF/, '')));
    return gatherGrid(spec, { rows, isNumeric: () => false, hyperlink: () => undefined });
  }
  let workbook: Awaited<ReturnType<typeof readWorkbook>>;
  try {
    workbook = await readWorkbook(bytes);
  } catch (e) {
    if (e instanceof UnreadableWorkbookError) {
      return { ok: false, errors: [fileIssue('Tệp không phải bảng tính Excel .xlsx đọc được (tệp .xls cũ hãy mở bằng Excel rồi lưu lại dạng .xlsx).')] };
    }
    throw e;
  }
  // The first sheet that has a recognisable header; a workbook may hold notes or other tables on other sheets.
  const grids = workbook.sheets.map((sheet) => ({
    rows: sheet.rows,
    isNumeric: (line: number, col: number) => workbook.numericCells.has(`${sheet.name}!${line}!${col}`),
    hyperlink: (line: number, col: number) => workbook.hyperlinks.get(`${sheet.name}!${line}!${col}`),
  }));
  const chosen = grids.find((g) => locateHeader(spec, g) !== null) ?? grids[0] ?? { rows: [], isNumeric: () => false, hyperlink: () => undefined };
  return gatherGrid(spec, chosen);
}

/** One row's schema problems, each naming the row and the column as staff see them. */
function rowIssues<Row extends Record<string, unknown>>(
  spec: TableSpec<Row>,
  raw: { row: number | null; place: string; fieldWord: string },
  issues: readonly z.core.$ZodIssue[],
): ImportIssue[] {
  return issues.map((issue) => {
    const key = issue.path[0];
    const column = spec.columns.find((c) => c.key === key);
    const label = column?.label ?? null;
    const where = label ? `${raw.place}, ${raw.fieldWord} «${label}»` : raw.place;
    const item = issue.path.length > 1 && typeof issue.path[1] === 'number' ? ` (mục thứ ${issue.path[1] + 1})` : '';
    return { row: raw.row, field: label, message: `${where}${item}: ${issue.message}` };
  });
}

/** Parses and validates a whole file; either every row is valid and unique, or every problem is reported. */
export async function parseTableFile<Row extends Record<string, unknown>>(
  spec: TableSpec<Row>,
  bytes: Uint8Array,
  format: FileFormat,
): Promise<ParseOutcome<Row>> {
  const gathered = await gather(spec, bytes, format);
  if (!gathered.ok) return gathered;
  if (gathered.raw.length === 0) {
    return { ok: false, errors: [fileIssue(`Tệp không có ${spec.noun} nào (chỉ có dòng tiêu đề hoặc danh sách rỗng).`)] };
  }
  const errors: ImportIssue[] = [];
  const rows: Row[] = [];
  const firstPlace = new Map<unknown, string>();
  const keyColumn = spec.columns.find((c) => c.key === spec.uniqueKey)!;
  for (const raw of gathered.raw) {
    // Duplicates are found on the raw key so a repeated row is reported even when its first copy is invalid too.
    const unique = raw.values[spec.uniqueKey];
    const earlier = unique === '' || unique === undefined ? undefined : firstPlace.get(unique);
    if (earlier !== undefined) {
      errors.push({
        row: raw.row,
        field: keyColumn.label,
        message: `${raw.place}, ${raw.fieldWord} «${keyColumn.label}»: «${String(unique)}» trùng với ${earlier.toLowerCase()}; mỗi ${spec.noun} chỉ được có một dòng.`,
      });
    }
    if (earlier === undefined && unique !== '' && unique !== undefined) firstPlace.set(unique, raw.place);
    // A duplicate row's other problems are listed too, so staff fix the file in one pass.
    const parsed = spec.schema.safeParse(raw.values);
    if (earlier !== undefined) {
      if (!parsed.success) errors.push(...rowIssues(spec, raw, parsed.error.issues));
      continue;
    }
    if (!parsed.success) {
      errors.push(...rowIssues(spec, raw, parsed.error.issues));
      continue;
    }
    rows.push(parsed.data);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, rows, ignoredColumns: gathered.ignoredColumns };
}
