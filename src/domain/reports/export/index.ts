/**
 * Report exports: the same figures as JSON, CSV (UTF-8 with BOM), XLSX and DOCX, each written to a stream.
 * @example await exportReport(await computeTallies(db, parsePeriod('2024-H1')), 'docx', fs.createWriteStream('bc.docx'))
 */
import type { Writable } from 'node:stream';
import type { Tallies } from '../tallies.js';
import { writeCsv } from './csv.js';
import { writeJson } from './json.js';

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Formats that are text and may go to a terminal. */
export function isTextFormat(format: ExportFormat): boolean {
  return format === 'json' || format === 'csv';
}

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** A file name for the export of a period, e.g. "bao-cao-2024-H1.docx". */
export function exportFileName(t: Tallies, format: ExportFormat): string {
  return `bao-cao-${t.period.key.replace(/\.\./g, '_')}.${format}`;
}

const writers: Record<ExportFormat, (t: Tallies, out: Writable) => Promise<void>> = {
  json: writeJson,
  csv: writeCsv,
  // exceljs and docx hold a few MB of code and heap the running service needs only when staff export: loaded then.
  xlsx: async (t, out) => (await import('./xlsx.js')).writeXlsx(t, out),
  docx: async (t, out) => (await import('./docx.js')).writeDocx(t, out),
};

/** Writes the figures in the given format to `out`, ends it and resolves once everything is flushed. */
export async function exportReport(t: Tallies, format: ExportFormat, out: Writable): Promise<void> {
  const finished = new Promise<void>((resolve, reject) => {
    if (out.writableFinished) return resolve();
    out.once('finish', resolve);
    out.once('error', reject);
  });
  await writers[format](t, out);
  if (!out.writableEnded) out.end();
  await finished;
}
