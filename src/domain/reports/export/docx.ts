import type { Writable } from 'node:stream';
import { AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Tallies } from '../tallies.js';
import { writeAll } from './stream.js';
import { formatCount, summaryParagraphs } from './summary.js';
import { reportLines, TABLE_HEADERS } from './table.js';

const FONT = 'Times New Roman';
/** Sizes in half-points: 14 pt for the text, 13 pt in the table, as in commune reports. */
const TEXT_SIZE = 28;
const TABLE_SIZE = 26;
const COLUMN_WIDTHS = [8, 52, 14, 14, 12];

function run(text: string, options: { bold?: boolean; italics?: boolean; size?: number } = {}): TextRun {
  return new TextRun({ text, font: FONT, size: options.size ?? TEXT_SIZE, bold: options.bold, italics: options.italics });
}

function cell(text: string, column: number, bold: boolean): TableCell {
  const alignment = column === 1 ? AlignmentType.LEFT : column === 0 ? AlignmentType.CENTER : AlignmentType.RIGHT;
  return new TableCell({
    width: { size: COLUMN_WIDTHS[column] ?? 10, type: WidthType.PERCENTAGE },
    children: [new Paragraph({ alignment: bold && column !== 1 ? AlignmentType.CENTER : alignment, children: [run(text, { bold, size: TABLE_SIZE })] })],
  });
}

const count = (n: number | null) => (n === null ? '' : formatCount(n));

/**
 * The statistics section of the periodic report as a Word document: a heading, the summary paragraphs in the commune
 * report's style, then the table; Times New Roman, 14 pt text and 13 pt table, A4 margins of a Vietnamese
 * administrative document.
 */
export async function writeDocx(t: Tallies, out: Writable): Promise<void> {
  const lines = reportLines(t);
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: {
      top: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
      bottom: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
      left: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
      right: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
      insideHorizontal: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
      insideVertical: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
    },
    rows: [
      new TableRow({ tableHeader: true, children: TABLE_HEADERS.map((h, i) => cell(h, i, true)) }),
      ...lines.map(
        (l) =>
          new TableRow({
            children: [l.no, l.item, count(l.service), count(l.manual), count(l.total)].map((text, i) => cell(text, i, l.heading)),
          }),
      ),
    ],
  });
  const body = (text: string) =>
    new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 567 }, spacing: { before: 60, after: 60, line: 312 }, children: [run(text)] });
  const document = new Document({
    creator: t.authority,
    title: `Thống kê ${t.period.label}`,
    styles: { default: { document: { run: { font: FONT, size: TEXT_SIZE } } } },
    sections: [
      {
        properties: { page: { margin: { top: 1134, bottom: 1134, left: 1701, right: 1134 } } },
        children: [
          new Paragraph({
            alignment: AlignmentType.JUSTIFIED,
            spacing: { after: 120 },
            children: [run(`Kết quả tuyên truyền cải cách hành chính và hỗ trợ người dân qua hệ thống trả lời tự động ${t.period.label}`, { bold: true })],
          }),
          ...summaryParagraphs(t).map(body),
          new Paragraph({ spacing: { before: 120, after: 120 }, children: [run(`Bảng số liệu ${t.period.label}:`, { italics: true })] }),
          table,
        ],
      },
    ],
  });
  await writeAll(out, await Packer.toBuffer(document));
}
