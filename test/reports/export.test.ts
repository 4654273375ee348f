import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportReport, type ExportFormat } from '../../src/domain/reports/export/index.js';
import { formatCount, summaryParagraphs } from '../../src/domain/reports/export/summary.js';
import { reportLines } from '../../src/domain/reports/export/table.js';
import { validateManualEntry } from '../../src/domain/reports/manual.js';
import { insertManualEntry } from '../../src/domain/reports/manual.repo.js';
import { parsePeriod } from '../../src/domain/reports/period.js';
import { computeTallies, type Tallies } from '../../src/domain/reports/tallies.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';
import { receive, send } from './ledger-fixture.js';

function decodeXmlText(xml: string): string {
  return xml.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

describe(`report exports (${testDbKind})`, () => {
  let t: TestDb;
  let dir: string;
  let tallies: Tallies;
  const files = {} as Record<ExportFormat, string>;

  beforeAll(async () => {
    t = await createTestDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-export-'));
    await t.db.communeProfile.create({ data: { communeId: t.tenant.communeId, name: 'Xã Tân Phú', address: 'x', workingHours: 'x' } });
    await t.db.procedure.create({
      data: { catalogId: t.tenant.catalogId, code: '1.001193', name: 'Đăng ký khai sinh', field: 'Hộ tịch', documents: [], processingTime: '', fees: '', submitAt: '', legalBasis: [], aliases: [] },
    });
    const at = new Date('2024-03-02T02:00:00Z');
    for (let i = 0; i < 7; i++) await send(t.db, { channel: 'webchat', kind: 'post', topic: 'Dịch vụ công trực tuyến', at, outcome: 'sent' });
    await send(t.db, { channel: 'zalo', kind: 'post', topic: 'Thủ tục "hộ tịch", mới', at, outcome: 'sent' });
    for (let i = 0; i < 12; i++) {
      await receive(t.db, { channel: i % 2 ? 'zalo' : 'messenger', address: `u${i % 5}`, platformMessageId: `p${i}`, at, outcome: i < 9 ? 'answered' : 'unanswered', procedureCode: i < 9 ? '1.001193' : null, field: i < 9 ? 'Hộ tịch' : null });
      if (i < 10) await send(t.db, { channel: i % 2 ? 'zalo' : 'messenger', kind: 'reply', at, outcome: 'sent' });
    }
    await receive(t.db, { channel: 'zalo', address: 'u1', platformMessageId: 'h1', at, outcome: 'handover' });
    await send(t.db, { channel: 'zalo', kind: 'staff', at, outcome: 'sent' });
    await send(t.db, { channel: 'zalo', kind: 'reply', at, outcome: 'failed' });
    await insertManualEntry(t.db, validateManualEntry({ date: '2024-02-10', channel: 'radio', count: 1234, topic: 'Dịch vụ công trực tuyến', createdBy: 'cb' }));
    tallies = await computeTallies(t.db, parsePeriod('2024-H1'));
    for (const format of ['json', 'csv', 'xlsx', 'docx'] as const) {
      files[format] = path.join(dir, `report.${format}`);
      await exportReport(tallies, format, fs.createWriteStream(files[format]));
    }
  });
  afterAll(async () => {
    await t.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('JSON holds the tallies as computed', () => {
    const json = JSON.parse(fs.readFileSync(files.json, 'utf8')) as Tallies;
    expect(json).toEqual(tallies);
    expect(json.posts).toMatchObject({ service: 8, manual: 1234, total: 1242 });
    expect(json.replies.total).toBe(10);
    expect(json.inbound).toMatchObject({ messages: 13, citizens: 10 });
    expect(json.questions).toMatchObject({ answered: 9, unanswered: 3, choices: 0 });
    expect(json.staff).toMatchObject({ handovers: 1, replies: 1 });
    expect(json.failed.total).toBe(1);
    expect(json.topProcedures).toEqual([{ code: '1.001193', name: 'Đăng ký khai sinh', count: 9 }]);
    expect(json.authority).toBe('UBND xã Tân Phú');
  });

  it('CSV is UTF-8 with a BOM, quotes what needs it and holds every table line', () => {
    const bytes = fs.readFileSync(files.csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('Kỳ báo cáo,STT,Nội dung,Hệ thống đăng tự động,Ghi nhận thủ công,Tổng số');
    expect(lines).toHaveLength(reportLines(tallies).length + 1);
    expect(lines).toContain('6 tháng đầu năm 2024,I,"Tin, bài tuyên truyền cải cách hành chính đã đăng tải, theo hình thức",8,1234,1242');
    expect(lines).toContain('6 tháng đầu năm 2024,2,"Thủ tục ""hộ tịch"", mới",1,0,1');
    expect(lines).toContain('6 tháng đầu năm 2024,3,Câu hỏi được trả lời theo thủ tục hành chính,,,9');
  });

  it('XLSX opens in exceljs and holds the same numbers, in Times New Roman', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(files.xlsx);
    const sheet = workbook.getWorksheet('Thống kê')!;
    expect(String(sheet.getCell('A1').value)).toContain('THỐNG KÊ');
    expect(String(sheet.getCell('A2').value)).toContain('UBND xã Tân Phú — 6 tháng đầu năm 2024');
    const header = sheet.getRow(4);
    expect(header.getCell(2).value).toBe('Nội dung');
    expect(header.getCell(2).font?.bold).toBe(true);
    const lines = reportLines(tallies);
    lines.forEach((line, i) => {
      const row = sheet.getRow(5 + i);
      expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value, row.getCell(4).value, row.getCell(5).value]).toEqual([
        line.no || null,
        line.item,
        line.service,
        line.manual,
        line.total,
      ]);
      expect(row.getCell(2).font?.name).toBe('Times New Roman');
    });
    const first = sheet.getRow(5);
    expect(first.getCell(5).value).toBe(tallies.posts.total);
    expect(first.getCell(5).value).toBe(1242);
  });

  it('DOCX opens as a zip whose document holds the summary, the same numbers and Times New Roman 13–14 pt', async () => {
    const zip = await JSZip.loadAsync(fs.readFileSync(files.docx));
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = decodeXmlText([...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('\n'));
    for (const paragraph of summaryParagraphs(tallies)) expect(text).toContain(paragraph);
    expect(text).toContain('Trong 6 tháng đầu năm 2024, UBND xã Tân Phú đã đăng tải, phát 1.242 tin, bài tuyên truyền');
    expect(text).toContain('1.234 tin, bài trên Đài truyền thanh');
    expect(text).toContain('7 tin, bài trên Trang thông tin điện tử');
    expect(text).toContain('trả lời 9 lượt câu hỏi');
    for (const line of reportLines(tallies)) {
      expect(text).toContain(line.item);
      if (line.total !== null) expect(text).toContain(formatCount(line.total));
    }
    const fonts = new Set([...xml.matchAll(/w:ascii="([^"]+)"/g)].map((m) => m[1]));
    expect([...fonts]).toEqual(['Times New Roman']);
    const sizes = new Set([...xml.matchAll(/<w:sz w:val="(\d+)"\/>/g)].map((m) => Number(m[1])));
    expect([...sizes].sort()).toEqual([26, 28]);
  });

  it('numbers in the summary use Vietnamese digit grouping', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234567)).toBe('1.234.567');
  });
});
