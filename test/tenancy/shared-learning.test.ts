/**
 * An unanswered question attached to a procedure teaches that wording to the search. On a catalog shared by several
 * communes it goes into the attaching commune's override (its extra situations), never into the shared row, so one
 * commune's citizens' words never change another commune's answers; undo takes it out of the override again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { scopeToCommune } from '../../src/db/tenant.js';
import { createCommune, toTenant } from '../../src/domain/commune/communes.repo.js';
import { listProcedureOverrides } from '../../src/domain/procedures/catalog.repo.js';
import { seedCatalogIfEmpty } from '../../src/domain/procedures/seed.js';
import { attachQuestion, undoAttachQuestion } from '../../src/domain/staff/attach-question.js';
import { createTestDb, type TestDb } from '../support/db.js';

const birth = '1.001193';
const wording = 'con tôi vừa chào đời làm giấy gì';

async function openQuestion(db: Db, communeId: number) {
  const conversation = await db.conversation.create({ data: { communeId, channel: 'webchat', address: `w-${communeId}`, citizenRef: `r-${communeId}`, context: {} } });
  const inbound = await db.inboundMessage.create({
    data: { communeId, channel: 'webchat', platformMessageId: `m-${communeId}`, conversationId: conversation.id, citizenRef: `r-${communeId}`, kind: 'text', text: wording, message: {}, status: 'processed', outcome: 'unanswered' },
  });
  await db.unansweredQuestion.create({ data: { communeId, inboundId: inbound.id, conversationId: conversation.id, channel: 'webchat', text: wording, folded: 'con toi vua chao doi lam giay gi' } });
}

describe('learning from unanswered questions on a shared catalog', () => {
  let t: TestDb;
  let b: Db;

  beforeAll(async () => {
    t = await createTestDb();
    await seedCatalogIfEmpty(t.db, 'content');
    const row = await createCommune(t.root, { slug: 'xa-b', name: 'Xã B' }); // the default catalog: shared with the first commune
    expect(row.catalogId).toBe(t.tenant.catalogId);
    b = scopeToCommune(t.root, toTenant(row));
    await openQuestion(b, row.id);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('attaches into the commune’s override and undoes it there; the shared row never changes', async () => {
    const before = await t.root.procedure.findFirstOrThrow({ where: { code: birth } });
    const r = await attachQuestion(b, { folded: 'con toi vua chao doi lam giay gi', procedureCode: birth, who: 'canbo-b' });
    expect(r.questions).toBe(1);
    expect((await listProcedureOverrides(b)).find((o) => o.code === birth)?.extraSituations).toEqual([wording]);
    expect(await listProcedureOverrides(t.db)).toEqual([]);
    const after = await t.root.procedure.findFirstOrThrow({ where: { code: birth } });
    expect(after.situations).toEqual(before.situations);
    expect(after.updatedAt).toEqual(before.updatedAt);
    await undoAttachQuestion(b, { folded: 'con toi vua chao doi lam giay gi', procedureCode: birth, text: wording, who: 'canbo-b' });
    expect((await listProcedureOverrides(b)).find((o) => o.code === birth)?.extraSituations).toEqual([]);
    expect(await b.unansweredQuestion.count({ where: { status: 'open' } })).toBe(1);
  });
});
