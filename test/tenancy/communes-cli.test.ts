/**
 * `npm run communes` and `--commune` as a deployer runs them: real processes on a fresh SQLite file.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

describe('communes CLI and --commune', () => {
  let dir: string;
  let url: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-communes-'));
    url = `file:${path.join(dir, 'cchc.db')}`;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cli = async (script: string, ...args: string[]) => {
    const env = { ...process.env, DATABASE_URL: url, CONTENT_DIR: path.join(root, 'content'), LOG_LEVEL: 'silent', SEED_DEMO: 'false', COMMUNE: '' };
    try {
      const r = await run(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { cwd: root, env });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  };

  it('adds, imports, lists and exports communes; bad files are refused whole with every bad row named', { timeout: 240_000 }, async () => {
    const first = await cli('communes', 'list', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toEqual([{ slug: 'xa-minh-tien', name: 'UBND xã Minh Tiến (dữ liệu minh họa)', catalog: 'mac-dinh' }]);

    const added = await cli('communes', 'add', 'phuong-hoa-binh', '--name', 'Phường Hòa Bình');
    expect(added.code).toBe(0);
    expect(added.out).toContain('Đã thêm xã «Phường Hòa Bình»');
    expect((await cli('communes', 'add', 'phuong-hoa-binh', '--name', 'Lần hai')).code).toBe(1);
    expect((await cli('communes', 'add', 'Phường Sai', '--name', 'x')).err).toContain('không hợp lệ');

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'slug,name\nxa-mot,Xã Một\nXA HAI,Xã Hai\nxa-mot,Trùng\nxa-bon,\n');
    const refused = await cli('communes', 'import', bad);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Dòng 3: mã xã «XA HAI»');
    expect(refused.err).toContain('Dòng 4: mã xã «xa-mot» đã có ở dòng 2');
    expect(refused.err).toContain('Dòng 5: vui lòng nhập tên xã');

    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify([{ slug: 'xa-mot', name: 'Xã Một' }, { slug: 'phuong-hoa-binh', name: 'Phường Hoà Bình mới' }]));
    const imported = await cli('communes', 'import', good);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('1 xã mới, 1 xã đổi tên');

    const exported = await cli('communes', 'export', '--format', 'csv');
    expect(exported.out.replace(/^\uFEFF/, '').trim().split('\r\n')).toEqual([
      'slug,name,catalog',
      'phuong-hoa-binh,Phường Hoà Bình mới,mac-dinh',
      'xa-minh-tien,UBND xã Minh Tiến (dữ liệu minh họa),mac-dinh',
      'xa-mot,Xã Một,mac-dinh',
    ]);
  });

  it('with several communes a command needs --commune, and works on the one it names', { timeout: 240_000 }, async () => {
    const none = await cli('report', 'add', '--date', '2026-02-10', '--channel', 'radio', '--count', '2');
    expect(none.code).toBe(2);
    expect(none.err).toContain('hãy chọn một xã bằng --commune SLUG');
    expect(none.err).toContain('choose one with --commune SLUG');
    const unknown = await cli('report', 'list', '--period', '2026', '--commune', 'xa-khong-co');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Không có xã "xa-khong-co"');
    const added = await cli('report', 'add', '--date', '2026-02-10', '--channel', 'radio', '--count', '2', '--commune', 'xa-mot');
    expect(added.code, added.err).toBe(0);
    const inMot = await cli('report', '--period', '2026', '--format', 'json', '--commune', 'xa-mot');
    expect(JSON.parse(inMot.out).posts.manual).toBe(2);
    const inOther = await cli('report', '--period', '2026', '--format', 'json', '--commune=phuong-hoa-binh');
    expect(JSON.parse(inOther.out).posts.manual).toBe(0);
  });
});
