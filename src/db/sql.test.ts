import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, testDbKind, type TestDb } from '../../test/support/db.js';
import { asDate, asJson, communeOf, sqlIn, sqlOf } from './sql.js';

describe(`plain SQL beside Prisma (${testDbKind})`, () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(async () => {
    await t.destroy();
  });

  const insertConversation = (address: string, at: Date) =>
    sqlOf(t.db).insert<{ id: number }>(
      'INSERT INTO "Conversation" ("communeId", "channel", "address", "citizenRef", "context", "lastInboundAt", "createdAt", "updatedAt")',
      [[communeOf(sqlOf(t.db)), 'webchat', address, `ref-${address}`, JSON.stringify({ n: 1, ý: 'dấu' }), at, at, at]],
      'RETURNING "id"',
    );

  it('knows the commune of a scoped client, directly and inside its Prisma transactions, and refuses an unscoped one', async () => {
    expect(communeOf(sqlOf(t.db))).toBe(t.tenant.communeId);
    await t.db.$transaction(async (tx) => expect(communeOf(sqlIn(tx))).toBe(t.tenant.communeId));
    expect(() => communeOf(sqlOf(t.root))).toThrow(/commune-scoped/);
  });

  it('writes rows Prisma reads back unchanged (dates, JSON), and reads lists with one placeholder', async () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const [a] = await insertConversation('a', at);
    const [b] = await insertConversation('b', at);
    const prisma = await t.db.conversation.findUniqueOrThrow({ where: { id: Number(a!.id) } });
    expect(prisma.lastInboundAt?.toISOString()).toBe(at.toISOString());
    expect(prisma.updatedAt.toISOString()).toBe(at.toISOString());
    expect(prisma.context).toEqual({ n: 1, ý: 'dấu' });

    const rows = await sqlOf(t.db).all<{ id: number; context: unknown; lastInboundAt: unknown }>(
      'SELECT "id", "context", "lastInboundAt" FROM "Conversation" WHERE "id" IN (?*) AND ~"channel" = ? ORDER BY "id"',
      [[Number(a!.id), Number(b!.id), 999_999], 'webchat'],
    );
    expect(rows.map((r) => Number(r.id))).toEqual([Number(a!.id), Number(b!.id)]);
    expect(asJson(rows[0]!.context)).toEqual({ n: 1, ý: 'dấu' });
    expect(asDate(rows[0]!.lastInboundAt).toISOString()).toBe(at.toISOString());

    // The same statements inside a caller's Prisma transaction, through Prisma's raw queries.
    const later = new Date('2026-03-05T00:00:00.000Z');
    await t.db.$transaction(async (tx) => {
      await sqlIn(tx).setById('Conversation', 'lastInboundAt', [{ id: Number(b!.id), value: later }]);
      const inside = await sqlIn(tx).all<{ lastInboundAt: unknown }>('SELECT "lastInboundAt" FROM "Conversation" WHERE "id" IN (?*)', [[Number(b!.id)]]);
      expect(asDate(inside[0]!.lastInboundAt).toISOString()).toBe(later.toISOString());
    });
    expect((await t.db.conversation.findUniqueOrThrow({ where: { id: Number(b!.id) } })).lastInboundAt?.toISOString()).toBe(later.toISOString());
  });

  it('rolls a failed transaction back, and never runs a statement inside another caller\'s open Prisma transaction', async () => {
    const at = new Date();
    await expect(
      sqlOf(t.db).transaction(async (q) => {
        await q.insert('INSERT INTO "Conversation" ("communeId", "channel", "address", "citizenRef", "context", "createdAt", "updatedAt")', [[communeOf(q), 'webchat', 'x', 'r', '{}', at, at]]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await t.db.conversation.count()).toBe(0);

    // A Prisma transaction that is rolled back while a direct statement was issued during it: the direct write must
    // not have joined it (on SQLite, one connection: it waits for the transaction to end).
    let written: Promise<unknown> | null = null;
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.conversation.create({ data: { communeId: t.tenant.communeId, channel: 'webchat', address: 'in-tx', citizenRef: 'r', context: {} } });
        written = insertConversation('outside', at);
        await new Promise((r) => setTimeout(r, 100));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await written;
    const addresses = (await t.db.conversation.findMany({ select: { address: true } })).map((c) => c.address);
    expect(addresses).toEqual(['outside']);
  });
});
