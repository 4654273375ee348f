import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/support/db.js';
import { setColumnById } from './set-by-id.js';

describe('setColumnById', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('sets text and DateTime columns per row in one statement, leaving other rows alone', async () => {
    const rows = [];
    for (const address of ['a', 'b', 'c']) rows.push(await db.db.conversation.create({ data: { communeId: db.tenant.communeId, channel: 'x', address, citizenRef: 'r', context: {}, lastInboundAt: new Date('2026-01-01T00:00:00Z') } }));
    const [a, b, c] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    const t1 = new Date('2026-05-06T07:08:09.123Z');
    const t2 = new Date('2026-05-06T07:08:10.456Z');
    expect(await db.db.$transaction((tx) => setColumnById(tx, 'Conversation', 'lastInboundAt', [{ id: a.id, value: t1 }, { id: b.id, value: t2 }]))).toBe(2);
    expect(await db.db.$transaction((tx) => setColumnById(tx, 'Conversation', 'address', [{ id: a.id, value: 'a2' }, { id: c.id, value: 'c2' }]))).toBe(2);
    const after = await db.db.conversation.findMany({ orderBy: { id: 'asc' } });
    expect(after.map((r) => [r.address, r.lastInboundAt?.toISOString()])).toEqual([
      ['a2', t1.toISOString()],
      ['b', t2.toISOString()],
      ['c2', '2026-01-01T00:00:00.000Z'],
    ]);
  });
});
