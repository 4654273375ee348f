import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKind, type TestDb } from './support/db.js';

describe(`database (${testDbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('stores Json, DateTime and unique keys, and rolls back a failed transaction', async () => {
    const p = await t.db.procedure.create({
      data: { catalogId: t.tenant.catalogId, code: '1.000001', name: 'Thủ tục thử', field: 'Hộ tịch', documents: ['Tờ khai'], processingTime: '1 ngày', fees: 'Miễn phí', submitAt: 'UBND xã', legalBasis: [], aliases: ['thu'] },
    });
    expect(p.documents).toEqual(['Tờ khai']);
    await expect(
      t.db.procedure.create({ data: { ...p, id: undefined, createdAt: undefined, updatedAt: undefined } as never }),
    ).rejects.toMatchObject({ code: 'P2002' });
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.procedure.update({ where: { catalogId_code: { catalogId: t.tenant.catalogId, code: '1.000001' } }, data: { name: 'Đổi tên' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await t.db.procedure.findFirstOrThrow({ where: { code: '1.000001' } })).name).toBe('Thủ tục thử');
  });

  it('a write from outside an open transaction is not swallowed by its rollback', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = t.db
      .$transaction(async (inner) => {
        await inner.hotline.create({ data: { communeId: t.tenant.communeId, key: 'a', name: 'A', number: '1', purpose: 'x' } });
        await gate;
        throw new Error('rollback');
      })
      .catch(() => 'rolled back');
    await new Promise((r) => setTimeout(r, 20));
    const outside = t.db.hotline.create({ data: { communeId: t.tenant.communeId, key: 'b', name: 'B', number: '2', purpose: 'y' } });
    release();
    expect(await tx).toBe('rolled back');
    await outside;
    const keys = (await t.db.hotline.findMany()).map((h) => h.key);
    expect(keys).toEqual(['b']);
  });
});
