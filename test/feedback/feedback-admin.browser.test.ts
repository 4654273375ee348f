/**
 * The «Phản ánh, kiến nghị» admin page in a real browser (chromium): a citizen files an item through the real
 * engine and inbox, staff find it in the list, take it in hand, answer it (the answer reaches the citizen through
 * their channel and the ledger), draft the Q&A post the citizen agreed to, and see the audit trail; at phone and
 * desktop widths with no sideways scrolling and no console or CSP errors. Also over HTTP: the role rule for phone
 * numbers in the export, and the rating prompt when staff hand a conversation back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import type { InboundMessage } from '../../src/domain/messages.js';
import { createUser } from '../../src/domain/staff/users.js';
import { AdminClient } from '../support/admin-client.js';
import { startAdminService, type AdminService } from '../support/admin-service.js';
import { desktopViewport, hasHorizontalScroll, launchBrowser, phoneViewport, screenshot, watchProblems, type TestBrowser } from '../support/browser.js';

let s: AdminService;
let browser: TestBrowser;
let ctx: BrowserContext;
let page: ReturnType<typeof watchProblems>;
let n = 0;
const newPassword = 'Một cửa xã Hoà Bình 2026';

/** A citizen on the recording channel: typed text, or a press of a button the bot last offered them. */
async function say(address: string, text: string): Promise<void> {
  const m: InboundMessage = { channel: 'telegram', platformMessageId: `fbb-${++n}`, address, kind: 'text', text, receivedAt: new Date() };
  await s.service.inbox.accept([m]);
  await s.service.inbox.idle();
}
async function press(address: string, title: string): Promise<void> {
  const offered = s.channel.sent.filter((x) => x.address === address).flatMap((x) => (x.reply.kind === 'text' ? [] : (x.reply.choices ?? [])));
  const choice = offered.reverse().find((c) => c.title === title);
  if (!choice) throw new Error(`no button ${title}`);
  await s.service.inbox.accept([{ channel: 'telegram', platformMessageId: `fbb-${++n}`, address, kind: 'choice', text: title, payload: choice.payload, receivedAt: new Date() }]);
  await s.service.inbox.idle();
}
const lastText = (address: string) => {
  const r = s.channel.sent.filter((x) => x.address === address).at(-1)?.reply;
  return r ? (r.kind === 'card' ? r.title : r.text) : '';
};

async function fileItem(address: string, phone: boolean): Promise<string> {
  await say(address, 'cán bộ một cửa có thái độ cáu gắt, quát tháo khi tôi hỏi thủ tục');
  await press(address, 'Thái độ cán bộ');
  await press(address, 'Dùng tin vừa gửi');
  if (phone) {
    await press(address, 'Đồng ý để lại số');
    await say(address, '0987 654 321');
  } else await press(address, 'Không để lại số');
  await press(address, 'Đồng ý công khai');
  return /PA-\d{4}-\d{6}/.exec(lastText(address))![0];
}

async function expectClean(name: string): Promise<void> {
  for (const [label, viewport] of [['390', phoneViewport], ['1280', desktopViewport]] as const) {
    await page.setViewportSize(viewport);
    expect(await hasHorizontalScroll(page), `${name} scrolls sideways at ${label}px`).toBe(false);
    await screenshot(page, `feedback-${name}-${label}`);
  }
  expect(page.problems).toEqual([]);
}

beforeAll(async () => {
  s = await startAdminService({ SEED_DEMO: 'true' });
  browser = await launchBrowser();
  ctx = await browser.context({ width: phoneViewport.width, height: phoneViewport.height });
  page = watchProblems(await ctx.newPage());
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe('phản ánh, kiến nghị in the admin', () => {
  it('staff take an item in hand, answer it through the citizen channel, and draft the Q&A post', async () => {
    const code = await fileItem('7001', true);
    await page.goto(`${s.service.url}/admin/login`);
    await page.getByLabel('Tên đăng nhập').fill('quantri');
    await page.getByLabel('Mật khẩu').fill(s.adminOneTimePassword);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL('**/admin/account/password');
    await page.getByLabel(/^Mật khẩu hiện tại/).fill(s.adminOneTimePassword);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill(newPassword);
    await page.getByLabel('Nhập lại mật khẩu mới').fill(newPassword);
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.waitForURL(/ok=password_changed$/);

    await page.getByRole('link', { name: /^Phản ánh, kiến nghị/ }).click();
    await page.waitForURL('**/admin/feedback');
    expect(await page.getByRole('table', { name: 'Danh sách phản ánh' }).textContent()).toContain(code);
    await expectClean('list');
    await page.getByRole('link', { name: code }).click();
    await page.waitForURL(/\/admin\/feedback\/\d+$/);
    expect(await page.locator('main').textContent()).toContain('0987654321');
    await page.getByRole('button', { name: 'Nhận xử lý' }).click();
    await page.waitForURL(/ok=processing$/);
    expect(await page.locator('.facts').textContent()).toContain('Đang xử lý');
    await page.getByLabel('Trả lời người dân').fill('UBND xã đã nhắc nhở cán bộ và xin lỗi ông/bà; mọi vướng mắc xin liên hệ 0203 3888 999.');
    await page.getByRole('button', { name: 'Gửi trả lời' }).click();
    await page.waitForURL(/ok=answered$/);
    expect(lastText('7001')).toContain(`Trả lời phản ánh, kiến nghị ${code}`);
    expect(s.channel.sent.at(-1)?.kind).toBe('staff');
    await expectClean('detail');

    await page.getByRole('button', { name: 'Tạo bài hỏi đáp' }).click();
    await page.waitForURL(/ok=drafted$/);
    const post = await s.service.db.db.post.findFirstOrThrow({ where: { slug: `hoi-dap-${code.toLowerCase()}` }, include: { scheduled: true } });
    expect(post.body).not.toContain('3888');
    expect(post.scheduled).toEqual([]);
    const history = await page.getByRole('list', { name: 'Lịch sử xử lý' }).textContent();
    for (const step of ['Người dân gửi phản ánh', 'Đang xử lý', 'Trả lời người dân', 'Tạo bài hỏi đáp']) expect(history).toContain(step);

    // The citizen reads the answer by code.
    await say('7001', code.toLowerCase());
    expect(lastText('7001')).toContain('đã trả lời');
    expect(lastText('7001')).toContain('nhắc nhở cán bộ');
  });

  it('transfers an item to another body and lists overdue items first', async () => {
    const code = await fileItem('7002', false);
    const item = await s.service.db.db.feedbackItem.findFirstOrThrow({ where: { code } });
    await page.goto(`${s.service.url}/admin/feedback/${item.id}`);
    await page.getByLabel('Chuyển đến cơ quan').fill('Thanh tra tỉnh');
    await page.getByLabel('Thông báo cho người dân').fill('Nội dung thuộc thẩm quyền của Thanh tra tỉnh.');
    await page.getByRole('button', { name: 'Chuyển cơ quan khác' }).click();
    await page.waitForURL(/ok=transferred$/);
    expect(lastText('7002')).toContain('Thanh tra tỉnh');

    const late = await fileItem('7003', false);
    await s.service.db.db.feedbackItem.updateMany({ where: { code: late }, data: { dueAt: new Date(Date.now() - 86_400_000) } });
    await page.goto(`${s.service.url}/admin/feedback?state=overdue`);
    const table = await page.getByRole('table', { name: 'Danh sách phản ánh' }).textContent();
    expect(table).toContain(late);
    expect(table).toContain('Quá hạn');
    expect(table).not.toContain(code);
    await expectClean('overdue');
  });

  it('keeps phone numbers out of the export unless the role may see personal data', async () => {
    const created = await createUser(s.service.db.db, { username: 'bientap', role: 'editor' }, 'quantri');
    const editor = new AdminClient(s.service.url);
    await editor.signIn('bientap', created.oneTimePassword, 'Biên tập viên xã 2026!');
    const csv = (await editor.get('/admin/feedback/export.csv')).body;
    expect(csv).toContain('PA-');
    expect(csv).not.toContain('0987654321');
    expect(csv).not.toContain('Số điện thoại');

    const admin = new AdminClient(s.service.url);
    await admin.signIn('quantri', newPassword);
    const full = (await admin.get('/admin/feedback/export.csv')).body;
    expect(full).toContain('Số điện thoại');
    expect(full).toContain('0987654321');
    // Deletion on request is for the administrator only.
    const item = await s.service.db.db.feedbackItem.findFirstOrThrow({ where: { phone: '0987654321' } });
    expect((await editor.get(`/admin/feedback/${item.id}`)).status).toBe(200);
    expect((await editor.post(`/admin/feedback/${item.id}/redact`, {})).status).toBe(403);
    expect((await admin.get(`/admin/feedback/${item.id}`)).status).toBe(200);
    expect((await admin.post(`/admin/feedback/${item.id}/redact`, {})).status).toBe(303);
    expect(await s.service.db.db.feedbackItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ phone: null, redactedAt: expect.any(Date) });
  });

  it('asks the citizen to rate the staff once staff hand the conversation back, never during the handover', async () => {
    await say('7100', 'tôi muốn gặp cán bộ');
    const conversation = await s.service.db.db.conversation.findFirstOrThrow({ where: { address: '7100' } });
    expect(conversation.state).toBe('waiting_staff');
    const admin = new AdminClient(s.service.url);
    await admin.signIn('quantri', newPassword);
    await admin.get(`/admin/inbox/${conversation.id}`);
    expect((await admin.post(`/admin/inbox/${conversation.id}/reply`, { text: 'Chào anh, cán bộ đây ạ.' })).status).toBe(303);
    const before = s.channel.sent.length;
    await say('7100', 'làm giấy khai sinh cần gì');
    // Staff hold the conversation: the bot neither answers nor asks for a rating.
    expect(s.channel.sent.length).toBe(before);
    await admin.get(`/admin/inbox/${conversation.id}`);
    expect((await admin.post(`/admin/inbox/${conversation.id}/hand-back`, {})).status).toBe(303);
    expect(s.channel.sent.at(-1)?.reply).toMatchObject({ kind: 'choices', text: expect.stringContaining('sự hỗ trợ của cán bộ') });
    await press('7100', 'Hài lòng');
    expect(await s.service.db.db.satisfactionRating.findFirstOrThrow({ where: { about: 'staff' } })).toMatchObject({ score: 'satisfied', channel: 'telegram' });
    // The next answer is not followed by another prompt right away.
    await say('7100', 'làm giấy khai sinh cần gì');
    const last = s.channel.sent.filter((x) => x.address === '7100').at(-1)!.reply;
    expect(last.kind === 'choices' && last.choices.some((c) => c.title === 'Hài lòng')).toBe(false);
  });
});
