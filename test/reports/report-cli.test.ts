import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tallies } from '../../src/domain/reports/tallies.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';
import { send } from './ledger-fixture.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

// Each call starts a process (tsx, Prisma, migrations check): slow on a busy 2-core machine.
describe(`npm run report (${testDbKind})`, { timeout: 180_000 }, () => {
  let t: TestDb;
  let dir: string;
  const report = async (...args: string[]) => {
    try {
      const r = await run(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/report.ts'), ...args], {
        cwd: dir,
        env: { ...process.env, DATABASE_URL: t.url, SEED_DEMO: 'false', NODE_OPTIONS: '', PATH: process.env.PATH },
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      if (process.env.DEBUG_CLI) console.error(err);
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  beforeAll(async () => {
    t = await createTestDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-cli-'));
    // The CLI runs where staff stand: a folder of their own, where the default export file lands.
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    await send(t.db, { channel: 'webchat', kind: 'post', topic: 'Dịch vụ công', at: new Date('2024-06-30T16:59:00Z'), outcome: 'sent' });
    await send(t.db, { channel: 'webchat', kind: 'post', topic: 'Dịch vụ công', at: new Date('2024-06-30T17:00:00Z'), outcome: 'sent' });
    // The CLI deploys migrations first, and the wasm schema engine cannot lock a SQLite file another connection
    // holds open (reported to the lead); this process lets go of the database while the CLI runs.
    await t.close();
  });
  afterAll(async () => {
    await t.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints JSON and CSV to stdout, writes XLSX to a default file and says where', async () => {
    const json = await report('--period', '2024-H1', '--format', 'json');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as Tallies).posts.total).toBe(1);
    const csv = await report('--period', '2024-H2', '--format', 'csv');
    expect(csv.stdout.startsWith('\uFEFFKỳ báo cáo,')).toBe(true);
    expect(csv.stdout).toContain('6 tháng cuối năm 2024,I,');
    const xlsx = await report('--period', '2024-H2', '--format', 'xlsx');
    expect(xlsx.code).toBe(0);
    const file = path.join(dir, 'bao-cao-2024-H2.xlsx');
    expect(xlsx.stderr).toContain(`Đã ghi báo cáo 6 tháng cuối năm 2024 vào ${file}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.getWorksheet('Thống kê')!.getRow(5).getCell(5).value).toBe(1);
  });

  it('adds, lists and deletes hand-recorded items, and they count in the report', async () => {
    const added = await report('add', '--date', '2024-03-05', '--channel', 'radio', '--count', '4', '--topic', 'Dịch vụ công', '--note', 'Phát 2 buổi', '--by', 'Cán bộ VP');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^Đã ghi nhận: #\d+ \| 05\/03\/2024 \| Đài truyền thanh \| 4 tin, bài \| chủ đề: Dịch vụ công \| ghi chú: Phát 2 buổi \| người nhập: Cán bộ VP/);
    const id = /#(\d+)/.exec(added.stdout)![1]!;
    const listed = await report('list', '--period', '2024-Q1');
    expect(listed.stdout).toContain(`#${id} | 05/03/2024 | Đài truyền thanh | 4 tin, bài`);
    const h1 = JSON.parse((await report('--period', '2024-H1')).stdout) as Tallies;
    expect(h1.posts).toMatchObject({ service: 1, manual: 4, total: 5 });
    expect((await report('delete', id)).stdout).toContain(`Đã xoá: #${id}`);
    expect((await report('list', '--period', '2024-Q1')).stdout).toBe('Không có tin, bài nào ghi nhận thủ công trong Quý I năm 2024.\n');
    const again = await report('delete', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Không có mục ghi nhận thủ công nào có ID ${id}`);
  });

  it('tells staff in Vietnamese what to fix', async () => {
    const badPeriod = await report('--period', '2024-H3');
    expect(badPeriod.code).toBe(2);
    expect(badPeriod.stderr).toContain('Kỳ báo cáo "2024-H3" không hợp lệ');
    const badFormat = await report('--period', '2024', '--format', 'pdf');
    expect(badFormat.stderr).toContain('Định dạng "pdf" không hỗ trợ');
    const badChannel = await report('add', '--date', '2024-03-05', '--channel', 'tv', '--count', '4');
    expect(badChannel.stderr).toContain('Kênh "tv" không hợp lệ');
    const badCount = await report('add', '--date', '2024-03-05', '--channel', 'radio', '--count', '-1');
    expect(badCount.code).toBe(2);
    const badDate = await report('add', '--date', '2024-02-30', '--channel', 'radio', '--count', '1');
    expect(badDate.stderr).toContain('Ngày "2024-02-30" không hợp lệ');
  });
});
