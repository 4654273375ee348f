/**
 * Day-one staff paths over real HTTP into the real service: a post queued to a channel that is not configured is
 * refused with the reason (admin), and a due row on such a channel is shown with the reason instead of waiting
 * silently (the scheduler tick).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AdminClient } from '../support/admin-client.js';
import { startAdminService, type AdminService } from '../support/admin-service.js';

let s: AdminService;
let admin: AdminClient;

beforeAll(async () => {
  // Configured here: the recording Telegram channel, and the website feed (always).
  s = await startAdminService({ SEED_DEMO: 'true' });
  admin = new AdminClient(s.service.url);
  await admin.signIn(s.adminUsername, s.adminOneTimePassword, 'mật khẩu mới của quản trị');
}, 60_000);
afterAll(async () => {
  await s?.close();
});

it('refuses to queue a post to an unconfigured channel, saying which and why; a configured one is queued', async () => {
  const post = (await s.service.db.db.post.findMany({ where: { archived: false } })).find((p) => (p.channels as string[]).includes('messenger') && (p.channels as string[]).includes('webchat'))!;
  const page = await admin.get(`/admin/posts/${post.id}`);
  expect(page.body).toMatch(/value="messenger" id="q-ch-messenger" disabled> Fanpage Facebook <span class="meta">\(chưa cấu hình trên máy chủ, không đăng được\)/);
  expect(page.body).not.toMatch(/id="q-ch-webchat"[^>]*disabled/);
  const at = new Date(Date.now() + 2 * 3_600_000);
  const local = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 16);
  const refused = await admin.post(`/admin/posts/${post.id}/queue`, { channels: 'messenger', at: local });
  expect(refused.status).toBe(400);
  expect(refused.body).toContain('Fanpage Facebook chưa được cấu hình trên máy chủ này');
  // The queue form comes back with the chosen time kept and the reason beside the channels.
  expect(refused.body).toContain(`id="q-at" name="at" type="datetime-local" required value="${local}"`);
  expect(refused.body).toMatch(/<\/fieldset><p class="field-error" id="e-channels">Fanpage Facebook chưa được cấu hình/);
  expect(await s.service.db.db.scheduledPost.count({ where: { postId: post.id } })).toBe(0);
  await admin.get(`/admin/posts/${post.id}`);
  const queued = await admin.post(`/admin/posts/${post.id}/queue`, { channels: 'webchat', at: local });
  expect(queued.status).toBe(303);
  expect(await s.service.db.db.scheduledPost.count({ where: { postId: post.id, channel: 'webchat' } })).toBe(1);
});

it('a due row on a channel that is not configured shows the reason on the schedule page', async () => {
  const post = await s.service.db.db.post.findFirstOrThrow({ where: { archived: false } });
  const now = new Date();
  await s.service.db.db.scheduledPost.create({ data: { communeId: s.service.db.tenant.communeId, postId: post.id, channel: 'zalo', dueAt: now, nextAttemptAt: now, state: 'queued', createdBy: 'cli' } });
  await s.service.tick();
  const row = await s.service.db.db.scheduledPost.findFirstOrThrow({ where: { channel: 'zalo' } });
  expect(row.state).toBe('queued');
  expect(row.lastError).toContain('Zalo OA chưa được cấu hình trên máy chủ');
  const schedule = await admin.get('/admin/schedule');
  expect(schedule.body).toContain('Lý do: Chưa đăng được: Zalo OA chưa được cấu hình trên máy chủ');
});

it('a procedure with an online link never says «Không trực tuyến» in the admin', async () => {
  const withLink = await s.service.db.db.procedure.findMany({ where: { onlineUrl: { not: null } }, take: 5 });
  expect(withLink.length).toBeGreaterThan(0);
  for (const p of withLink) {
    const page = await admin.get(`/admin/procedures/${p.code}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('Không trực tuyến');
  }
  const without = await s.service.db.db.procedure.findFirst({ where: { onlineUrl: null } });
  if (without) expect((await admin.get(`/admin/procedures/${without.code}`)).body).toContain('Không trực tuyến');
});

it('the import lists a duplicate row’s other errors too, and uses the admin form’s link rule', async () => {
  const header = 'Mã thủ tục,Tên thủ tục,Lĩnh vực,Thành phần hồ sơ,Thời hạn giải quyết,"Phí, lệ phí",Nơi nộp,Đường dẫn';
  const good = '1.000894,Đăng ký kết hôn,Hộ tịch,Tờ khai đăng ký kết hôn,Ngay trong ngày,Miễn lệ phí,UBND xã,https://dichvucong.gov.vn/p/home/dvc-trang-chu.html';
  const duplicateAndBad = '1.000894,,Hộ tịch,Tờ khai,1 ngày,Không,UBND xã,dichvucong.gov.vn';
  const upload = (csv: string) => ({ kind: 'procedures', fileName: 'thu-tuc.csv', file: Buffer.from(csv, 'utf8').toString('base64') });
  await admin.get('/admin/import?kind=procedures');
  const r = await admin.post('/admin/import', upload([header, good, duplicateAndBad].join('\n')));
  expect(r.status).toBe(400);
  expect(r.body).toMatch(/<td class="num">3<\/td><td>Mã thủ tục<\/td><td>[^<]*trùng với dòng 2/);
  expect(r.body).toMatch(/<td class="num">3<\/td><td>Tên thủ tục<\/td><td>[^<]*không được để trống/);
  expect(r.body).toMatch(/<td class="num">3<\/td><td>Đường dẫn DVC trực tuyến<\/td><td>[^<]*không phải đường dẫn bắt đầu bằng http:\/\/ hoặc https:\/\//);

  // The admin form refuses what the import refuses, and accepts what it accepts.
  const code = '1.001193';
  const form = await admin.get(`/admin/procedures/${code}`);
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(form.body)?.[1] ?? '';
  const textarea = (name: string) => new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`).exec(form.body)?.[1] ?? '';
  const fields = {
    name: value('name'), field: value('field'), documents: textarea('documents'), processingTime: textarea('processingTime') || value('processingTime'),
    fees: textarea('fees') || value('fees'), submitAt: textarea('submitAt') || value('submitAt'), onlineLevel: '', legalBasis: textarea('legalBasis'),
    aliases: textarea('aliases'), situations: textarea('situations'), audience: textarea('audience') || value('audience'), active: 'on',
  };
  for (const bad of ['dichvucong.gov.vn', 'javascript:alert(1)', 'https://dich vu cong.gov.vn']) {
    const refused = await admin.post(`/admin/procedures/${code}`, { ...fields, onlineUrl: bad });
    expect(refused.status, bad).toBe(400);
    expect(refused.body).toContain('phải bắt đầu bằng https://');
    // The form comes back with what was typed and the message right under the field.
    expect(refused.body).toContain(`value="${bad.replace(/"/g, '&quot;')}" aria-describedby="e-onlineUrl h-onlineUrl" aria-invalid="true"><p class="field-error" id="e-onlineUrl">`);
    expect(refused.body).toContain(`value="${fields.name}"`);
    await admin.get(`/admin/procedures/${code}`);
  }
});

it('staff screens show no technical text: the audit log in Vietnamese and Vietnam time, report rows labelled', async () => {
  // An audited change whose detail holds channel keys and a UTC instant (the queueing above), and a message a
  // citizen sent while talking with staff (outcome to_staff).
  const { finishInbound, storeInbound } = await import('../../src/domain/ledger/inbound.repo.js');
  const stored = await storeInbound(s.service.db.db, { channel: 'telegram', platformMessageId: 'to-staff-1', address: '5001', kind: 'text', text: 'cán bộ ơi', receivedAt: new Date() }, 'ref-5001');
  await s.service.db.db.$transaction((tx) => finishInbound(tx, stored.id, { outcome: 'to_staff' }));

  const post = await s.service.db.db.post.findFirstOrThrow({ where: { archived: false, slug: { not: '' } }, orderBy: { id: 'desc' } });
  const { queuePostAudited } = await import('../../src/domain/staff/posts-admin.js');
  await queuePostAudited(s.service.db.db, { post: post.id, channels: ['webchat'], at: new Date(Date.now() + 86_400_000), now: new Date(), repeat: true }, 'quantri');

  const audit = await admin.get('/admin/audit');
  expect(audit.status).toBe(200);
  const table = audit.body.slice(audit.body.indexOf('<table'), audit.body.indexOf('</table>'));
  expect(table, table.slice(0, 3000)).toContain('Đưa bài vào lịch đăng');
  // PostgreSQL's jsonb keeps keys in its own order, so each part is checked on its own.
  expect(table).toMatch(/Lượt đăng: Mã: \d+, Kênh: Web chat \(Trang TTĐT\)/);
  expect(table).toMatch(/Thời điểm: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  expect(table).toMatch(/Bài viết số \d+/);
  expect(table).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|&quot;|\{|scheduled_post|webchat/);

  const quarter = await admin.get('/admin');
  const reportLink = /href="(\/admin\/reports\?period=[^"]+)"/.exec(quarter.body)![1]!;
  const report = await admin.get(reportLink);
  expect(report.status).toBe(200);
  expect(report.body).toContain('Người dân nhắn khi đang trò chuyện với cán bộ');
  expect(report.body).not.toContain('to_staff');

  const channels = await admin.get('/admin/channels');
  expect(channels.body).not.toContain('mã phiên');
});

it('a library post edited in the admin becomes the admin’s: the file no longer overwrites it, and staff are told', async () => {
  const { syncPostLibrary } = await import('../../src/app/scheduler.js');
  const post = await s.service.db.db.post.findFirstOrThrow({ where: { origin: 'file', archived: false }, orderBy: { id: 'asc' } });
  const page = await admin.get(`/admin/posts/${post.id}`);
  expect(page.body).toContain('Nếu lưu thay đổi tại đây, bản trên trang quản trị sẽ được dùng và tệp không còn ghi đè bài này nữa.');
  const channels = (post.channels as string[]).filter((c) => c === 'webchat' || c === 'telegram');
  const edited = await admin.post(`/admin/posts/${post.id}`, {
    title: `${post.title} (cập nhật)`, topic: post.topic, tags: '', body: `${post.body}\n\nCập nhật: giờ tiếp dân mới từ tháng 12.`,
    imageUrl: post.imageUrl ?? '', link: post.link ?? '', notBefore: '', notAfter: '', ...(channels.length ? { channels: channels[0]! } : { channels: 'webchat' }),
  });
  expect(edited.status, edited.body.slice(0, 2000)).toBe(303);
  const after = await s.service.db.db.post.findUniqueOrThrow({ where: { id: post.id } });
  expect(after.origin).toBe('admin');
  expect(after.sourceFile).toBe(post.sourceFile);
  // The library sync (every start, `npm run posts -- sync`) leaves the edited post alone.
  const sync = await syncPostLibrary(s.service.config, s.service.db.db, s.service.log);
  expect(sync.problems).toEqual([]);
  const synced = await s.service.db.db.post.findUniqueOrThrow({ where: { id: post.id } });
  expect(synced.title).toBe(`${post.title} (cập nhật)`);
  expect(synced.body).toContain('giờ tiếp dân mới');
  const shown = await admin.get(`/admin/posts/${post.id}`);
  expect(shown.body).toContain('đã được sửa trên trang quản trị: từ nay tệp không còn ghi đè nội dung này');
  const audit = await admin.get('/admin/audit');
  expect(audit.body).toContain('Sửa bài lấy từ tệp thư viện');
});

it('a refused hotline keeps what was typed and says beside the number field what to fix', async () => {
  await admin.get('/admin/hotlines');
  const typed = { name: 'Công an xã Thử Nghiệm', number: 'gọi-ngay-abc', purpose: 'An ninh trật tự', hours: '24/7', sortOrder: '5' };
  const refused = await admin.post('/admin/hotlines', typed);
  expect(refused.status).toBe(400);
  expect(refused.body).toContain('value="gọi-ngay-abc" aria-invalid="true" aria-describedby="e-number"><p class="field-error" id="e-number">Số điện thoại chỉ gồm chữ số');
  expect(refused.body).toContain(`value="${typed.name}"`);
  expect(refused.body).toContain(`value="${typed.purpose}"`);
  expect(refused.body).not.toContain('Quay lại');
  expect((await admin.get('/admin/hotlines')).body).not.toContain(typed.name);
});

it('a refused new user keeps what was typed and says beside the username what to fix', async () => {
  await admin.get('/admin/users');
  const refused = await admin.post('/admin/users', { username: 'cán bộ!', displayName: 'Nguyễn Thị Thử', role: 'viewer' });
  expect(refused.status).toBe(400);
  expect(refused.body).toContain('value="cán bộ!" aria-invalid="true" aria-describedby="e-username new-username-hint"><p class="field-error" id="e-username">Tên đăng nhập gồm 3–32 ký tự');
  expect(refused.body).toContain('value="Nguyễn Thị Thử"');
  expect(refused.body).toMatch(/<select id="new-role" name="role">[\s\S]*?<option value="viewer" selected>/);
  expect(refused.body).not.toContain('Mật khẩu dùng một lần');
});

it('a refused profile keeps what was typed and says beside the name what to fix; a refused password change says which field', async () => {
  await admin.get('/admin/account/profile');
  const longTitle = 'Văn phòng UBND xã Thử Nghiệm';
  const refused = await admin.post('/admin/account/profile', { displayName: '   ', title: longTitle });
  expect(refused.status).toBe(400);
  expect(refused.body).toContain('aria-invalid="true" aria-describedby="e-displayName"><p class="field-error" id="e-displayName">Vui lòng nhập họ và tên');
  expect(refused.body).toContain(`value="${longTitle}"`);

  await admin.get('/admin/account/password');
  const wrong = await admin.post('/admin/account/password', { current: 'không phải mật khẩu này', next: 'một mật khẩu mới đủ dài', confirm: 'một mật khẩu mới đủ dài' });
  expect(wrong.status).toBe(400);
  expect(wrong.body).toContain('aria-invalid="true" aria-describedby="e-current"><p class="field-error" id="e-current">Mật khẩu hiện tại không đúng.');
  // Passwords are never written back into the page.
  expect(wrong.body).not.toContain('không phải mật khẩu này');
});

it('a refused manual report entry keeps what was typed and says beside the count what to fix', async () => {
  await admin.get('/admin/reports?period=2024-H1');
  const typed = { date: '2024-03-05', channel: 'meeting', count: '0', topic: 'Đăng ký khai sinh trực tuyến', note: 'Phát 2 buổi sáng' };
  const refused = await admin.post('/admin/reports/manual?period=2024-H1', typed);
  expect(refused.status).toBe(400);
  expect(refused.body).toContain('value="0" aria-invalid="true" aria-describedby="e-count"><p class="field-error" id="e-count">Số lượng &quot;0&quot; không hợp lệ');
  expect(refused.body).toContain('value="2024-03-05"');
  expect(refused.body).toContain(`value="${typed.topic}"`);
  expect(refused.body).toContain(`value="${typed.note}"`);
  expect(refused.body).toMatch(/<option value="meeting" selected>/);
});
