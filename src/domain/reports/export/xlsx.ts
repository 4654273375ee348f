import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Tallies } from '../tallies.js';
import { reportLines, TABLE_HEADERS } from './table.js';

const FONT = 'Times New Roman';
const thin = { style: 'thin' as const };
const border = { top: thin, left: thin, bottom: thin, right: thin };

/**
 * The statistics table as an Excel workbook (one sheet "Thống kê"): title, period, a bordered table with a bold
 * header and bold section lines, numbers as numbers. Written with exceljs's streaming writer: rows are committed as
 * they are added.
 */
export async function writeXlsx(t: Tallies, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = t.authority;
  const sheet = workbook.addWorksheet('Thống kê', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [{ width: 7 }, { width: 60 }, { width: 16 }, { width: 16 }, { width: 12 }];
  const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 13, ...extra });

  const title = sheet.addRow(['THỐNG KÊ KẾT QUẢ TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH VÀ HỖ TRỢ NGƯỜI DÂN']);
  sheet.mergeCells(title.number, 1, title.number, 5);
  title.getCell(1).font = font({ bold: true, size: 14 });
  title.getCell(1).alignment = { horizontal: 'center', wrapText: true };
  title.height = 36;
  title.commit();
  const sub = sheet.addRow([`${t.authority} — ${t.period.label} (từ ${t.period.firstDay.split('-').reverse().join('/')} đến ${t.period.lastDay.split('-').reverse().join('/')})`]);
  sheet.mergeCells(sub.number, 1, sub.number, 5);
  sub.getCell(1).font = font({ italic: true });
  sub.getCell(1).alignment = { horizontal: 'center' };
  sub.commit();
  sheet.addRow([]).commit();

  const header = sheet.addRow([...TABLE_HEADERS]);
  header.eachCell((cell) => {
    cell.font = font({ bold: true });
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = border;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E2F3' } };
  });
  header.height = 34;
  header.commit();

  for (const line of reportLines(t)) {
    const row = sheet.addRow([line.no, line.item, line.service, line.manual, line.total]);
    for (let c = 1; c <= 5; c++) {
      const cell = row.getCell(c);
      cell.font = font({ bold: line.heading });
      cell.border = border;
      cell.alignment = c === 2 ? { wrapText: true, vertical: 'middle' } : { horizontal: c === 1 ? 'center' : 'right', vertical: 'middle' };
      if (c >= 3) cell.numFmt = '#,##0';
    }
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}
