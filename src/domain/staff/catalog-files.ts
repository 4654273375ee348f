/**
 * Import and export of the catalog (procedures, hotlines) from the admin: the catalog module does the parsing and
 * the all-or-nothing write; this adds who did it to the audit trail.
 */
import type { Db } from '../../db/client.js';
import { exportHotlines } from '../hotlines/export.js';
import { importHotlines } from '../hotlines/import.js';
import { exportProcedures } from '../procedures/export.js';
import { trackCatalogChanges } from '../content/catalog-update-post.js';
import { importProcedures } from '../procedures/import.js';
import { formatFromFileName, type ExportFile, type FileFormat, type ImportResult } from '../tabular/format.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';

export const catalogKinds = ['procedures', 'hotlines'] as const;
export type CatalogKind = (typeof catalogKinds)[number];

export function isCatalogKind(v: string): v is CatalogKind {
  return (catalogKinds as readonly string[]).includes(v);
}

export const maxImportBytes = 10 * 1024 * 1024;

export async function importCatalogFile(
  db: Db,
  input: { kind: CatalogKind; fileName: string; bytes: Uint8Array; dryRun: boolean; who: string },
): Promise<ImportResult & { draftedPost?: string | null }> {
  const format = formatFromFileName(input.fileName);
  if (!format) throw new StaffError('Chỉ nhận tệp .xlsx (Excel), .csv hoặc .json. Hãy lưu tệp ở một trong các dạng này rồi chọn lại.');
  if (input.bytes.length === 0) throw new StaffError('Tệp trống hoặc chưa được chọn. Hãy chọn lại tệp.');
  if (input.bytes.length > maxImportBytes) throw new StaffError('Tệp lớn quá 10 MB.');
  let draftedPost: string | null = null;
  let result: ImportResult;
  if (input.kind === 'procedures' && !input.dryRun) {
    // What the import changed in the published catalog is drafted into the catalog-update post.
    const tracked = await trackCatalogChanges(db, { source: 'import', who: input.who }, () => importProcedures(db, input.bytes, format));
    result = tracked.result;
    draftedPost = tracked.postSlug;
  } else {
    const run = input.kind === 'procedures' ? importProcedures : importHotlines;
    result = await run(db, input.bytes, format, { dryRun: input.dryRun });
  }
  if (result.ok && !result.dryRun) {
    await recordAudit(db, {
      who: input.who,
      action: `${input.kind === 'procedures' ? 'procedure' : 'hotline'}.import`,
      entity: input.kind === 'procedures' ? 'procedure' : 'hotline',
      detail: { fileName: input.fileName, count: result.count, created: result.created, updated: result.updated },
    });
  }
  return result.ok ? { ...result, draftedPost } : result;
}

export function exportCatalogFile(db: Db, kind: CatalogKind, format: FileFormat): Promise<ExportFile> {
  return kind === 'procedures' ? exportProcedures(db, format) : exportHotlines(db, format);
}
