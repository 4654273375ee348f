import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCommuneProfile } from '../../src/domain/commune/profile.repo.js';
import { listHotlines } from '../../src/domain/hotlines/hotline.repo.js';
import { getProcedureByCode, listActiveProcedures, setProcedureActive, updateProcedure } from '../../src/domain/procedures/catalog.repo.js';
import type { Procedure } from '../../src/domain/procedures/procedure.js';
import { procedureCodePattern, procedureSchema } from '../../src/domain/procedures/procedure.schema.js';
import { ContentError, seedCatalogIfEmpty, syncFromContent } from '../../src/domain/procedures/seed.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';

const contentDir = path.resolve(import.meta.dirname, '../../content');
const read = (name: string) => fs.readFileSync(path.join(contentDir, name), 'utf8');

describe('content files', () => {
  const procedures = JSON.parse(read('procedures.json')) as (Omit<Procedure, 'situations' | 'audience'> & Partial<Procedure>)[];

  it('hold 78 well-formed procedures with unique codes and the facts a citizen needs', () => {
    expect(procedures).toHaveLength(78);
    expect(new Set(procedures.map((p) => p.code)).size).toBe(78);
    for (const p of procedures) {
      expect(p.code).toMatch(procedureCodePattern);
      // Only the domain type's properties, each valid (situations and audience may still be missing from a file).
      const known = Object.keys(procedureSchema.shape);
      for (const key of Object.keys(p)) expect(known, `${p.code}.${key}`).toContain(key);
      const required = known.filter((k) => k !== 'situations' && k !== 'audience');
      for (const key of required) expect(Object.keys(p), p.code).toContain(key);
      expect(procedureSchema.safeParse({ situations: [], audience: null, ...p }).success, p.code).toBe(true);
      expect(p.documents.length, p.code).toBeGreaterThan(0);
      for (const fact of [p.name, p.field, p.processingTime, p.fees, p.submitAt]) expect(fact.trim(), p.code).not.toBe('');
      expect(p.source, p.code).toBeTruthy();
    }
  });

  it('are Unicode NFC (Vietnamese diacritics precomposed)', () => {
    for (const name of ['procedures.json', 'hotlines.json', 'commune.json']) {
      const text = read(name);
      expect(text === text.normalize('NFC'), name).toBe(true);
    }
  });

  it("mark the demo commune's numbers as examples and carry the real national numbers", () => {
    const hotlines = JSON.parse(read('hotlines.json')) as { number: string; isExample: boolean }[];
    for (const h of hotlines.filter((x) => x.isExample)) expect(h.number).toMatch(/^0200\.000\.\d{3}$/);
    const real = hotlines.filter((h) => !h.isExample).map((h) => h.number);
    expect(real).toEqual(['18001096', '111', '112', '113', '114', '115']);
  });
});

describe(`seeding from content/ (${testDbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('fills empty tables in one go and leaves filled tables alone on the next start', async () => {
    expect(await seedCatalogIfEmpty(t.db, contentDir)).toEqual({ procedures: 78, hotlines: 12, communeProfile: 1 });
    const stored = await listActiveProcedures(t.db);
    expect(stored).toHaveLength(78);
    const birth = await getProcedureByCode(t.db, '1.001193');
    expect(birth).toMatchObject({ name: 'Thủ tục đăng ký khai sinh', field: 'Hộ tịch', onlineLevel: null, active: true });
    expect(birth!.documents.length).toBeGreaterThan(3);
    // Situations and audience reach the database as written in content/ (every procedure has them).
    const birthContent = (JSON.parse(read('procedures.json')) as Procedure[]).find((p) => p.code === '1.001193')!;
    expect(birth!.situations).toEqual(birthContent.situations);
    expect(birth!.audience).toBe(birthContent.audience);
    expect(stored.every((p) => p.situations.length >= 8 && p.audience)).toBe(true);
    expect((await listHotlines(t.db)).map((h) => h.number).slice(-6)).toEqual(['18001096', '111', '112', '113', '114', '115']);
    expect(await getCommuneProfile(t.db)).toMatchObject({ name: 'UBND xã Minh Tiến (dữ liệu minh họa)', portalUrl: 'https://dichvucong.gov.vn' });

    // Staff edits survive a restart: seeding a filled catalog writes nothing.
    await updateProcedure(t.db, '1.001193', { aliases: ['alias riêng của xã'] });
    await setProcedureActive(t.db, '1.000894', false);
    expect(await seedCatalogIfEmpty(t.db, contentDir)).toEqual({ procedures: 0, hotlines: 0, communeProfile: 0 });
    expect((await getProcedureByCode(t.db, '1.001193'))!.aliases).toEqual(['alias riêng của xã']);
    expect(await listActiveProcedures(t.db)).toHaveLength(77);

    // An explicit reload puts the content back over the edits (content wins).
    const synced = await syncFromContent(t.db, contentDir);
    expect(synced).toEqual({ procedures: { created: 0, updated: 78 }, hotlines: { created: 0, updated: 12 }, communeProfile: 1 });
    const fromContent = JSON.parse(read('procedures.json')) as Procedure[];
    expect((await getProcedureByCode(t.db, '1.001193'))!.aliases).toEqual(fromContent.find((p) => p.code === '1.001193')!.aliases);
    expect(await listActiveProcedures(t.db)).toHaveLength(78);
  });

  it('refuses an invalid content folder with every problem and writes nothing', async () => {
    const fresh = await createTestDb();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-content-'));
    try {
      fs.copyFileSync(path.join(contentDir, 'hotlines.json'), path.join(dir, 'hotlines.json'));
      fs.writeFileSync(path.join(dir, 'procedures.json'), JSON.stringify([{ code: '1.00x', name: 'Thử' }]));
      const error = await seedCatalogIfEmpty(fresh.db, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContentError);
      expect((error as ContentError).issues.map((i) => i.field)).toEqual([
        'Mã thủ tục',
        'Lĩnh vực',
        'Thành phần hồ sơ',
        'Thời hạn giải quyết',
        'Phí, lệ phí',
        'Nơi nộp',
      ]);
      expect(await fresh.db.hotline.count()).toBe(0);
      // A folder without content files seeds nothing.
      fs.rmSync(path.join(dir, 'procedures.json'));
      fs.rmSync(path.join(dir, 'hotlines.json'));
      expect(await seedCatalogIfEmpty(fresh.db, dir)).toEqual({ procedures: 0, hotlines: 0, communeProfile: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await fresh.destroy();
    }
  });
});
