import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/support/db.js';
import { insertRows } from './insert-rows.js';

describe('insertRows', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('inserts many rows in one statement that Prisma reads back unchanged (Json, DateTime, null, Unicode)', async () => {
    const conv = await db.db.conversation.create({ data: { communeId: db.tenant.communeId, channel: 'zalo', address: '8421000000000000042', citizenRef: 'r', context: {} } });
    const at = new Date('2026-11-24T05:30:00.123Z');
    const body = { reply: { kind: 'text', text: 'Đã nhận: “khai sinh” 😀' }, context: { replyContext: { msg_id: 'z1' } } };
    const ids = await db.db.$transaction((tx) =>
      insertRows(
        tx,
        'OutboundMessage',
        ['communeId', 'channel', 'kind', 'recipientRef', 'address', 'conversationId', 'inboundId', 'seq', 'text', 'body', 'nextAttemptAt', 'createdAt', 'updatedAt', 'procedureCode'],
        [0, 1, 2].map((seq) => ({
          communeId: db.tenant.communeId,
          channel: 'zalo', kind: 'reply', recipientRef: 'r', address: conv.address, conversationId: conv.id, inboundId: null, seq,
          text: `phần ${seq}`, body: JSON.stringify(body), nextAttemptAt: at, createdAt: at, updatedAt: at, procedureCode: seq === 1 ? 'KS' : null,
        })),
      ),
    );
    expect(ids).toHaveLength(3);
    const rows = await db.db.outboundMessage.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.seq, r.text, r.procedureCode, r.status, r.attempts])).toEqual([
      [0, 'phần 0', null, 'pending', 0],
      [1, 'phần 1', 'KS', 'pending', 0],
      [2, 'phần 2', null, 'pending', 0],
    ]);
    expect(rows[0]!.body).toEqual(body);
    expect(rows[0]!.nextAttemptAt.toISOString()).toBe(at.toISOString());
    expect(rows[2]!.createdAt.toISOString()).toBe(at.toISOString());
    // Prisma's own filters still match the raw-inserted values.
    expect(await db.db.outboundMessage.count({ where: { status: 'pending', nextAttemptAt: { lte: new Date(at.getTime() + 1) } } })).toBe(3);
    expect(await db.db.outboundMessage.count({ where: { nextAttemptAt: { lt: at } } })).toBe(0);
  });
});
