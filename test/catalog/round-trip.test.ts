import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAllProcedures } from '../../src/domain/procedures/catalog.repo.js';
import { exportProcedures, renderProcedures } from '../../src/domain/procedures/export.js';
import { importProcedures } from '../../src/domain/procedures/import.js';
import { seedCatalogIfEmpty } from '../../src/domain/procedures/seed.js';
import { fileFormats } from '../../src/domain/tabular/format.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';
import { sampleProcedures } from './fixtures.js';

const contentDir = path.resolve(import.meta.dirname, '../../content');

describe(`procedure export → import round trip (${testDbKind})`, () => {
  let source: TestDb;
  let target: TestDb;
  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDb(), createTestDb()]);
    await seedCatalogIfEmpty(source.db, contentDir);
    // Edge cases the real content lacks: an inactive procedure, a single document containing ";", empty lists.
    const extra = sampleProcedures.map((p, i) => ({ ...p, code: `XA-90${i}` }));
    expect(await importProcedures(source.db, Buffer.from(JSON.stringify(extra)), 'json')).toMatchObject({ ok: true, created: 3 });
  });
  afterAll(async () => {
    await Promise.all([source.destroy(), target.destroy()]);
  });

  for (const format of fileFormats) {
    it(`${format}: the export re-imports into an empty database unchanged, and re-exports identically`, async () => {
      await target.db.procedure.deleteMany();
      const original = await listAllProcedures(source.db);
      expect(original).toHaveLength(81);
      const file = await exportProcedures(source.db, format);
      expect(file.fileName).toBe(`thu-tuc.${format}`);
      const result = await importProcedures(target.db, file.body, format);
      expect(result).toEqual({ ok: true, count: 81, created: 81, updated: 0, dryRun: false, ignoredColumns: [] });
      expect(await listAllProcedures(target.db)).toEqual(original);
      if (format !== 'xlsx') expect((await exportProcedures(target.db, format)).body.equals(file.body)).toBe(true);
      // Re-importing the same file over itself changes nothing either.
      expect(await importProcedures(target.db, file.body, format)).toMatchObject({ ok: true, updated: 81, created: 0 });
      expect(await listAllProcedures(target.db)).toEqual(original);
    });
  }

  it('CSV is UTF-8 with a BOM and the Vietnamese header; XLSX has the same header and one item per line', async () => {
    const csv = await renderProcedures(sampleProcedures, 'csv');
    expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.body.toString('utf8').slice(1).split('\r\n')[0]).toBe(
      'Mã thủ tục,Tên thủ tục,Lĩnh vực,Thành phần hồ sơ,Thời hạn giải quyết,"Phí, lệ phí",Nơi nộp,Đường dẫn DVC trực tuyến,Mức độ,Căn cứ pháp lý,Từ khóa,Tình huống,Đối tượng thực hiện,Nguồn,Đang áp dụng',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderProcedures(sampleProcedures, 'xlsx')).body as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('Thủ tục')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Mã thủ tục');
    expect(sheet.getRow(2).getCell(4).value).toBe('Tờ khai đăng ký khai sinh theo mẫu\nGiấy chứng sinh; không có thì văn bản người làm chứng');
    expect(sheet.getRow(3).getCell(15).value).toBe('Không');
    expect(sheet.getRow(2).getCell(12).value).toBe(sampleProcedures[0]!.situations.join('\n'));
  });
});
