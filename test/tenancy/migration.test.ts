/**
 * Upgrade of a single-commune database made by the release before communes (migration 20261124063339_init only):
 * applying the new migrations puts every row of every table into one commune, with nothing lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/db/client.js';
import { deployMigrations } from '../../src/db/migrate.js';
import { scopeToCommune } from '../../src/db/tenant.js';
import { getCommuneProfile } from '../../src/domain/commune/profile.repo.js';
import { freshDatabaseUrl } from '../support/db.js';

const before = '20261124063339_init';
const t = '2025-03-01 08:00:00';

/** Two rows in every table of the init schema, in an order that satisfies its foreign keys. */
const seedRows: [table: string, rows: string[]][] = [
  ['StaffUser', [
    `(1, 'admin', 'Quản trị', 'x', 'administrator', false, false, NULL, '${t}', '${t}')`,
    `(2, 'bientap', NULL, 'y', 'editor', false, true, NULL, '${t}', '${t}')`,
  ]],
  ['StaffSession', [`('s1', 1, 'c1', '${t}', '${t}', '${t}')`, `('s2', 2, 'c2', '${t}', '${t}', '${t}')`]],
  ['AuditLog', [`(1, 'admin', 'user.create', 'user', '2', '{}', '${t}')`, `(2, 'cli', 'import', 'procedure', NULL, '{"n":1}', '${t}')`]],
  ['Procedure', [
    `(1, '1.001193', 'Đăng ký khai sinh', 'Hộ tịch', '[]', '1 ngày', 'Miễn phí', 'Một cửa', NULL, NULL, '[]', '["ks"]', NULL, true, '${t}', '${t}')`,
    `(2, '1.000894', 'Đăng ký kết hôn', 'Hộ tịch', '[]', '3 ngày', 'Miễn phí', 'Một cửa', NULL, NULL, '[]', '[]', NULL, false, '${t}', '${t}')`,
  ]],
  ['CommuneProfile', [`(1, 'UBND xã Minh Tiến', 'Thôn 1', 'Thứ 2 – thứ 6', NULL, NULL, NULL, NULL, '${t}')`]],
  ['Hotline', [`(1, 'mot-cua', 'Một cửa', '0200', 'Hồ sơ', NULL, true, 0, '${t}')`, `(2, 'cong-an', 'Công an', '113', 'Khẩn cấp', NULL, false, 1, '${t}')`]],
  ['Conversation', [
    `(1, 'telegram', '42', 'ref1', 'bot', '{}', '${t}', NULL, '${t}', '${t}')`,
    `(2, 'webchat', 'w1', 'ref2', 'staff', '{}', '${t}', '${t}', '${t}', '${t}')`,
  ]],
  ['InboundMessage', [
    `(1, 'telegram', 'm1', 1, 'ref1', 'text', 'đk ks', NULL, '{}', 'processed', 'answered', '1.001193', 'Hộ tịch', '${t}', '${t}', NULL, 1, NULL)`,
    `(2, 'webchat', 'm2', 2, 'ref2', 'text', 'xin chào', NULL, '{}', 'processed', 'unanswered', NULL, NULL, '${t}', '${t}', NULL, 1, NULL)`,
  ]],
  ['UnansweredQuestion', [`(1, 2, 2, 'webchat', 'xin chào', 'xin chao', 'open', NULL, '${t}', NULL)`, `(2, 1, 1, 'telegram', 'đk ks', 'dk ks', 'dismissed', NULL, '${t}', '${t}')`]],
  ['OutboundMessage', [
    `(1, 'telegram', 'reply', 'ref1', '42', 1, 1, 0, NULL, '1.001193', 'Hộ tịch', NULL, 'Khai sinh…', '{}', 'sent', 1, '${t}', NULL, 'p1', '${t}', '${t}', '${t}')`,
    `(2, 'messenger', 'post', 'page', 'page', NULL, NULL, 0, 1, NULL, NULL, 'cchc', 'Tin bài', '{}', 'sent', 1, '${t}', NULL, 'p2', '${t}', '${t}', '${t}')`,
  ]],
  ['ChannelState', [`('zalo', false, 'token', '${t}', '${t}')`, `('messenger', true, NULL, NULL, '${t}')`]],
  ['ChannelToken', [`('zalo', 'a', 'r', '${t}', 3, '${t}')`, `('zalo:marker', 'b', NULL, NULL, 0, '${t}')`]],
  ['Post', [
    `(1, 'gioi-thieu', 'Giới thiệu', 'cchc', '[]', 'Nội dung', NULL, NULL, '["messenger"]', NULL, NULL, 'file', 'gioi-thieu.md', 'h1', false, '${t}', '${t}')`,
    `(2, 'admin-1', 'Bài của cán bộ', 'cchc', '[]', 'Nội dung', NULL, NULL, '[]', NULL, NULL, 'admin', NULL, 'h2', true, '${t}', '${t}')`,
  ]],
  ['PostPlan', [
    `(1, 'Hằng tuần', '[1]', '["08:00"]', '["cchc"]', '["messenger"]', '${t}', NULL, NULL, 8, '${t}', 1, 0, NULL, true, '${t}', '${t}')`,
    `(2, 'Tạm dừng', '[2]', '["09:00"]', '["cchc"]', '["zalo"]', '${t}', NULL, 3, NULL, NULL, 0, 0, NULL, false, '${t}', '${t}')`,
  ]],
  ['ScheduledPost', [
    `(1, 1, 'messenger', '${t}', 'published', 1, 1, '${t}', NULL, 'p2', NULL, NULL, NULL, '${t}', 2, 'plan', '${t}', '${t}')`,
    `(2, 2, 'zalo', '${t}', 'queued', NULL, 0, '${t}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'cli', '${t}', '${t}')`,
  ]],
  ['DailyTally', [`('2025-03-01', 'post_sent', 'messenger', 'cchc', 1)`, `('2025-03-01', 'reply_sent', 'telegram', '', 1)`]],
  ['CitizenActivity', [`('2025', 'ref1', 'telegram')`, `('2025-03-01', 'ref2', 'webchat')`]],
  ['ManualOutreach', [`(1, '2025-03-01', 'radio', 2, 'cchc', NULL, 'admin', '${t}')`, `(2, '2025-03-02', 'banner', 1, NULL, 'Pano', 'admin', '${t}')`]],
];
const tables = seedRows.map(([table]) => table);
const communeOwned = tables.filter((table) => !['Procedure', 'StaffSession'].includes(table));

async function counts(handle: DbHandle): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const rows = await handle.db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "${table}"`);
    out[table] = Number(rows[0]!.n);
  }
  return out;
}

describe('migrating a single-commune database into communes', () => {
  let database: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let handle: DbHandle;
  let countsBefore: Record<string, number>;
  let applied: string[];

  beforeAll(async () => {
    database = await freshDatabaseUrl();
    expect(await deployMigrations(database.url, before)).toEqual([before]);
    const old = await createDb(database.url);
    for (const [table, rows] of seedRows) await old.db.$executeRawUnsafe(`INSERT INTO "${table}" VALUES ${rows.join(', ')}`);
    if (old.provider === 'postgresql') {
      // The release before communes took ids from the sequences; these rows were inserted with explicit ids.
      for (const [table] of seedRows.filter(([, rows]) => /^\(\d/.test(rows[0]!))) {
        await old.db.$queryRawUnsafe(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT MAX("id") FROM "${table}"))`);
      }
    }
    countsBefore = await counts(old);
    await old.close();
    applied = await deployMigrations(database.url);
    handle = await createDb(database.url);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('applies the later migrations and keeps every row of every table', async () => {
    expect(applied.length).toBeGreaterThan(0);
    expect(Object.values(countsBefore).every((n) => n > 0)).toBe(true);
    expect(await counts(handle)).toEqual(countsBefore);
  });

  it('creates one commune from the profile, on catalog 1, and puts every commune-owned row in it', async () => {
    const communes = await handle.db.commune.findMany();
    expect(communes).toMatchObject([{ id: 1, slug: 'mac-dinh', name: 'UBND xã Minh Tiến', catalogId: 1 }]);
    for (const table of communeOwned) {
      const rows = await handle.db.$queryRawUnsafe<{ communeId: number | null }[]>(`SELECT "communeId" FROM "${table}"`);
      expect(rows.map((r) => Number(r.communeId)), table).toEqual(rows.map(() => 1));
    }
    const procedures = await handle.db.procedure.findMany({ orderBy: { id: 'asc' } });
    expect(procedures.map((p) => [p.code, p.catalogId, p.active])).toEqual([['1.001193', 1, true], ['1.000894', 1, false]]);
  });

  it('reads the moved rows through the commune-scoped client and keeps adding rows after them', async () => {
    const scoped = scopeToCommune(handle.db, { communeId: 1, catalogId: 1, slug: 'mac-dinh' });
    expect(await getCommuneProfile(scoped)).toMatchObject({ name: 'UBND xã Minh Tiến', workingHours: 'Thứ 2 – thứ 6' });
    expect(await scoped.hotline.count()).toBe(2);
    expect((await scoped.channelToken.findUnique({ where: { communeId_channel: { communeId: 1, channel: 'zalo' } } }))?.version).toBe(3);
    const user = await handle.db.staffUser.findUnique({ where: { username: 'admin' } });
    expect(user?.communeId).toBe(1);
    const post = await scoped.post.create({
      data: { slug: 'moi', title: 'Mới', topic: 'cchc', tags: [], body: 'x', channels: [], contentHash: 'h' } as never,
    });
    expect(post.id).toBeGreaterThan(2);
    const second = await handle.db.commune.create({ data: { slug: 'xa-hai', name: 'Xã Hai', catalogId: 1 } });
    expect(second.id).toBe(2);
  });
});
