/** Exporting the procedure catalog in the layout the importer reads back unchanged. */
import type { DbTx } from '../../db/client.js';
import type { ExportFile, FileFormat } from '../tabular/format.js';
import { renderTable, type ExportSpec } from '../tabular/table-export.js';
import { listAllProcedures } from './catalog.repo.js';
import type { Procedure } from './procedure.js';
import { procedureColumns } from './procedure.schema.js';

export const procedureExport: ExportSpec<Procedure> = { columns: procedureColumns, sheetName: 'Thủ tục', baseName: 'thu-tuc' };

/** Renders procedures (any list, e.g. from the database or content/) as a file. */
export function renderProcedures(procedures: readonly Procedure[], format: FileFormat): Promise<ExportFile> {
  return renderTable(procedureExport, procedures, format);
}

/** Every procedure in the database, active or not, as a file. */
export async function exportProcedures(db: DbTx, format: FileFormat): Promise<ExportFile> {
  return renderProcedures(await listAllProcedures(db), format);
}
