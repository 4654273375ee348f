import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from './client.js';
import { migrationNames } from './migrate.js';
import { deployMigrationsInChild } from './migrate-child.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-migrate-child-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('deployMigrationsInChild', () => {
  it('applies every migration to a fresh SQLite file in a child process, then finds nothing left to apply', { timeout: 120_000 }, async () => {
    const url = `file:${path.join(dir, 'fresh.db')}`;
    expect(await deployMigrationsInChild(url)).toEqual(migrationNames('sqlite'));
    expect(await deployMigrationsInChild(url)).toEqual([]);
    const handle = await createDb(url);
    try {
      expect(await handle.db.outboundMessage.count()).toBe(0);
    } finally {
      await handle.close();
    }
  });

  it("rejects with the child's error when the database cannot be opened", { timeout: 120_000 }, async () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    await expect(deployMigrationsInChild(`file:${path.join(blocker, 'x.db')}`)).rejects.toThrow(/migrations failed \(child exit [1-9]/);
  });
});
