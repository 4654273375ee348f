/**
 * Staff of one commune cannot read, export or change anything of another, over real HTTP into the real service.
 * Every route of the admin router is enumerated from the router itself (a new route cannot escape the test) and
 * requested by commune A's administrator with commune B's ids; B's rows must come out unchanged and no page or
 * export may show B's data. Positive controls: B's own staff and a province user do see B's data.
 */
import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { scopeToCommune } from '../../src/db/tenant.js';
import { createCommune, toTenant } from '../../src/domain/commune/communes.repo.js';
import { adminRouter } from '../../src/http/admin/router.js';
import { createUser } from '../../src/domain/staff/users.js';
import { LiveAttention } from '../../src/http/admin/live.js';
import { AdminClient } from '../support/admin-client.js';
import { startAdminService, type AdminService } from '../support/admin-service.js';

const marker = 'BIMATXAB';
const secrets = [marker, 'BÍ MẬT CỦA XÃ B', 'THỦ TỤC RIÊNG XÃ B', 'b-secret-hotline', 'canbo-xa-b', '7777'];

/** Every (method, path) the commune admin router serves, read from the router's own stack. */
function adminRoutes(router: Router): { method: 'get' | 'post'; path: string }[] {
  const out: { method: 'get' | 'post'; path: string }[] = [];
  for (const layer of (router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }).stack) {
    if (!layer.route) continue;
    for (const method of Object.keys(layer.route.methods)) {
      if (method === 'get' || method === 'post') out.push({ method, path: layer.route.path });
    }
  }
  return out;
}

async function seedCommuneB(b: Db, communeId: number, catalogId: number) {
  await b.communeProfile.create({ data: { communeId, name: `UBND xã B ${marker}`, address: 'Thôn B', workingHours: 'Thứ 2' } });
  const procedure = await b.procedure.create({
    data: { catalogId, code: 'B-001', name: `THỦ TỤC RIÊNG XÃ B ${marker}`, field: 'Hộ tịch', documents: ['Tờ khai'], processingTime: '1 ngày', fees: 'Không', submitAt: 'UBND xã B', legalBasis: [], aliases: [] },
  });
  const hotline = await b.hotline.create({ data: { communeId, key: 'b-secret-hotline', name: `Đường dây ${marker}`, number: '0207777777', purpose: 'Phản ánh' } });
  const conversation = await b.conversation.create({ data: { communeId, channel: 'telegram', address: '9001', citizenRef: 'ref-b', context: {}, state: 'waiting_staff', handedOverAt: new Date() } });
  const inbound = await b.inboundMessage.create({
    data: { communeId, channel: 'telegram', platformMessageId: 'b-1', conversationId: conversation.id, citizenRef: 'ref-b', kind: 'text', text: `BÍ MẬT CỦA XÃ B ${marker}`, message: {}, status: 'processed', outcome: 'unanswered' },
  });
  await b.unansweredQuestion.create({ data: { communeId, inboundId: inbound.id, conversationId: conversation.id, channel: 'telegram', text: `BÍ MẬT CỦA XÃ B ${marker}`, folded: 'bi mat cua xa b bimatxab' } });
  const post = await b.post.create({ data: { communeId, slug: 'bai-xa-b', title: `Bài ${marker}`, topic: 'tthc', tags: [], body: 'Nội dung', channels: ['telegram'], origin: 'admin', contentHash: 'h' } });
  const scheduled = await b.scheduledPost.create({ data: { communeId, postId: post.id, channel: 'telegram', dueAt: new Date(Date.now() + 86_400_000), nextAttemptAt: new Date(Date.now() + 86_400_000), state: 'queued' } });
  const plan = await b.postPlan.create({ data: { communeId, name: `Kế hoạch ${marker}`, weekdays: [1], times: ['08:00'], topics: ['tthc'], channels: ['telegram'], startAt: new Date(), nextRunAt: new Date(Date.now() + 86_400_000) } });
  const manual = await b.manualOutreach.create({ data: { communeId, date: '2026-12-01', channel: 'radio', count: 7777, note: marker, createdBy: 'canbo-xa-b' } });
  await b.auditLog.create({ data: { communeId, who: 'canbo-xa-b', action: 'hotline.create', entity: 'hotline', entityId: String(hotline.id), detail: { marker } } });
  await b.channelState.create({ data: { communeId, channel: 'telegram', healthy: false, lastError: `token ${marker}` } });
  const user = await createUser(b, { username: 'canbo-xa-b', role: 'administrator' }, 'test');
  // Main's newer commune-owned tables: assignment and notes, feedback with its trail, ratings, catalog changes, rejected events.
  await b.conversation.update({ where: { id: conversation.id }, data: { assignedToId: user.user.id } });
  await b.conversationNote.create({ data: { communeId, conversationId: conversation.id, authorId: user.user.id, text: `Ghi chú ${marker}` } });
  const feedback = await b.feedbackItem.create({
    data: {
      communeId, code: 'PA-2026-000001', channel: 'telegram', conversationId: conversation.id, citizenRef: 'ref-b', platformMessageId: 'fb-b-1', subject: 'procedure',
      content: `Phản ánh ${marker}`, phone: '0917777777', phoneConsent: true, publishConsent: true, state: 'answered', answer: `Trả lời ${marker}`, answeredAt: new Date(), dueAt: new Date(Date.now() + 86_400_000),
    },
  });
  await b.feedbackEvent.create({ data: { communeId, feedbackId: feedback.id, action: 'filed', toState: 'new', who: 'citizen', note: marker } });
  await b.feedbackCounter.create({ data: { communeId, year: 2026, last: 1 } });
  await b.satisfactionRating.create({ data: { communeId, channel: 'telegram', platformMessageId: 'rate-b-1', about: 'procedure', procedureCode: 'B-001', field: 'Hộ tịch', score: 'unsatisfied', reason: `Lý do ${marker}` } });
  await b.catalogChange.create({ data: { communeId, code: 'B-001', name: `THỦ TỤC RIÊNG XÃ B ${marker}`, kind: 'new', fields: [], day: '2026-12-01', source: 'edit', who: 'canbo-xa-b' } });
  await b.rejectedEvent.create({ data: { communeId, channel: 'telegram', reason: `bad ${marker}`, excerpt: marker, receivedAt: new Date() } });
  return { procedure, hotline, conversation, post, scheduled, plan, manual, user, feedback };
}

/** Everything commune B owns, as one comparable value. */
async function snapshotB(root: Db, communeId: number, catalogId: number): Promise<string> {
  const where = { communeId };
  const parts = await Promise.all([
    root.communeProfile.findMany({ where }),
    root.procedure.findMany({ where: { catalogId }, orderBy: { id: 'asc' } }),
    root.procedureOverride.findMany({ where }),
    root.hotline.findMany({ where, orderBy: { id: 'asc' } }),
    root.conversation.findMany({ where, orderBy: { id: 'asc' } }),
    root.inboundMessage.findMany({ where, orderBy: { id: 'asc' } }),
    root.unansweredQuestion.findMany({ where, orderBy: { id: 'asc' } }),
    root.outboundMessage.findMany({ where, orderBy: { id: 'asc' } }),
    root.post.findMany({ where, orderBy: { id: 'asc' } }),
    root.scheduledPost.findMany({ where, orderBy: { id: 'asc' } }),
    root.postPlan.findMany({ where, orderBy: { id: 'asc' } }),
    root.manualOutreach.findMany({ where, orderBy: { id: 'asc' } }),
    root.auditLog.findMany({ where, orderBy: { id: 'asc' } }),
    root.channelState.findMany({ where }),
    root.staffUser.findMany({ where, orderBy: { id: 'asc' }, select: { id: true, username: true, role: true, disabled: true, passwordHash: true, mustChangePassword: true, title: true, displayName: true } }),
    root.conversationNote.findMany({ where, orderBy: { id: 'asc' } }),
    root.feedbackItem.findMany({ where, orderBy: { id: 'asc' } }),
    root.feedbackEvent.findMany({ where, orderBy: { id: 'asc' } }),
    root.feedbackCounter.findMany({ where }),
    root.satisfactionRating.findMany({ where, orderBy: { id: 'asc' } }),
    root.catalogChange.findMany({ where, orderBy: { id: 'asc' } }),
    root.rejectedEvent.findMany({ where, orderBy: { id: 'asc' } }),
    root.channelAccount.findMany({ where, orderBy: { id: 'asc' } }),
  ]);
  return JSON.stringify(parts);
}

describe('commune isolation in the admin', () => {
  let s: AdminService;
  let a: AdminClient;
  let root: Db;
  let bIds: Awaited<ReturnType<typeof seedCommuneB>>;
  let bTenant: ReturnType<typeof toTenant>;
  let routes: { method: 'get' | 'post'; path: string }[];

  beforeAll(async () => {
    s = await startAdminService();
    root = s.service.db.root;
    const b = await createCommune(root, { slug: 'xa-b', name: `Xã B ${marker}`, catalogSlug: 'danh-muc-b' });
    bTenant = toTenant(b);
    bIds = await seedCommuneB(scopeToCommune(root, bTenant), b.id, b.catalogId);
    a = new AdminClient(s.service.url);
    await a.signIn(s.adminUsername, s.adminOneTimePassword, 'Mat-khau-moi-2026!');
    // Every optional part switched on, so the enumeration holds every route the service can mount.
    const live = new LiveAttention(s.service.db.db, s.service.log);
    routes = adminRoutes(adminRouter({ db: s.service.db.db, live, knowledge: () => s.service.conversation.knowledge(), dispatcher: { dispatch: async () => {} }, channels: [], log: s.service.log, secureCookies: false }));
    live.close();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('enumerates the whole admin router', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes).toContainEqual({ method: 'get', path: '/reports/export' });
    expect(routes).toContainEqual({ method: 'post', path: '/hotlines/:id' });
    for (const path of ['/feedback', '/feedback/:id', '/feedback/export.csv', '/live', '/unanswered/attach']) expect(routes).toContainEqual({ method: 'get', path });
    for (const path of ['/inbox/:id/notes', '/inbox/:id/assign', '/feedback/:id/answer', '/feedback/:id/transfer', '/feedback/:id/publish', '/feedback/:id/redact', '/feedback/:id/start']) {
      expect(routes).toContainEqual({ method: 'post', path });
    }
  });

  it("commune A's administrator gets nothing of commune B from any route, and B's rows stay unchanged", { timeout: 300_000 }, async () => {
    const before = await snapshotB(root, bTenant.communeId, bTenant.catalogId);
    const params: Record<string, string> = {
      ':id': '', ':code': 'B-001', ':name': 'telegram', ':toggle': 'pause',
    };
    const idFor = (path: string): string => {
      if (path.startsWith('/hotlines')) return String(bIds.hotline.id);
      if (path.startsWith('/inbox')) return String(bIds.conversation.id);
      if (path.startsWith('/posts')) return String(bIds.post.id);
      if (path.startsWith('/schedule/plans')) return String(bIds.plan.id);
      if (path.startsWith('/schedule')) return String(bIds.scheduled.id);
      if (path.startsWith('/reports/manual')) return String(bIds.manual.id);
      if (path.startsWith('/users')) return String(bIds.user.user.id);
      if (path.startsWith('/feedback')) return String(bIds.feedback.id);
      return '1';
    };
    // Forms aimed at B's objects: every field a page reads, with B's keys where a field names an object.
    const form: Record<string, string> = {
      folded: 'bi mat cua xa b bimatxab', procedureCode: 'B-001', alias: 'x', text: 'trả lời', address: '9001', name: 'Tên mới', number: '0200',
      purpose: 'x', hours: '', sortOrder: '1', role: 'viewer', username: 'nguoi-la', password: 'sai', current: 'sai', next: '/admin', confirm: 'x',
      title: 'Tiêu đề', topic: 'tthc', body: 'x', channels: 'telegram', at: '2030-01-01T08:00', date: '2026-12-01', channel: 'radio', count: '1',
      kind: 'hotlines', period: '2026', field: 'Hộ tịch', documents: 'x', processingTime: 'x', fees: 'x', submitAt: 'x', slug: 'xa-b',
      assignee: String(bIds.user.user.id), userId: String(bIds.user.user.id), situation: 'x', code: 'PA-2026-000001', reason: 'request',
    };
    const ordered = [...routes].sort((x, y) => Number(x.path === '/logout') - Number(y.path === '/logout'));
    const seen: string[] = [];
    for (const route of ordered) {
      const path = route.path.replace(/:[a-z]+/g, (p) => params[p] || idFor(route.path));
      let url = `/admin${path === '/' ? '' : path}`;
      if (route.method === 'get') {
        if (path === '/export') url += '?kind=hotlines&format=csv';
        if (path === '/reports/export') url += '?period=2026&format=csv';
        if (path === '/procedures' || path === '/inbox' || path === '/posts') url += '?q=bimatxab';
        if (path === '/unanswered/attach') url += '?folded=bi+mat+cua+xa+b+bimatxab&q=B-001&code=B-001';
        if (path === '/feedback') url += '?state=answered';
        if (path === '/live') {
          // The live stream: its first event is A's counts; it never names or counts B's waiting conversation.
          const first = await a.firstEvent(url);
          for (const secret of secrets) expect(first, `GET ${url} shows ${secret}`).not.toContain(secret);
          expect(first).toMatch(/^data: /m);
          expect(JSON.parse(/^data: (.*)$/m.exec(first)![1]!)).toMatchObject({ counts: { inbox: 0, unanswered: 0 } });
          seen.push(`${route.method} ${route.path}`);
          continue;
        }
        const r = await a.get(url);
        expect(r.location ?? '', `GET ${url} was answered signed in`).not.toContain('/admin/login');
        for (const secret of secrets) expect(r.body, `GET ${url} shows ${secret}`).not.toContain(secret);
        if (path === '/export' || path === '/reports/export' || path === '/feedback/export.csv') expect(r.status, url).toBe(200);
      } else {
        await a.get('/admin'); // a fresh CSRF token for the form
        const r = await a.post(url, form);
        for (const secret of secrets) expect(r.body, `POST ${url} shows ${secret}`).not.toContain(secret);
      }
      seen.push(`${route.method} ${route.path}`);
    }
    expect(seen).toHaveLength(routes.length);
    expect(await snapshotB(root, bTenant.communeId, bTenant.catalogId)).toBe(before);
  });

  it('a commune user cannot switch to another commune, by form or by cookie', async () => {
    const c = new AdminClient(s.service.url);
    const b = await c.signIn('canbo-xa-b', bIds.user.oneTimePassword, 'Mat-khau-xa-B-2026!');
    expect(b.body).toContain(marker); // positive control: B's own staff see B (its commune name)
    const hotlines = await c.get('/admin/hotlines');
    expect(hotlines.body).toContain(`Đường dây ${marker}`);
    // ... and the newer parts: feedback and its export, the conversation's note, the live counts.
    expect((await c.get(`/admin/feedback/${bIds.feedback.id}`)).body).toContain(`Phản ánh ${marker}`);
    expect((await c.get('/admin/feedback/export.csv')).body).toContain('PA-2026-000001');
    expect((await c.get(`/admin/inbox/${bIds.conversation.id}`)).body).toContain(`Ghi chú ${marker}`);
    expect(JSON.parse(/^data: (.*)$/m.exec(await c.firstEvent('/admin/live'))![1]!)).toMatchObject({ counts: { inbox: 1, unanswered: 1 } });
    const forged = new AdminClient(s.service.url);
    await forged.signIn(s.adminUsername, 'Mat-khau-moi-2026!');
    const refused = await forged.post('/admin/commune', { slug: 'xa-b' });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('Chỉ tài khoản cấp tỉnh');
    const viaCookie = await fetch(`${s.service.url}/admin/hotlines`, {
      headers: { cookie: `cchc_admin=${forged.cookie('cchc_admin')}; cchc_commune=xa-b` },
      redirect: 'manual',
    });
    const text = await viaCookie.text();
    expect(viaCookie.status).toBe(200);
    expect(text).not.toContain('b-secret-hotline');
  });
});
