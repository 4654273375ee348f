/**
 * Upgrade of a single-commune database made by the current main, before communes (every migration up to
 * 20261203173911_feedback_satisfaction_catalog_changes): applying the communes migration puts every row of every
 * table into one commune, with nothing lost — every column of every row compares equal before and after.
 * Rows are written at the init schema, then the later migrations run and their tables and columns are filled too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/db/client.js';
import { deployMigrations } from '../../src/db/migrate.js';
import { scopeToCommune } from '../../src/db/tenant.js';
import { getCommuneProfile } from '../../src/domain/commune/profile.repo.js';
import { freshDatabaseUrl } from '../support/db.js';

const init = '20261124063339_init';
/** The newest migration of main before communes: the schema of the database being upgraded. */
const before = '20261203173911_feedback_satisfaction_catalog_changes';
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
/** Rows of the tables and columns main added after init (named columns: written at main's newest schema). */
const mainRows: [table: string, columns: string, rows: string[]][] = [
  ['LoginAttempt', '"id", "username", "address", "outcome", "at"', [`(1, 'admin', '10.0.0.1', 'failed', '${t}')`, `(2, 'khach', '10.0.0.2', 'refused', '${t}')`]],
  ['RejectedEvent', '"id", "channel", "reason", "excerpt", "receivedAt"', [`(1, 'messenger', 'event has an unexpected shape', '{"x":1}', '${t}')`, `(2, 'zalo', 'lone surrogate', '{}', '${t}')`]],
  ['ConversationNote', '"id", "conversationId", "authorId", "text", "createdAt"', [`(1, 2, 1, 'Đã gọi lại cho người dân', '${t}')`, `(2, 2, NULL, 'Ghi chú cũ', '${t}')`]],
  ['CatalogChange', '"id", "code", "name", "kind", "fields", "onlineUrl", "day", "source", "who", "at"', [
    `(1, '1.001193', 'Đăng ký khai sinh', 'changed', '["fees"]', NULL, '2025-03-01', 'edit', 'admin', '${t}')`,
    `(2, '1.000894', 'Đăng ký kết hôn', 'new', '[]', 'https://dichvucong.gov.vn', '2025-03-01', 'import', 'cli', '${t}')`,
  ]],
  ['FeedbackItem', '"id", "code", "channel", "conversationId", "citizenRef", "platformMessageId", "subject", "content", "phone", "phoneConsent", "publishConsent", "state", "dueAt", "answer", "receivedAt", "updatedAt"', [
    `(1, 'PA-2025-000001', 'telegram', 1, 'ref1', 'f1', 'procedure', 'Hồ sơ chậm', '0912345678', true, false, 'answered', '${t}', 'Đã giải quyết', '${t}', '${t}')`,
    `(2, 'PA-2025-000002', 'webchat', 2, 'ref2', 'f2', 'conduct', 'Thái độ cán bộ', NULL, false, true, 'new', '${t}', NULL, '${t}', '${t}')`,
  ]],
  ['FeedbackEvent', '"id", "feedbackId", "action", "fromState", "toState", "who", "note", "at"', [`(1, 1, 'filed', NULL, 'new', 'citizen', NULL, '${t}')`, `(2, 1, 'answered', 'new', 'answered', 'admin', NULL, '${t}')`]],
  ['FeedbackCounter', '"year", "last"', [`(2025, 2)`, `(2024, 17)`]],
  ['SatisfactionRating', '"id", "channel", "platformMessageId", "about", "procedureCode", "field", "score", "reason", "ratedAt"', [
    `(1, 'telegram', 'r1', 'procedure', '1.001193', 'Hộ tịch', 'satisfied', NULL, '${t}')`,
    `(2, 'zalo', 'r2', 'staff', NULL, NULL, 'unsatisfied', 'Chờ lâu', '${t}')`,
  ]],
];
/** Columns main added to tables of the init schema, filled on the rows written there. */
const mainUpdates = [
  `UPDATE "StaffUser" SET "title" = 'Văn phòng UBND xã' WHERE "id" = 1`,
  `UPDATE "CommuneProfile" SET "officeHours" = 'T2-T6 07:30-11:30 13:30-17:00'`,
  `UPDATE "Conversation" SET "assignedToId" = 1 WHERE "id" = 2`,
  `UPDATE "Procedure" SET "audience" = 'Cha mẹ', "situations" = '["con mới sinh"]' WHERE "id" = 1`,
];
const tables = [...seedRows.map(([table]) => table), ...mainRows.map(([table]) => table)];
/** Installation-wide tables: sessions follow their user; sign-in throttling counts across communes. */
const installationWide = ['Procedure', 'StaffSession', 'LoginAttempt'];
const communeOwned = tables.filter((table) => !installationWide.includes(table));
const withSequence = new Set([...seedRows.filter(([, rows]) => /^\(\d/.test(rows[0]!)).map(([table]) => table), ...mainRows.filter(([, cols]) => cols.startsWith('"id"')).map(([table]) => table)]);

async function counts(handle: DbHandle): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const rows = await handle.db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "${table}"`);
    out[table] = Number(rows[0]!.n);
  }
  return out;
}

/** Every row of every table as comparable text, without the columns the migration adds (and the profile's old id). */
async function contents(handle: DbHandle): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = await handle.db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${table}"`);
    out[table] = rows
      .map((row) => {
        const kept = Object.entries(row).filter(([k]) => k !== 'communeId' && k !== 'catalogId' && !(table === 'CommuneProfile' && k === 'id'));
        kept.sort(([a], [b]) => a.localeCompare(b));
        return JSON.stringify(kept, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
      })
      .sort();
  }
  return out;
}

describe('migrating a single-commune database into communes', () => {
  let database: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let handle: DbHandle;
  let countsBefore: Record<string, number>;
  let contentsBefore: Record<string, string[]>;
  let applied: string[];

  beforeAll(async () => {
    database = await freshDatabaseUrl();
    expect(await deployMigrations(database.url, init)).toEqual([init]);
    const first = await createDb(database.url);
    for (const [table, rows] of seedRows) await first.db.$executeRawUnsafe(`INSERT INTO "${table}" VALUES ${rows.join(', ')}`);
    await first.close();
    // Main's later migrations, then their tables and columns filled: the database main makes today.
    expect((await deployMigrations(database.url, before)).at(-1)).toBe(before);
    const old = await createDb(database.url);
    for (const update of mainUpdates) await old.db.$executeRawUnsafe(update);
    for (const [table, columns, rows] of mainRows) await old.db.$executeRawUnsafe(`INSERT INTO "${table}" (${columns}) VALUES ${rows.join(', ')}`);
    if (old.provider === 'postgresql') {
      // Main takes ids from the sequences; these rows were inserted with explicit ids.
      for (const table of withSequence) {
        await old.db.$queryRawUnsafe(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT MAX("id") FROM "${table}"))`);
      }
    }
    countsBefore = await counts(old);
    contentsBefore = await contents(old);
    await old.close();
    applied = await deployMigrations(database.url);
    handle = await createDb(database.url);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('applies the later migrations and keeps every row of every table', async () => {
    expect(applied).toEqual([expect.stringMatching(/^\d{14}_communes$/)]);
    expect(Object.values(countsBefore).every((n) => n > 0)).toBe(true);
    expect(await counts(handle)).toEqual(countsBefore);
  });

  it('keeps every column of every row, including those main added after init', async () => {
    const after = await contents(handle);
    for (const table of tables) expect(after[table], table).toEqual(contentsBefore[table]);
    expect(contentsBefore.StaffUser!.join()).toContain('Văn phòng UBND xã');
    expect(contentsBefore.CommuneProfile!.join()).toContain('07:30-11:30');
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
    // Main's newer tables: read through the scoped client, and the commune's own tracking sequence goes on.
    expect(await scoped.feedbackItem.count()).toBe(2);
    expect(await scoped.satisfactionRating.count()).toBe(2);
    expect(await scoped.conversationNote.count()).toBe(2);
    expect(await scoped.catalogChange.count()).toBe(2);
    expect(await scoped.rejectedEvent.count()).toBe(2);
    expect((await scoped.feedbackCounter.findUnique({ where: { communeId_year: { communeId: 1, year: 2025 } } }))?.last).toBe(2);
    const second = await handle.db.commune.create({ data: { slug: 'xa-hai', name: 'Xã Hai', catalogId: 1 } });
    expect(second.id).toBe(2);
    // Another commune's scoped client sees none of it.
    const other = scopeToCommune(handle.db, { communeId: 2, catalogId: 1, slug: 'xa-hai' });
    expect(await other.feedbackItem.count()).toBe(0);
    expect(await other.conversation.count()).toBe(0);
    expect(await other.auditLog.count()).toBe(0);
  });
});
