/**
 * Feedback and satisfaction in the periodic report: exact per period at Vietnam local midnights, closed periods
 * unchanged by later answers, the database's GROUP BY equal to counting rows one by one over random data, and the
 * same figures in JSON, CSV, XLSX and DOCX (with the report-style paragraphs).
 */
import { communeIdOf } from '../../src/db/tenant.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { talliesFromLedgerRows } from '../../src/domain/reports/direct.js';
import { exportReport } from '../../src/domain/reports/export/index.js';
import { summaryParagraphs } from '../../src/domain/reports/export/summary.js';
import { reportLines } from '../../src/domain/reports/export/table.js';
import { parsePeriod } from '../../src/domain/reports/period.js';
import { computeTallies } from '../../src/domain/reports/tallies.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';

const lastInstantOfH1 = new Date('2024-06-30T16:59:59.999Z'); // 23:59:59.999 on 30 June in Vietnam
const firstInstantOfH2 = new Date('2024-06-30T17:00:00.000Z'); // 00:00 on 1 July in Vietnam
const later = new Date('2025-06-01T00:00:00Z');

describe(`feedback and satisfaction figures (${testDbKind})`, () => {
  let t: TestDb;
  let n = 0;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.destroy();
  });
  beforeEach(async () => {
    for (const table of ['FeedbackEvent', 'FeedbackItem', 'SatisfactionRating']) await t.db.$executeRawUnsafe(`DELETE FROM "${table}"`);
  });

  const item = (receivedAt: Date, over: Partial<{ subject: string; dueAt: Date; state: string; answeredAt: Date | null; transferredAt: Date | null; channel: string }> = {}) =>
    t.db.feedbackItem.create({
      data: {
        communeId: communeIdOf(t.db), code: `PA-2024-${String(++n).padStart(6, '0')}`, channel: over.channel ?? 'zalo', citizenRef: 'r', platformMessageId: `p${n}`, subject: over.subject ?? 'procedure', content: 'Nội dung phản ánh',
        receivedAt, dueAt: over.dueAt ?? new Date(receivedAt.getTime() + 14 * 86_400_000), state: over.state ?? 'new', answeredAt: over.answeredAt ?? null, transferredAt: over.transferredAt ?? null,
      },
    });
  const rating = (ratedAt: Date, score: string, over: Partial<{ channel: string; about: string; field: string | null; procedureCode: string | null }> = {}) =>
    t.db.satisfactionRating.create({
      data: { communeId: communeIdOf(t.db), channel: over.channel ?? 'zalo', platformMessageId: `r${++n}`, about: over.about ?? 'procedure', field: over.field ?? 'Hộ tịch', procedureCode: over.procedureCode ?? '1.001193', score, ratedAt },
    });

  it('counts an item and a rating at 23:59:59.999 on 30 June in H1, and at 00:00 on 1 July in H2', async () => {
    await item(lastInstantOfH1);
    await item(firstInstantOfH2);
    await item(firstInstantOfH2, { subject: 'conduct' });
    await rating(lastInstantOfH1, 'satisfied');
    await rating(firstInstantOfH2, 'unsatisfied');
    const h1 = await computeTallies(t.db, parsePeriod('2024-H1'), later);
    const h2 = await computeTallies(t.db, parsePeriod('2024-H2'), later);
    expect(h1.feedback.received).toBe(1);
    expect(h2.feedback.received).toBe(2);
    expect(h2.feedback.bySubject.map((s) => [s.key, s.count])).toEqual([['conduct', 1], ['procedure', 1]]);
    expect(h1.satisfaction.overall).toMatchObject({ total: 1, satisfied: 1, share: 100 });
    expect(h2.satisfaction.overall).toMatchObject({ total: 1, unsatisfied: 1, share: 0 });
    expect((await computeTallies(t.db, parsePeriod('2024'), later)).satisfaction.overall.total).toBe(2);
  });

  it('answered on time means by the due instant; a closed period does not change when an item is answered later', async () => {
    const received = new Date('2024-03-01T03:00:00Z');
    const due = new Date('2024-03-14T17:00:00Z');
    await item(received, { dueAt: due, state: 'answered', answeredAt: due });
    await item(received, { dueAt: due, state: 'answered', answeredAt: new Date(due.getTime() + 1) });
    await item(received, { dueAt: due, state: 'transferred', transferredAt: new Date('2024-03-02T03:00:00Z') });
    // Received in March, answered in April: open at the end of March, not yet overdue then.
    await item(received, { dueAt: new Date('2024-04-05T17:00:00Z'), state: 'answered', answeredAt: new Date('2024-04-02T03:00:00Z') });
    // Still open, past due by the end of March.
    await item(received, { dueAt: due, state: 'in_progress' });
    const march = await computeTallies(t.db, parsePeriod('2024-03'), later);
    expect(march.feedback).toMatchObject({ received: 5, answeredOnTime: 1, answeredLate: 1, transferred: 1, open: 2, overdue: 1 });
    const q1 = await computeTallies(t.db, parsePeriod('2024-Q1'), later);
    expect(q1.feedback).toMatchObject({ received: 5, answeredOnTime: 1, answeredLate: 1, transferred: 1, open: 2, overdue: 1 });
    const h1 = await computeTallies(t.db, parsePeriod('2024-H1'), later);
    expect(h1.feedback).toMatchObject({ received: 5, answeredOnTime: 2, answeredLate: 1, transferred: 1, open: 1, overdue: 1 });
    // The current period counts up to now.
    const now = new Date('2024-03-10T00:00:00Z');
    expect((await computeTallies(t.db, parsePeriod('2024-03'), now)).feedback).toMatchObject({ received: 5, answeredOnTime: 0, transferred: 1, open: 4, overdue: 0 });
  });

  it('the GROUP BY sums equal a row-by-row count over random data, for every period kind', async () => {
    let seed = 13;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const start = Date.parse('2023-12-25T00:00:00Z');
    const at = () => new Date(start + Math.floor(random() * 400 * 86_400_000));
    for (let i = 0; i < 150; i++) {
      const receivedAt = at();
      const dueAt = new Date(receivedAt.getTime() + Math.floor(random() * 20) * 86_400_000);
      const outcome = pick(['new', 'in_progress', 'answered', 'transferred'] as const);
      const closedAt = new Date(receivedAt.getTime() + Math.floor(random() * 40) * 86_400_000);
      await item(receivedAt, { subject: pick(['procedure', 'conduct', 'regulation']), dueAt, state: outcome, answeredAt: outcome === 'answered' ? closedAt : null, transferredAt: outcome === 'transferred' ? closedAt : null });
      await rating(at(), pick(['satisfied', 'satisfied', 'neutral', 'unsatisfied']), {
        channel: pick(['zalo', 'messenger', 'telegram', 'webchat']), about: pick(['procedure', 'followup', 'staff']),
        field: pick(['Hộ tịch', 'Chứng thực', null]), procedureCode: pick(['1.001193', '1.000894', null]),
      });
    }
    await t.db.procedure.deleteMany({});
    const feedback = await t.db.feedbackItem.findMany();
    const ratings = await t.db.satisfactionRating.findMany();
    for (const key of ['2024', '2024-H1', '2024-H2', '2024-Q3', '2024-9M', '2024-05', '2024-01-15..2024-03-31']) {
      const period = parsePeriod(key);
      const viaDb = await computeTallies(t.db, period, later);
      const direct = talliesFromLedgerRows(period, { outbound: [], inbound: [], manual: [], feedback, ratings, now: later }, { procedureNames: new Map(), communeName: null });
      expect(viaDb.feedback, key).toEqual(direct.feedback);
      expect(viaDb.satisfaction, key).toEqual(direct.satisfaction);
      expect(viaDb.satisfaction.overall.total, key).toBeGreaterThan(0);
    }
  });

  it('exports the figures in JSON, CSV, XLSX and DOCX, with the report-style paragraphs', async () => {
    const received = new Date('2024-02-01T03:00:00Z');
    await item(received, { state: 'answered', answeredAt: new Date('2024-02-03T03:00:00Z') });
    await item(received, { subject: 'conduct', state: 'transferred', transferredAt: new Date('2024-02-05T03:00:00Z') });
    await item(received, { subject: 'regulation', dueAt: new Date('2024-02-10T03:00:00Z') });
    for (const score of ['satisfied', 'satisfied', 'satisfied', 'neutral', 'unsatisfied', 'satisfied', 'satisfied']) await rating(received, score);
    await rating(received, 'satisfied', { channel: 'webchat', about: 'staff', field: null, procedureCode: null });
    const tallies = await computeTallies(t.db, parsePeriod('2024-H1'), later);
    expect(tallies.satisfaction.overall).toMatchObject({ total: 8, satisfied: 6, share: 75 });
    expect(tallies.satisfaction.staff).toMatchObject({ total: 1, share: 100 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-fb-report-'));
    try {
      const file = (f: string) => path.join(dir, `r.${f}`);
      for (const format of ['json', 'csv', 'xlsx', 'docx'] as const) await exportReport(tallies, format, fs.createWriteStream(file(format)));
      expect(JSON.parse(fs.readFileSync(file('json'), 'utf8')).feedback).toEqual(tallies.feedback);
      const csv = fs.readFileSync(file('csv'), 'utf8');
      expect(csv).toContain('"Phản ánh, kiến nghị đã tiếp nhận",,,3\r\n');
      expect(csv).toContain('"Quá hạn, chưa trả lời",,,1\r\n');
      expect(csv).toContain('Tỷ lệ hài lòng chung: 75%,,,\r\n');
      expect(csv).toContain('"– Zalo OA (hài lòng 71,4%)",,,7\r\n');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file('xlsx'));
      const cells = workbook.getWorksheet('Thống kê')!.getSheetValues().flat().map(String);
      expect(cells).toContain('Phản ánh, kiến nghị đã tiếp nhận');
      expect(cells).toContain('– Chưa hài lòng');
      const zip = await JSZip.loadAsync(fs.readFileSync(file('docx')));
      const xml = await zip.file('word/document.xml')!.async('string');
      const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('\n').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
      const paragraphs = summaryParagraphs(tallies);
      expect(paragraphs.some((p) => p.includes('đã tiếp nhận 3 phản ánh, kiến nghị'))).toBe(true);
      expect(paragraphs.some((p) => p.includes('tỷ lệ hài lòng đạt 75%'))).toBe(true);
      for (const p of paragraphs) expect(text).toContain(p);
      for (const line of reportLines(tallies)) expect(text).toContain(line.item);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
