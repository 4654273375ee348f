/**
 * `npm run communes -- channel …` as IT staff run it: a real process on a fresh SQLite file with two communes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.js';
import { deployMigrations } from '../../src/db/migrate.js';
import { createCommune } from '../../src/domain/commune/communes.repo.js';

const run = promisify(execFile);
const projectRoot = path.resolve(import.meta.dirname, '../..');

describe('channel accounts command', () => {
  let dir: string;
  let url: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-accounts-'));
    url = `file:${path.join(dir, 'cchc.db')}`;
    await deployMigrations(url);
    const h = await createDb(url);
    await createCommune(h.db, { slug: 'xa-an-binh', name: 'Xã An Bình' });
    await createCommune(h.db, { slug: 'phuong-bac-son', name: 'Phường Bắc Sơn' });
    await h.close();
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const channel = async (...args: string[]) => {
    const env = { ...process.env, DATABASE_URL: url, CONTENT_DIR: path.join(projectRoot, 'content'), SEED_DEMO: 'false', LOG_LEVEL: 'silent' };
    try {
      const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/channel-accounts.ts', 'channel', ...args], { cwd: projectRoot, env });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  };

  it('sets each commune its own Page, OA and bot; refuses a Page another commune has; lists without the secrets', async () => {
    expect((await channel('set', 'messenger', '--commune', 'xa-an-binh', '--page-id', '100000000000001', '--page-token', 'EAAB-secret-a-1234')).code).toBe(0);
    expect((await channel('set', 'zalo', '--commune', 'xa-an-binh', '--oa-id', '2000000000000001', '--access-token', 'zat-a-5678', '--refresh-token', 'zrt-a')).code).toBe(0);
    expect((await channel('set', 'telegram', '--commune', 'phuong-bac-son', '--bot-token', '5000002:bot-token-b-9999')).code).toBe(0);

    const taken = await channel('set', 'messenger', '--commune', 'phuong-bac-son', '--page-id', '100000000000001', '--page-token', 'EAAB-other');
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('đã thuộc xã «xa-an-binh»');

    const listed = await channel('list', '--json');
    expect(listed.code).toBe(0);
    expect(listed.out).not.toContain('secret-a');
    expect(JSON.parse(listed.out)).toEqual(
      expect.arrayContaining([
        { commune: 'xa-an-binh', channel: 'messenger', accountId: '100000000000001', active: true, secret: '…1234' },
        { commune: 'xa-an-binh', channel: 'zalo', accountId: '2000000000000001', active: true, secret: '…5678' },
        { commune: 'phuong-bac-son', channel: 'telegram', accountId: '5000002', active: true, secret: '…9999' },
      ]),
    );
  }, 400_000);

  it('names what to fix: no commune chosen among several, a bad bot token, an unknown channel', async () => {
    const noCommune = await channel('set', 'messenger', '--page-id', '1', '--page-token', 't');
    expect(noCommune.code).toBe(2);
    expect(noCommune.err).toContain('--commune');
    const badToken = await channel('set', 'telegram', '--commune', 'xa-an-binh', '--bot-token', 'not-a-token');
    expect(badToken.code).toBe(2);
    expect(badToken.err).toContain('@BotFather');
    const unknown = await channel('set', 'webchat', '--commune', 'xa-an-binh');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('messenger, zalo hoặc telegram');
  }, 400_000);

  it('disables and removes an account', async () => {
    expect((await channel('disable', 'zalo', '--commune', 'xa-an-binh')).code).toBe(0);
    const listed = JSON.parse((await channel('list', '--commune', 'xa-an-binh', '--json')).out) as { channel: string; active: boolean }[];
    expect(listed.find((r) => r.channel === 'zalo')?.active).toBe(false);
    expect((await channel('remove', 'zalo', '--commune', 'xa-an-binh')).code).toBe(0);
    const again = await channel('remove', 'zalo', '--commune', 'xa-an-binh');
    expect(again.code).toBe(1);
    expect(again.err).toContain('chưa có tài khoản Zalo OA');
  }, 400_000);
});
