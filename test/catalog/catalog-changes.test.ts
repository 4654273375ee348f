/**
 * Catalog changes announced: the diff of two catalog imports (new / changed with which fields / repealed), and the
 * real path on a database: an import and a staff edit record their changes and draft the library post «Cập nhật thủ
 * tục hành chính mới ban hành, sửa đổi, bổ sung, bãi bỏ» under its topic, never queued; after staff queue it, later
 * changes go into a new draft; the report counts such posts under their topic.
 */
import { communeIdOf } from '../../src/db/tenant.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogUpdateTitle, mergeChanges } from '../../src/domain/content/catalog-update-post.js';
import { diffCatalogs } from '../../src/domain/procedures/catalog-diff.js';
import type { Procedure } from '../../src/domain/procedures/procedure.js';
import { parsePeriod } from '../../src/domain/reports/period.js';
import { computeTallies } from '../../src/domain/reports/tallies.js';
import { importCatalogFile } from '../../src/domain/staff/catalog-files.js';
import { updateProcedure } from '../../src/domain/staff/procedures-admin.repo.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';
import { send } from '../reports/ledger-fixture.js';
import { sampleProcedures } from './fixtures.js';

const [birth, marriage, commune] = sampleProcedures as [Procedure, Procedure, Procedure];

describe('diff of two catalog imports', () => {
  it('names new, changed (with the fields) and repealed procedures, ignoring search helpers', () => {
    const before = [birth, { ...marriage, active: true }, commune];
    const after = [
      { ...birth, fees: '8.000 đồng', processingTime: '03 ngày làm việc', aliases: ['một tên gọi khác'] },
      { ...marriage, active: false },
      { ...commune, situations: ['tình huống mới'] },
      { ...birth, code: '2.000001', name: 'Thủ tục mới', onlineUrl: 'https://dichvucong.gov.vn/p/2' },
    ];
    expect(diffCatalogs(before, after).map((c) => [c.kind, c.code, c.fields])).toEqual([
      ['repealed', '1.000894', []],
      ['changed', '1.001193', ['processingTime', 'fees']],
      ['new', '2.000001', []],
    ]);
    // A procedure absent from the new state is repealed too; an inactive one re-activated is new again.
    expect(diffCatalogs([birth], []).map((c) => c.kind)).toEqual(['repealed']);
    expect(diffCatalogs([{ ...birth, active: false }], [birth]).map((c) => c.kind)).toEqual(['new']);
    expect(diffCatalogs([birth], [birth])).toEqual([]);
  });

  it('merges a day of changes per procedure', () => {
    const merged = mergeChanges([
      { code: 'A', name: 'A', kind: 'new', fields: [], onlineUrl: null },
      { code: 'A', name: 'A2', kind: 'changed', fields: ['fees'], onlineUrl: null },
      { code: 'B', name: 'B', kind: 'new', fields: [], onlineUrl: null },
      { code: 'B', name: 'B', kind: 'repealed', fields: [], onlineUrl: null },
      { code: 'C', name: 'C', kind: 'changed', fields: ['fees'], onlineUrl: null },
      { code: 'C', name: 'C', kind: 'changed', fields: ['documents'], onlineUrl: null },
    ]);
    expect(merged.map((m) => [m.kind, m.code, m.name, [...m.fields]])).toEqual([
      ['new', 'A', 'A2', ['fees']],
      ['changed', 'C', 'C', ['fees', 'documents']],
    ]);
  });
});

describe(`catalog changes drafted into the post library (${testDbKind})`, () => {
  let t: TestDb;
  const file = (procedures: Procedure[]) => Buffer.from(JSON.stringify(procedures));
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('an import drafts the post with codes and online links; nothing is queued; an edit refreshes the draft', async () => {
    const first = await importCatalogFile(t.db, { kind: 'procedures', fileName: 'dot-1.json', bytes: file([birth, { ...marriage, active: true }]), dryRun: false, who: 'canbo' });
    expect(first).toMatchObject({ ok: true, draftedPost: expect.stringMatching(/^cap-nhat-tthc-\d{4}-\d{2}-\d{2}$/) });
    const slug = (first as { draftedPost: string }).draftedPost;
    let post = await t.db.post.findFirstOrThrow({ where: { slug }, include: { scheduled: true } });
    expect(post).toMatchObject({ title: catalogUpdateTitle, topic: 'cap-nhat-tthc', origin: 'admin' });
    expect(post.body).toContain('Thủ tục hành chính mới ban hành (2)');
    expect(post.body).toContain('1.001193 — Thủ tục đăng ký khai sinh — [Nộp hồ sơ trực tuyến](https://dichvucong.gov.vn/p/1)');
    expect(post.scheduled).toEqual([]);
    expect(await t.db.scheduledPost.count()).toBe(0);

    // A dry run changes nothing and drafts nothing.
    const dry = await importCatalogFile(t.db, { kind: 'procedures', fileName: 'thu.json', bytes: file([{ ...birth, fees: '1 đồng' }]), dryRun: true, who: 'canbo' });
    expect(dry).toMatchObject({ ok: true, dryRun: true });
    expect(await t.db.catalogChange.count()).toBe(2);

    // Staff edit the fee of 1.000894 the same day: it stays «new» in today's draft (not yet announced).
    const view = await t.db.procedure.findFirstOrThrow({ where: { code: '1.000894' } });
    await updateProcedure(
      t.db,
      '1.000894',
      {
        name: view.name, field: view.field, documents: (view.documents as string[]).join('\n'), processingTime: view.processingTime, fees: '10.000 đồng', submitAt: view.submitAt,
        onlineUrl: '', onlineLevel: '', legalBasis: '', aliases: '', situations: '', audience: '', active: true,
      } as never,
      'canbo',
    );
    expect(await t.db.catalogChange.findMany({ where: { source: 'edit' }, select: { code: true, kind: true, fields: true } })).toEqual([{ code: '1.000894', kind: 'changed', fields: ['fees'] }]);
    post = await t.db.post.findFirstOrThrow({ where: { slug }, include: { scheduled: true } });
    expect(post.body).toContain('Thủ tục hành chính mới ban hành (2)');
    expect(post.body).not.toContain('sửa đổi, bổ sung phí');
  });

  it('after the draft is queued, the next import goes into a new draft: changed fields and repealed', async () => {
    const [draft] = await t.db.post.findMany({ where: { topic: 'cap-nhat-tthc' } });
    await t.db.scheduledPost.create({ data: { communeId: communeIdOf(t.db), postId: draft!.id, channel: 'webchat', dueAt: new Date(Date.now() + 3_600_000), nextAttemptAt: new Date(Date.now() + 3_600_000), createdBy: 'canbo' } });
    await new Promise((r) => setTimeout(r, 5));
    const second = await importCatalogFile(t.db, {
      kind: 'procedures', fileName: 'dot-2.json', bytes: file([{ ...birth, fees: '8.000 đồng', processingTime: '03 ngày làm việc' }, { ...marriage, active: false }]), dryRun: false, who: 'canbo',
    });
    const slug = (second as { draftedPost: string }).draftedPost;
    expect(slug).toBe(`${draft!.slug}-2`);
    const post = await t.db.post.findFirstOrThrow({ where: { slug } });
    expect(post.body).toContain('Thủ tục hành chính được sửa đổi, bổ sung (1)');
    expect(post.body).toContain('1.001193 — Thủ tục đăng ký khai sinh: sửa đổi, bổ sung thời hạn giải quyết, phí, lệ phí');
    expect(post.body).toContain('Thủ tục hành chính bị bãi bỏ (1)');
    expect(post.body).toContain('1.000894');
    expect(post.body).not.toContain('mới ban hành (');
    // The queued draft was left as staff queued it.
    expect((await t.db.post.findUniqueOrThrow({ where: { id: draft!.id } })).body).toBe(draft!.body);
  });

  it('the report counts catalog-update posts under their topic', async () => {
    const at = new Date('2025-02-10T03:00:00Z');
    await send(t.db, { channel: 'webchat', kind: 'post', topic: 'cap-nhat-tthc', at, outcome: 'sent' });
    await send(t.db, { channel: 'zalo', kind: 'post', topic: 'cap-nhat-tthc', at, outcome: 'sent' });
    const tallies = await computeTallies(t.db, parsePeriod('2025-Q1'));
    expect(tallies.posts.byTopic).toEqual([{ key: 'cap-nhat-tthc', label: 'Cập nhật thủ tục hành chính mới ban hành, sửa đổi, bổ sung, bãi bỏ', service: 2, manual: 0, total: 2 }]);
  });
});
