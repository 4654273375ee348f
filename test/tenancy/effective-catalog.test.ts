/**
 * Issue 12 item 2 through the real service: three communes on the province's one catalog (the demo's 78
 * procedures). The process builds the catalog's search index ONCE; commune A answers from it as is, commune B (its
 * own fees and desk for khai sinh, kết hôn not offered) from an overlay of the same index, commune C (an extra local
 * name for khai sinh) from an index of its own. Each commune's answers come from its effective catalog and the
 * shared rows stay the province's. The override is set with `npm run communes -- override`, as staff would.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../src/app/service.js';
import { createDb } from '../../src/db/client.js';
import { scopeToCommune } from '../../src/db/tenant.js';
import { createCommune, toTenant } from '../../src/domain/commune/communes.repo.js';
import { OverlayIndex } from '../../src/domain/procedures/effective.js';
import { ProcedureIndex } from '../../src/domain/procedures/search.js';
import { setProcedureOverride } from '../../src/domain/staff/overrides.repo.js';
import type { InboundMessage } from '../../src/domain/messages.js';
import { freshDatabaseUrl } from '../support/db.js';
import { AdminClient } from '../support/admin-client.js';
import { createUser } from '../../src/domain/staff/users.js';
import { getEffectiveProcedure } from '../../src/domain/staff/procedures-admin.repo.js';
import { testConfig } from '../support/service.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const birth = '1.001193';
const marriage = '1.000894';
const feeB = 'Miễn phí theo Nghị quyết 12/2025/NQ-HĐND tỉnh (xã B)';
const deskB = 'Bộ phận một cửa xã B, thôn Đông';
const localName = 'giấy chào đời phường cê';

const ask = (text: string, id: string): InboundMessage => ({ channel: 'webchat', platformMessageId: id, address: 'w-1', kind: 'text', text, receivedAt: new Date() });

describe('effective catalog per commune, one shared index', () => {
  let db: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let s: Service;

  beforeAll(async () => {
    db = await freshDatabaseUrl();
    const config = testConfig(db.url, { SEED_DEMO: 'true', LOG_LEVEL: 'silent' });
    // First start: migrations, the first commune and the demo catalog.
    const first = await startService(config, { noCron: true, onFirstAdministrator: () => {} });
    await first.close();
    const handle = await createDb(db.url);
    try {
      const b = scopeToCommune(handle.db, toTenant(await createCommune(handle.db, { slug: 'xa-b', name: 'Xã B' })));
      await setProcedureOverride(b, marriage, { inactive: true }, 'test');
      await createCommune(handle.db, { slug: 'phuong-c', name: 'Phường C' });
    } finally {
      await handle.close();
    }
    // Commune B's fee and desk through the command, as staff set them.
    const env = { ...process.env, DATABASE_URL: db.url, CONTENT_DIR: path.join(root, 'content'), LOG_LEVEL: 'silent', SEED_DEMO: 'false', COMMUNE: '' };
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/communes.ts', ...args], { cwd: root, env });
    const set = await cli('override', 'set', birth, '--commune', 'xa-b', '--fees', feeB, '--submit-at', deskB);
    expect(set.stdout).toContain(`thủ tục ${birth}`);
    await cli('override', 'set', birth, '--commune', 'phuong-c', '--alias', localName);
    const listed = JSON.parse((await cli('override', 'list', '--commune', 'xa-b', '--json')).stdout) as { code: string }[];
    expect(listed.map((o) => o.code).sort()).toEqual([marriage, birth].sort());
    s = await startService(config, { noCron: true });
  }, 240_000);
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  const commune = (slug: string) => s.communes.find((c) => c.tenant.slug === slug)!;
  const answer = (slug: string, text: string) => commune(slug).conversation.respond({ message: ask(text, `${slug}-${text}`), context: {} });

  it('builds the catalog’s index once for the three communes; B overlays it, only C holds its own', () => {
    expect(s.communes).toHaveLength(3);
    expect(new Set(s.communes.map((c) => c.tenant.catalogId)).size).toBe(1);
    expect(s.catalogs.builds).toBe(1);
    const a = s.communes.find((c) => !['xa-b', 'phuong-c'].includes(c.tenant.slug))!;
    const shared = a.conversation.knowledge().index;
    expect(shared).toBeInstanceOf(ProcedureIndex);
    const b = commune('xa-b').conversation.knowledge().index;
    expect(b).toBeInstanceOf(OverlayIndex);
    expect((b as OverlayIndex).base).toBe(shared);
    const c = commune('phuong-c').conversation.knowledge().index;
    expect(c).not.toBe(shared);
  });

  it('answers each commune from its effective catalog', () => {
    const a = s.communes.find((c) => !['xa-b', 'phuong-c'].includes(c.tenant.slug))!;
    const baseFee = a.conversation.knowledge().index.byCode(birth)!.fees;
    const inA = a.conversation.respond({ message: ask('làm giấy khai sinh cần gì', 'a-1'), context: {} });
    const inB = answer('xa-b', 'làm giấy khai sinh cần gì');
    expect(inA.procedureCode).toBe(birth);
    expect(inB.procedureCode).toBe(birth);
    expect(JSON.stringify(inB.replies)).toContain(feeB);
    expect(JSON.stringify(inB.replies)).toContain(deskB);
    expect(JSON.stringify(inA.replies)).not.toContain(feeB);
    expect(JSON.stringify(inA.replies)).toContain(baseFee.slice(0, 20));
    // Kết hôn: A answers it; B does not offer it and never names it.
    expect(a.conversation.respond({ message: ask('đăng ký kết hôn cần giấy tờ gì', 'a-2'), context: {} }).procedureCode).toBe(marriage);
    const marriedB = answer('xa-b', 'đăng ký kết hôn cần giấy tờ gì');
    expect(marriedB.procedureCode).not.toBe(marriage);
    expect(JSON.stringify(marriedB.replies)).not.toContain(marriage);
    // C's local name is C's only.
    expect(answer('phuong-c', localName).procedureCode).toBe(birth);
    expect(a.conversation.respond({ message: ask(localName, 'a-3'), context: {} }).procedureCode).not.toBe(birth);
  });

  it('keeps the shared rows the province’s', async () => {
    const handle = await createDb(db.url);
    try {
      const rows = await handle.db.procedure.findMany({ where: { code: { in: [birth, marriage] } } });
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.active)).toBe(true);
      expect(rows.find((r) => r.code === birth)!.fees).not.toBe(feeB);
      expect(JSON.stringify(rows.find((r) => r.code === birth)!.aliases)).not.toContain(localName);
    } finally {
      await handle.close();
    }
  });

  it('commune staff edit a shared procedure as their commune’s override; province fields and catalog files are refused', { timeout: 120_000 }, async () => {
    const b = commune('xa-b');
    const { oneTimePassword } = await createUser(b.db, { username: 'canbo-xa-b', role: 'editor' }, 'test');
    const client = new AdminClient(s.url);
    await client.signIn('canbo-xa-b', oneTimePassword, 'Mat-khau-xa-B-2026!');
    const page = await client.get(`/admin/procedures/${birth}`);
    expect(page.body).toContain('dùng chung cho các xã, phường');
    expect(page.body).toContain(feeB); // the form shows what commune B answers
    const p = (await getEffectiveProcedure(b.db, birth))!;
    const form = {
      name: p.name, field: p.field, documents: p.documents.join('\n'), processingTime: 'Trong ngày làm việc (xã B)', fees: p.fees, submitAt: p.submitAt,
      onlineUrl: p.onlineUrl ?? '', onlineLevel: p.onlineLevel ?? '', legalBasis: p.legalBasis.join('\n'), aliases: [...p.aliases, 'khai sinh xã B'].join('\n'),
      situations: p.situations.join('\n'), audience: p.audience ?? '', active: 'on',
    };
    const saved = await client.post(`/admin/procedures/${birth}`, form);
    expect(saved.status, saved.body.slice(0, 300)).toBe(303);
    const inB = b.conversation.respond({ message: ask('làm giấy khai sinh cần gì', 'b-9'), context: {} });
    expect(JSON.stringify(inB.replies)).toContain('Trong ngày làm việc (xã B)');
    expect(JSON.stringify(inB.replies)).toContain(feeB); // kept
    expect(b.conversation.respond({ message: ask('khai sinh xã B', 'b-10'), context: {} }).procedureCode).toBe(birth);
    const a = s.communes.find((c) => !['xa-b', 'phuong-c'].includes(c.tenant.slug))!;
    expect(JSON.stringify(a.conversation.respond({ message: ask('làm giấy khai sinh cần gì', 'a-9'), context: {} }).replies)).not.toContain('xã B');
    const row = await a.db.procedure.findFirstOrThrow({ where: { code: birth } });
    expect(row.processingTime).not.toBe('Trong ngày làm việc (xã B)');
    expect(JSON.stringify(row.aliases)).not.toContain('xã B');

    await client.get(`/admin/procedures/${birth}`);
    const renamed = await client.post(`/admin/procedures/${birth}`, { ...form, name: 'Tên do xã đặt' });
    expect(renamed.status).toBe(400);
    expect(renamed.body).toContain('thuộc danh mục chung của tỉnh');
    expect((await a.db.procedure.findFirstOrThrow({ where: { code: birth } })).name).toBe(p.name);

    await client.get('/admin/import?kind=procedures');
    const imported = await client.post('/admin/import', { kind: 'procedures', fileName: 'tthc.json', file: Buffer.from('[]').toString('base64') });
    expect(imported.status).toBe(403);
    expect(imported.body).toContain('chỉ tài khoản cấp tỉnh');
  });
});
