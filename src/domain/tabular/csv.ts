/**
 * CSV as spreadsheet programs write it (RFC 4180): quoted fields may hold the delimiter, quotes ("") and line
 * breaks. Reading accepts a UTF-8 BOM and UTF-16 (Excel's "Unicode text"); writing emits UTF-8 with a BOM and CRLF
 * so Excel opens Vietnamese text correctly.
 */

export type CsvDelimiter = ',' | ';' | '\t';

/**
 * One parsed record with its 1-based row number as a spreadsheet shows it: a quoted cell spanning several lines is
 * still one row, and blank lines count as (empty) rows, as when Excel opens the file.
 */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** Decodes a CSV file's bytes; returns null when the bytes are not UTF-8 or UTF-16 with a BOM. */
export function decodeCsv(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/** Splits CSV text into records; a record whose cells are all empty is dropped. */
export function parseCsv(text: string, delimiter: CsvDelimiter): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let row = 0;
  const endRecord = () => {
    cells.push(cell);
    cells = cells.map(unescapeCell);
    row++;
    if (cells.some((c) => c.trim() !== '')) records.push({ line: row, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}

/** A cell a spreadsheet would run as a formula (OWASP's list: = + - @ tab CR), or our own escape of one. */
const formulaStart = /^'*[=+\-@\t\r]/;
/** A plain number (a negative count, a signed amount) is data, not a formula: left as it is. */
const plainNumber = /^[+-]?\d+(?:[.,]\d+)?$/;

/**
 * One CSV cell, safe to open in a spreadsheet: a value that starts like a formula gets a leading apostrophe (OWASP's
 * CSV injection rule), then quoting where the delimiter, quotes, line breaks or edge spaces need it. Every CSV the
 * service writes goes through here; {@link parseCsv} removes the apostrophe again, so exports re-import unchanged.
 */
export function csvCell(value: string | number | null | undefined, delimiter: CsvDelimiter = ','): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = formulaStart.test(value) && !plainNumber.test(value) ? `'${value}` : value;
  return /["\r\n]/.test(safe) || safe.includes(delimiter) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The value {@link csvCell} neutralised, back as it was. */
function unescapeCell(cell: string): string {
  return cell.startsWith("'") && formulaStart.test(cell.slice(1)) && !plainNumber.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** Writes rows as CSV text with CRLF line ends (no BOM: see {@link encodeCsv}). */
export function writeCsv(rows: string[][], delimiter: CsvDelimiter = ','): string {
  return rows.map((r) => r.map((c) => csvCell(c, delimiter)).join(delimiter)).join('\r\n') + '\r\n';
}

/** UTF-8 bytes with a BOM: Excel needs the BOM to read Vietnamese text in a CSV correctly. */
export function encodeCsv(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}
