/** The file formats staff import and export, and the result types the importers share. */

export const fileFormats = ['json', 'csv', 'xlsx'] as const;
export type FileFormat = (typeof fileFormats)[number];

/** The format a file name's extension names, or null. */
export function formatFromFileName(name: string): FileFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return ext === 'json' || ext === 'csv' || ext === 'xlsx' ? ext : null;
}

export const contentTypes: Record<FileFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * One problem of a refused file, in Vietnamese for the staff member who must fix it.
 * `row`: the spreadsheet/CSV line or JSON item number (1-based), null for the whole file.
 * `field`: the column's Vietnamese label, null when no single column is at fault.
 */
export interface ImportIssue {
  row: number | null;
  field: string | null;
  message: string;
}

/** What an import did: either every row was written, or nothing was and every problem is listed. */
export type ImportResult =
  | { ok: true; count: number; created: number; updated: number; dryRun: boolean; ignoredColumns: string[] }
  | { ok: false; errors: ImportIssue[] };

/** A rendered export file. */
export interface ExportFile {
  body: Buffer;
  contentType: string;
  /** Suggested file name, e.g. thu-tuc.xlsx. */
  fileName: string;
}
