/** Exporting the hotline directory in the layout the importer reads back unchanged. */
import type { DbTx } from '../../db/client.js';
import type { Hotline } from '../procedures/procedure.js';
import type { ExportFile, FileFormat } from '../tabular/format.js';
import { renderTable, type ExportSpec } from '../tabular/table-export.js';
import { listHotlines } from './hotline.repo.js';
import { hotlineColumns } from './hotline.schema.js';

export const hotlineExport: ExportSpec<Hotline> = { columns: hotlineColumns, sheetName: 'Đường dây nóng', baseName: 'duong-day-nong' };

export function renderHotlines(hotlines: readonly Hotline[], format: FileFormat): Promise<ExportFile> {
  return renderTable(hotlineExport, hotlines, format);
}

/** The whole directory, in display order, as a file. */
export async function exportHotlines(db: DbTx, format: FileFormat): Promise<ExportFile> {
  return renderHotlines(await listHotlines(db), format);
}
