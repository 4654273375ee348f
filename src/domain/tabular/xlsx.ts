/**
 * Reading and writing .xlsx workbooks with exceljs. Reading turns every cell into the text a staff member sees
 * (numbers, dates, formulas' results, rich text, hyperlinks); writing produces one sheet with a bold, frozen header.
 */
import type ExcelJS from 'exceljs';

/** exceljs takes most of a second to load: loaded on first use so the service starts without it. */
async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

/** One non-empty row of a sheet with its 1-based row number. */
export interface SheetRow {
  line: number;
  cells: string[];
}

export interface Sheet {
  name: string;
  rows: SheetRow[];
}

/** Thrown when the bytes are not a workbook exceljs can open. */
export class UnreadableWorkbookError extends Error {}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The text of one cell value as shown to people; dates as dd/mm/yyyy (they are calendar dates in a sheet). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    return `${pad2(value.getUTCDate())}/${pad2(value.getUTCMonth() + 1)}/${value.getUTCFullYear()}`;
  }
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) {
    const text = typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
    return text || value.hyperlink;
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result === undefined ? '' : cellText(result as ExcelJS.CellValue);
  }
  if ('error' in value) return String(value.error);
  return '';
}

/** Every sheet of a workbook as rows of cell texts (raw numbers stay numbers' shortest decimal form). */
export async function readWorkbook(
  bytes: Uint8Array,
): Promise<{ sheets: Sheet[]; numericCells: Set<string>; hyperlinks: Map<string, string> }> {
  const workbook = new (await excel()).Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new UnreadableWorkbookError(e instanceof Error ? e.message : String(e));
  }
  const sheets: Sheet[] = [];
  /** "sheet!row!col" of cells that held a number: a code typed as 1.00119 lost its trailing zero. */
  const numericCells = new Set<string>();
  /** "sheet!row!col" → link target of cells showing a text such as "Nộp trực tuyến" over a link. */
  const hyperlinks = new Map<string, string>();
  workbook.eachSheet((sheet) => {
    const rows: SheetRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, line) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cells[col - 1] = cellText(cell.value);
        const at = `${sheet.name}!${line}!${col - 1}`;
        if (typeof cell.value === 'number') numericCells.add(at);
        if (cell.value && typeof cell.value === 'object' && 'hyperlink' in cell.value) hyperlinks.set(at, cell.value.hyperlink);
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= '';
      if (cells.some((c) => c.trim() !== '')) rows.push({ line, cells });
    });
    sheets.push({ name: sheet.name, rows });
  });
  return { sheets, numericCells, hyperlinks };
}

/** A one-sheet workbook: bold frozen header, wrapped text, the given column widths (in characters). */
export async function writeWorkbook(sheetName: string, header: string[], rows: string[][], widths: number[]): Promise<Buffer> {
  const workbook = new (await excel()).Workbook();
  workbook.creator = 'cchc-bot';
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = header.map((h, i) => ({ header: h, width: widths[i] ?? 20 }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
  sheet.eachRow((row) => {
    row.alignment = { wrapText: true, vertical: 'top' };
  });
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
