/** Attaching a group of unanswered questions to a procedure as a situation, and undoing it, on a real database. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getProcedureByCode } from '../../src/domain/procedures/catalog.repo.js';
import { importProcedures } from '../../src/domain/procedures/import.js';
import { attachGroupAsSituation, undoGroupSituation } from '../../src/domain/staff/situations.repo.js';
import { StaffError } from '../../src/domain/staff/users.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';
import { sampleProcedures } from './fixtures.js';

describe(`situations from the unanswered review (${testDbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.destroy();
  });
  beforeEach(async () => {
    await t.db.unansweredQuestion.deleteMany();
    await t.db.procedure.deleteMany();
    await importProcedures(t.db, Buffer.from(JSON.stringify(sampleProcedures)), 'json');
    const folded = 'vo em vua sinh chau';
    await t.db.unansweredQuestion.createMany({
      data: [
        { communeId: t.tenant.communeId, inboundId: 1, conversationId: 1, channel: 'zalo', text: 'vo em vua sinh chau', folded, createdAt: new Date('2026-12-01T01:00:00Z') },
        { communeId: t.tenant.communeId, inboundId: 2, conversationId: 2, channel: 'telegram', text: 'Vợ em vừa sinh cháu', folded, createdAt: new Date('2026-12-01T02:00:00Z') },
        { communeId: t.tenant.communeId, inboundId: 3, conversationId: 3, channel: 'telegram', text: 'mấy giờ mở cửa', folded: 'may gio mo cua' },
      ],
    });
  });

  it('adds the edited situation once, attaches the whole group, and the undo restores both', async () => {
    const before = (await getProcedureByCode(t.db, '1.001193'))!.situations;
    const r = await attachGroupAsSituation(t.db, { folded: 'vo em vua sinh chau', procedureCode: '1.001193', situation: ' Vợ em vừa sinh cháu, cần làm giấy tờ gì ', who: 'admin' });
    expect(r).toEqual({ questions: 2, situation: 'Vợ em vừa sinh cháu, cần làm giấy tờ gì', situationAdded: true });
    expect((await getProcedureByCode(t.db, '1.001193'))!.situations).toEqual([...before, 'Vợ em vừa sinh cháu, cần làm giấy tờ gì']);
    expect(await t.db.unansweredQuestion.count({ where: { status: 'attached', procedureCode: '1.001193' } })).toBe(2);
    expect(await t.db.unansweredQuestion.count({ where: { status: 'open' } })).toBe(1);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: 'unanswered.attach_situation' } });
    expect(audit.entityId).toBe('1.001193');

    const undone = await undoGroupSituation(t.db, { folded: 'vo em vua sinh chau', procedureCode: '1.001193', situation: 'vợ em vừa sinh cháu, cần làm giấy tờ gì', who: 'admin' });
    expect(undone).toEqual({ questions: 2, situationRemoved: true });
    expect((await getProcedureByCode(t.db, '1.001193'))!.situations).toEqual(before);
    expect(await t.db.unansweredQuestion.count({ where: { status: 'open' } })).toBe(3);
  });

  it('uses the latest wording when staff give none, and does not add a situation twice', async () => {
    await t.db.procedure.update({ where: { catalogId_code: { catalogId: t.tenant.catalogId, code: 'XA-001' } }, data: { situations: ['Vợ em vừa sinh cháu'] } });
    const r = await attachGroupAsSituation(t.db, { folded: 'vo em vua sinh chau', procedureCode: 'XA-001', who: 'admin' });
    expect(r.situationAdded).toBe(false);
    expect((await getProcedureByCode(t.db, 'XA-001'))!.situations).toEqual(['Vợ em vừa sinh cháu']);
  });

  it('refuses an unknown procedure or a handled group in Vietnamese and changes nothing', async () => {
    await expect(attachGroupAsSituation(t.db, { folded: 'vo em vua sinh chau', procedureCode: '9.999999', who: 'admin' })).rejects.toThrow(StaffError);
    await expect(attachGroupAsSituation(t.db, { folded: 'khong co', procedureCode: '1.001193', who: 'admin' })).rejects.toThrow('Nhóm câu hỏi này đã được xử lý.');
    await expect(undoGroupSituation(t.db, { folded: 'may gio mo cua', procedureCode: '1.001193', situation: 'không có', who: 'admin' })).rejects.toThrow('Không có gì để hoàn tác');
    expect(await t.db.unansweredQuestion.count({ where: { status: 'open' } })).toBe(3);
  });
});
