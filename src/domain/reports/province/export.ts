/**
 * The province report as JSON, CSV (UTF-8 with BOM), XLSX (one row per commune, then the totals) and DOCX (a
 * summary paragraph for the province, then the table), each written to a stream.
 */
import type { Writable } from 'node:stream';
import { AlignmentType, BorderStyle, Document, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import type { ExportFormat } from '../export/index.js';
import { writeAll } from '../export/stream.js';
import { formatCount } from '../export/summary.js';
import { PROVINCE_COLUMNS, type ProvinceFigures, type ProvinceReport } from './tallies.js';

const FONT = 'Times New Roman';
const TOTAL_LABEL = 'Toàn tỉnh';
const headers = ['STT', 'Xã, phường', ...PROVINCE_COLUMNS.map((c) => c.label)];

/** Table rows: one per commune, then the totals; numbers stay numbers. */
function tableRows(r: ProvinceReport): (string | number)[][] {
  const values = (f: ProvinceFigures) => PROVINCE_COLUMNS.map((c) => f[c.key]);
  return [...r.communes.map((c, i) => [i + 1, c.name, ...values(c)]), ['', TOTAL_LABEL, ...values(r.totals)]];
}

/** A file name for the province report of a period, e.g. "bao-cao-tinh-2024-H1.xlsx". */
export function provinceFileName(r: ProvinceReport, format: ExportFormat): string {
  return `bao-cao-tinh-${r.period.key.replace(/\.\./g, '_')}.${format}`;
}

/** The province's summary paragraph (Vietnamese, report style). */
export function provinceSummary(r: ProvinceReport): string {
  const t = r.totals;
  const n = r.communes.length;
  const most = [...r.communes].sort((a, b) => b.posts - a.posts || a.name.localeCompare(b.name, 'vi'))[0];
  const parts = [
    `${r.period.label.charAt(0).toUpperCase()}${r.period.label.slice(1)}, ${formatCount(n)} xã, phường đã đăng ${formatCount(t.posts)} tin bài tuyên truyền cải cách hành chính`,
    `(${formatCount(t.postsService)} tin bài do hệ thống đăng, ${formatCount(t.postsManual)} tin bài ghi nhận thủ công);`,
    `tiếp nhận ${formatCount(t.inbound)} tin nhắn của ${formatCount(t.citizens)} người dân, trả lời được ${formatCount(t.answered)} câu hỏi,`,
    `${formatCount(t.unanswered)} câu hỏi chưa trả lời được và ${formatCount(t.handovers)} lượt chuyển cán bộ xử lý.`,
  ];
  if (most && most.posts > 0) parts.push(`Đơn vị đăng nhiều tin bài nhất: ${most.name} (${formatCount(most.posts)} tin bài).`);
  return parts.join(' ');
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function writeCsv(r: ProvinceReport, out: Writable): Promise<void> {
  await writeAll(out, `\uFEFF${['Kỳ báo cáo', ...headers].map(csvField).join(',')}\r\n`);
  for (const row of tableRows(r)) await writeAll(out, `${[r.period.label, ...row].map(csvField).join(',')}\r\n`);
}

async function writeJson(r: ProvinceReport, out: Writable): Promise<void> {
  await writeAll(out, `${JSON.stringify(r, null, 2)}\n`);
}

async function writeXlsx(r: ProvinceReport, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Toàn tỉnh', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [{ width: 6 }, { width: 32 }, ...PROVINCE_COLUMNS.map(() => ({ width: 14 }))];
  const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 12, ...extra });
  const title = sheet.addRow([`TỔNG HỢP KẾT QUẢ TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH CỦA CÁC XÃ, PHƯỜNG — ${r.period.label.toUpperCase()}`]);
  sheet.mergeCells(title.number, 1, title.number, headers.length);
  title.getCell(1).font = font({ bold: true, size: 14 });
  title.getCell(1).alignment = { horizontal: 'center', wrapText: true };
  title.height = 36;
  title.commit();
  sheet.addRow([]).commit();
  const thin = { style: 'thin' as const };
  const border = { top: thin, left: thin, bottom: thin, right: thin };
  const header = sheet.addRow(headers);
  header.eachCell((cell) => {
    cell.font = font({ bold: true });
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = border;
  });
  header.height = 48;
  header.commit();
  const rows = tableRows(r);
  rows.forEach((values, i) => {
    const row = sheet.addRow(values);
    const total = i === rows.length - 1;
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      cell.font = font({ bold: total });
      cell.border = border;
      if (c >= 3) cell.numFmt = '#,##0';
    });
    row.commit();
  });
  sheet.commit();
  await workbook.commit();
}

async function writeDocx(r: ProvinceReport, out: Writable): Promise<void> {
  const run = (text: string, bold = false, size = 26) => new TextRun({ text, font: FONT, size, bold });
  const cell = (text: string, bold: boolean, left: boolean) =>
    new TableCell({ children: [new Paragraph({ alignment: left ? AlignmentType.LEFT : AlignmentType.RIGHT, children: [run(text, bold, 22)] })] });
  const rows = tableRows(r);
  const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: line, bottom: line, left: line, right: line, insideHorizontal: line, insideVertical: line },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true, true)) }),
      ...rows.map((values, i) => new TableRow({
        children: values.map((v, c) => cell(typeof v === 'number' && c > 0 ? formatCount(v) : String(v), i === rows.length - 1, c === 1)),
      })),
    ],
  });
  const document = new Document({
    title: `Tổng hợp toàn tỉnh ${r.period.label}`,
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections: [{
      properties: { page: { size: { orientation: PageOrientation.LANDSCAPE }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
      children: [
        new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [run('TỔNG HỢP KẾT QUẢ TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH CỦA CÁC XÃ, PHƯỜNG', true, 28)] }),
        new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [run(r.period.label, false, 28)] }),
        new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 567 }, spacing: { after: 240, line: 312 }, children: [run(provinceSummary(r), false, 28)] }),
        table,
      ],
    }],
  });
  await writeAll(out, await Packer.toBuffer(document));
}

const writers: Record<ExportFormat, (r: ProvinceReport, out: Writable) => Promise<void>> = { json: writeJson, csv: writeCsv, xlsx: writeXlsx, docx: writeDocx };

/** Writes the province report in `format` to `out`, ends it and resolves once everything is flushed. */
export async function exportProvinceReport(r: ProvinceReport, format: ExportFormat, out: Writable): Promise<void> {
  const finished = new Promise<void>((resolve, reject) => {
    if (out.writableFinished) return resolve();
    out.once('finish', resolve);
    out.once('error', reject);
  });
  await writers[format](r, out);
  if (!out.writableEnded) out.end();
  await finished;
}
