import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAllProcedures } from '../../src/domain/procedures/catalog.repo.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
/** Each command is a fresh Node process with tsx: several seconds on a busy 2-core machine. */
const slow = { timeout: 120_000 };

/** Runs `npm run import|export -- …` the way staff do (without npm's banner), returning exit code and output. */
async function cli(script: 'import' | 'export', args: string[], databaseUrl: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', CONTENT_DIR: 'content' },
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe(`import/export commands (${testDbKind})`, () => {
  let t: TestDb;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-cli-'));
  });
  afterAll(async () => {
    await t.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('export → edit → import: the catalog is seeded, exported to XLSX and read back; a bad file exits 1 and changes nothing', slow, async () => {
    const xlsx = path.join(dir, 'thu-tuc.xlsx');
    const exported = await cli('export', ['procedures', '--format', 'xlsx', '--out', xlsx], t.url);
    expect(exported, exported.stderr).toMatchObject({ code: 0 });
    expect(exported.stderr).toContain('Đã xuất ra');
    const before = await listAllProcedures(t.db);
    expect(before).toHaveLength(78);

    const checked = await cli('import', ['procedures', xlsx, '--dry-run'], t.url);
    expect(checked, checked.stderr).toMatchObject({ code: 0 });
    expect(checked.stdout).toContain('Tệp hợp lệ: 78 thủ tục (sẽ thêm mới 0, sẽ cập nhật 78)');

    const bad = path.join(dir, 'sai.csv');
    fs.writeFileSync(
      bad,
      'Mã thủ tục,Tên thủ tục,Lĩnh vực,Thành phần hồ sơ,Thời hạn giải quyết,"Phí, lệ phí",Nơi nộp\n' +
        '1.001193,Đăng ký khai sinh (sửa),Hộ tịch,Tờ khai,Trong ngày,Miễn phí,UBND xã\n' +
        '1.00x,Thủ tục mới,Hộ tịch,Tờ khai,Trong ngày,Miễn phí,UBND xã\n',
    );
    const refused = await cli('import', ['procedures', bad], t.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Tệp «sai.csv» bị từ chối, cơ sở dữ liệu không thay đổi. Cần sửa 1 lỗi:');
    expect(refused.stderr).toContain('Dòng 3, cột «Mã thủ tục»: mã «1.00x» không đúng dạng 1.001193');
    expect(refused.stderr).toContain('"msg":"import refused; database unchanged"');
    expect(await listAllProcedures(t.db)).toEqual(before);
  });

  it('exports hotlines as CSV to stdout and refuses an unknown format with usage help', slow, async () => {
    const csv = await cli('export', ['hotlines', '--format', 'csv'], t.url);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe('\uFEFFMã,Tên,Số điện thoại,Nội dung tiếp nhận,Giờ tiếp nhận,Số minh họa,Thứ tự');
    expect(csv.stdout).toContain('dich-vu-cong-quoc-gia,Tổng đài hỗ trợ Cổng Dịch vụ công quốc gia,18001096');
    const usage = await cli('import', ['procedures', path.join(dir, 'thu-tuc.pdf')], t.url);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Cách dùng: npm run import');
  });
});
