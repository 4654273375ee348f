import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportCommuneProfile, importCommuneProfile } from '../../src/domain/commune/profile.import.js';
import { getCommuneProfile } from '../../src/domain/commune/profile.repo.js';
import { exportHotlines } from '../../src/domain/hotlines/export.js';
import { getHotline, listHotlines } from '../../src/domain/hotlines/hotline.repo.js';
import { importHotlines } from '../../src/domain/hotlines/import.js';
import { fileFormats } from '../../src/domain/tabular/format.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';

const contentDir = path.resolve(import.meta.dirname, '../../content');
const contentHotlines = fs.readFileSync(path.join(contentDir, 'hotlines.json'));

describe(`hotline directory import/export (${testDbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.destroy();
  });
  beforeEach(async () => {
    await t.db.hotline.deleteMany();
  });

  it('imports content/hotlines.json and round-trips through every format', async () => {
    expect(await importHotlines(t.db, contentHotlines, 'json')).toMatchObject({ ok: true, count: 12, created: 12 });
    const original = await listHotlines(t.db);
    expect(original[0]).toMatchObject({ key: 'mot-cua', number: '0200.000.101', isExample: true, sortOrder: 10 });
    for (const format of fileFormats) {
      const file = await exportHotlines(t.db, format);
      await t.db.hotline.deleteMany();
      expect(await importHotlines(t.db, file.body, format), format).toMatchObject({ ok: true, count: 12, created: 12 });
      expect(await listHotlines(t.db), format).toEqual(original);
    }
  });

  it('imports a staff spreadsheet without keys for order or examples: file order, real numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Danh bạ');
    sheet.addRow(['Mã', 'Tên đơn vị', 'Số điện thoại', 'Nội dung tiếp nhận']);
    sheet.addRow(['mot-cua', 'Một cửa xã', '0225 3820 888', 'Hỏi hồ sơ']);
    sheet.addRow(['cong-an', 'Công an xã', '(0225) 3891 888', 'Cư trú, căn cước']);
    const result = await importHotlines(t.db, Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer), 'xlsx');
    expect(result).toMatchObject({ ok: true, count: 2, created: 2 });
    expect(await listHotlines(t.db)).toEqual([
      { key: 'mot-cua', name: 'Một cửa xã', number: '0225 3820 888', purpose: 'Hỏi hồ sơ', hours: null, isExample: false, sortOrder: 10 },
      { key: 'cong-an', name: 'Công an xã', number: '(0225) 3891 888', purpose: 'Cư trú, căn cước', hours: null, isExample: false, sortOrder: 20 },
    ]);
  });

  it('refuses a file with a bad number, key or order, naming each row and column, and changes nothing', async () => {
    await importHotlines(t.db, contentHotlines, 'json');
    const csv = [
      'Mã,Tên,Số điện thoại,Nội dung tiếp nhận,Thứ tự',
      'mot-cua,Một cửa,0200.000.999,Hỏi hồ sơ,10',
      'Một Cửa,Một cửa 2,gọi anh Nam,Hỏi hồ sơ,mười',
      'mot-cua,Trùng,0200.000.998,Hỏi,30',
    ].join('\n');
    const result = await importHotlines(t.db, Buffer.from(csv), 'csv');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.message)).toEqual([
      'Dòng 3, cột «Mã»: mã «Một Cửa» chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ mot-cua',
      'Dòng 3, cột «Số điện thoại»: «gọi anh Nam» không phải số điện thoại (chỉ gồm chữ số, dấu chấm, khoảng trắng, ngoặc; từ 3 đến 15 chữ số)',
      'Dòng 3, cột «Thứ tự»: phải là số nguyên, ví dụ 10',
      'Dòng 4, cột «Mã»: «mot-cua» trùng với dòng 2; mỗi số điện thoại chỉ được có một dòng.',
    ]);
    expect((await getHotline(t.db, 'mot-cua'))!.number).toBe('0200.000.101');
  });
});

describe(`commune profile (${testDbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('imports content/commune.json, exports the same JSON, and refuses a bad file without change', async () => {
    const content = fs.readFileSync(path.join(contentDir, 'commune.json'));
    expect(await importCommuneProfile(t.db, content)).toMatchObject({ ok: true, count: 1, created: 1 });
    const exported = await exportCommuneProfile(t.db);
    expect(JSON.parse(exported!.body.toString('utf8'))).toEqual(JSON.parse(content.toString('utf8')));

    const bad = { ...JSON.parse(content.toString('utf8')), email: 'mot cua@xa', website: 'xaminhtien.vn', workingHours: '' };
    const result = await importCommuneProfile(t.db, Buffer.from(JSON.stringify(bad)));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual(['Giờ làm việc', 'Trang thông tin điện tử', 'Thư điện tử']);
    expect(result.errors[2]!.message).toBe('Trường «Thư điện tử» (email): «mot cua@xa» không phải địa chỉ thư điện tử');
    expect((await getCommuneProfile(t.db))!.workingHours).toContain('Thứ Hai');
  });
});
