import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getProcedureByCode, listAllProcedures, updateProcedure } from '../../src/domain/procedures/catalog.repo.js';
import { importProcedures } from '../../src/domain/procedures/import.js';
import type { ImportResult } from '../../src/domain/tabular/format.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';
import { sampleProcedures, sheetRow, staffCsv, staffWorkbook } from './fixtures.js';

function refused(result: ImportResult) {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return result.errors;
}

describe(`procedure import (${testDbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.destroy();
  });
  beforeEach(async () => {
    await t.db.procedure.deleteMany();
  });

  it('imports a JSON file and stores every property', async () => {
    const result = await importProcedures(t.db, Buffer.from(JSON.stringify(sampleProcedures)), 'json');
    expect(result).toEqual({ ok: true, count: 3, created: 3, updated: 0, dryRun: false, ignoredColumns: [] });
    expect(await listAllProcedures(t.db)).toEqual(sampleProcedures);
  });

  it('imports a staff spreadsheet: title row, STT column, a code Excel stored as a number, rich text and a hyperlink', async () => {
    const rows: ExcelJS.CellValue[][] = sampleProcedures.map(sheetRow);
    // 1.000890 typed into a General cell is stored by Excel as the number 1.00089.
    rows[1]![0] = 1.00089;
    rows[0]![1] = { richText: [{ text: 'Thủ tục ' }, { text: 'đăng ký khai sinh', font: { bold: true } }] };
    rows[0]![7] = { text: 'Nộp trực tuyến', hyperlink: 'https://dichvucong.gov.vn/p/1' };
    const result = await importProcedures(t.db, await staffWorkbook(rows), 'xlsx');
    expect(result).toMatchObject({ ok: true, count: 3, created: 3, ignoredColumns: ['STT'] });
    const stored = await listAllProcedures(t.db);
    expect(stored.map((p) => p.code)).toEqual(['1.001193', '1.000890', 'XA-001']);
    expect(stored[0]).toEqual(sampleProcedures[0]);
    // A cell without line breaks is split at ";", as staff write lists.
    expect(stored[1]!.documents).toEqual(['Tờ khai đăng ký kết hôn', 'hai bên có thể khai chung']);
    expect(stored[2]!.legalBasis).toEqual(['Nghị định 86/2023/NĐ-CP']);
    expect(stored[0]!.aliases).toEqual(['làm giấy khai sinh', 'khai sinh cho con']);
  });

  it('imports CSV with "," or with ";" (Excel in a Vietnamese locale) and English headers', async () => {
    const comma = staffCsv(sampleProcedures.map(sheetRow));
    expect(await importProcedures(t.db, Buffer.from(comma), 'csv')).toMatchObject({ ok: true, count: 3, created: 3 });
    const semicolon = staffCsv(sampleProcedures.map(sheetRow), ';');
    expect(await importProcedures(t.db, Buffer.from(`\uFEFF${semicolon}`), 'csv')).toMatchObject({ ok: true, count: 3, updated: 3 });
    const english =
      'code,name,field,documents,processingTime,fees,submitAt\r\n1.004222,Đăng ký thường trú,Cư trú,Tờ khai CT01;Giấy tờ chỗ ở hợp pháp,7 ngày làm việc,Theo quy định,Công an xã\r\n';
    expect(await importProcedures(t.db, Buffer.from(english), 'csv')).toMatchObject({ ok: true, count: 1, created: 1 });
    expect(await getProcedureByCode(t.db, '1.004222')).toMatchObject({
      documents: ['Tờ khai CT01', 'Giấy tờ chỗ ở hợp pháp'],
      onlineUrl: null,
      aliases: [],
      active: true,
    });
  });

  it('a file with one bad row changes nothing and names the row and the column', async () => {
    await importProcedures(t.db, Buffer.from(JSON.stringify(sampleProcedures)), 'json');
    const before = await listAllProcedures(t.db);
    const rows = sampleProcedures.map(sheetRow);
    rows[0]![2] = 'Hộ tịch (đã sửa)';
    rows.push(sheetRow({ ...sampleProcedures[0]!, code: '1.00x', name: 'Mới' }));
    // Title row, blank row, header: data starts at line 4, so the 4th data row is line 7.
    const errors = refused(await importProcedures(t.db, await staffWorkbook(rows), 'xlsx'));
    expect(errors).toEqual([
      {
        row: 7,
        field: 'Mã thủ tục',
        message: 'Dòng 7, cột «Mã thủ tục»: mã «1.00x» không đúng dạng 1.001193 (mã quốc gia) hoặc XA-001 (mã riêng của xã khi chưa có mã quốc gia)',
      },
    ]);
    expect(await listAllProcedures(t.db)).toEqual(before);
  });

  it('lists every bad row and field, in CSV line numbers, and refuses duplicate codes', async () => {
    const rows = sampleProcedures.map(sheetRow);
    rows[0]![3] = '';
    rows[0]![8] = 'mức 4';
    rows[1]![7] = 'dichvucong.gov.vn';
    rows[2]![14] = 'có lẽ';
    rows.push(sheetRow(sampleProcedures[0]!));
    const errors = refused(await importProcedures(t.db, Buffer.from(staffCsv(rows)), 'csv'));
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [2, 'Thành phần hồ sơ'],
      [2, 'Mức độ'],
      [3, 'Đường dẫn DVC trực tuyến'],
      [4, 'Đang áp dụng'],
      [5, 'Mã thủ tục'],
    ]);
    expect(errors[0]!.message).toBe('Dòng 2, cột «Thành phần hồ sơ»: cần ít nhất một giấy tờ');
    expect(errors[2]!.message).toContain('«dichvucong.gov.vn» không phải đường dẫn');
    expect(errors[3]!.message).toBe('Dòng 4, cột «Đang áp dụng»: phải là «Có» hoặc «Không»');
    expect(errors[4]!.message).toBe('Dòng 5, cột «Mã thủ tục»: «1.001193» trùng với dòng 2; mỗi thủ tục chỉ được có một dòng.');
    expect(await t.db.procedure.count()).toBe(0);
  });

  it('refuses a JSON item with a missing property, naming the item and the field', async () => {
    const { fees: _fees, ...withoutFees } = sampleProcedures[2]!;
    const errors = refused(await importProcedures(t.db, Buffer.from(JSON.stringify([sampleProcedures[0], withoutFees])), 'json'));
    expect(errors).toEqual([{ row: 2, field: 'Phí, lệ phí', message: 'Mục 2, trường «Phí, lệ phí»: không được để trống' }]);
    expect(await t.db.procedure.count()).toBe(0);
  });

  it('refuses files it cannot read, with a message saying what to do', async () => {
    const notJson = refused(await importProcedures(t.db, Buffer.from('[{"code": "1.001193",'), 'json'));
    expect(notJson[0]!.message).toMatch(/^Tệp JSON không đọc được/);
    const latin1 = Buffer.from('Mã thủ tục,Tên thủ tục\n', 'latin1');
    expect(refused(await importProcedures(t.db, latin1, 'csv'))[0]!.message).toContain('CSV UTF-8');
    expect(refused(await importProcedures(t.db, Buffer.from('not a zip'), 'xlsx'))[0]!.message).toContain('.xlsx');
    const noHeader = refused(await importProcedures(t.db, Buffer.from('a,b,c\n1,2,3\n'), 'csv'));
    expect(noHeader[0]).toMatchObject({ row: null, field: 'Mã thủ tục' });
    const missing = refused(await importProcedures(t.db, Buffer.from('Mã thủ tục,Tên thủ tục\n1.001193,Khai sinh\n'), 'csv'));
    expect(missing.map((e) => e.message)).toEqual([
      'Dòng 1 (tiêu đề): thiếu cột «Lĩnh vực».',
      'Dòng 1 (tiêu đề): thiếu cột «Thành phần hồ sơ».',
      'Dòng 1 (tiêu đề): thiếu cột «Thời hạn giải quyết».',
      'Dòng 1 (tiêu đề): thiếu cột «Phí, lệ phí».',
      'Dòng 1 (tiêu đề): thiếu cột «Nơi nộp».',
    ]);
    const headerOnly = refused(await importProcedures(t.db, Buffer.from(staffCsv([])), 'csv'));
    expect(headerOnly[0]!.message).toContain('không có thủ tục nào');
    expect(await t.db.procedure.count()).toBe(0);
  });

  it('a sheet without the «Từ khóa» or «Đang áp dụng» column keeps the stored aliases and state', async () => {
    await importProcedures(t.db, Buffer.from(JSON.stringify(sampleProcedures)), 'json');
    await updateProcedure(t.db, '1.001193', { aliases: ['giấy khai sinh'] });
    const csv =
      'Mã thủ tục,Tên thủ tục,Lĩnh vực,Thành phần hồ sơ,Thời hạn giải quyết,"Phí, lệ phí",Nơi nộp\r\n' +
      '1.001193,Đăng ký khai sinh,Hộ tịch,Tờ khai,Trong ngày,Miễn phí,UBND xã\r\n' +
      '1.000894,Đăng ký kết hôn,Hộ tịch,Tờ khai,Trong ngày,Miễn phí,UBND xã\r\n';
    expect(await importProcedures(t.db, Buffer.from(csv), 'csv')).toMatchObject({ ok: true, updated: 2, created: 0 });
    expect(await getProcedureByCode(t.db, '1.001193')).toMatchObject({
      name: 'Đăng ký khai sinh',
      aliases: ['giấy khai sinh'],
      onlineUrl: 'https://dichvucong.gov.vn/p/1',
      legalBasis: ['Luật Hộ tịch 60/2014/QH13'],
    });
    expect((await getProcedureByCode(t.db, '1.000894'))!.active).toBe(false);
  });

  it('a dry run validates and counts but writes nothing', async () => {
    await importProcedures(t.db, Buffer.from(JSON.stringify(sampleProcedures.slice(0, 1))), 'json');
    const result = await importProcedures(t.db, Buffer.from(JSON.stringify(sampleProcedures)), 'json', { dryRun: true });
    expect(result).toEqual({ ok: true, count: 3, created: 2, updated: 1, dryRun: true, ignoredColumns: [] });
    expect(await t.db.procedure.count()).toBe(1);
  });

  it('stores text in NFC with surrounding whitespace removed', async () => {
    const decomposed = { ...sampleProcedures[0]!, name: '  Thủ tục đăng ký khai sinh  '.normalize('NFD'), documents: [' Tờ khai '.normalize('NFD')] };
    expect(await importProcedures(t.db, Buffer.from(JSON.stringify([decomposed])), 'json')).toMatchObject({ ok: true });
    const stored = (await getProcedureByCode(t.db, '1.001193'))!;
    expect(stored.name).toBe('Thủ tục đăng ký khai sinh');
    expect(stored.name).toBe(stored.name.normalize('NFC'));
    expect(stored.documents).toEqual(['Tờ khai']);
  });
});
