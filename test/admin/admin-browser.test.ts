/**
 * The admin in a real browser (Debian chromium via playwright-core): sign-in with a wrong then the one-time password,
 * the forced password change, editing a procedure, answering a handed-over conversation, and every page at phone
 * (390 px) and desktop (1280 px) widths with no sideways scrolling and no console or CSP errors. Screenshots land in
 * test-results/screenshots/admin-*.png.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineOutput } from '../../src/domain/inbox/processor.js';
import { desktopViewport, hasHorizontalScroll, launchBrowser, phoneViewport, screenshot, watchProblems, type TestBrowser } from '../support/browser.js';
import { startAdminService, type AdminService } from '../support/admin-service.js';
import type { BrowserContext, Page } from 'playwright-core';
import { postTickDeps } from '../../src/app/scheduler.js';
import { DeliveryError } from '../../src/domain/delivery.js';
import { parsePeriod } from '../../src/domain/reports/period.js';
import { computeTallies } from '../../src/domain/reports/tallies.js';
import { tick } from '../../src/domain/scheduler/run.js';
import { toVnInputValue } from '../../src/domain/staff/vn-time.js';

let s: AdminService;
let browser: TestBrowser;
let ctx: BrowserContext;
let page: ReturnType<typeof watchProblems>;
const newPassword = 'Xã Hoà Bình một cửa 2026';

function respond({ message, context }: { message: { text: string }; context: unknown }): EngineOutput {
  if (message.text.includes('cán bộ')) return { replies: [{ kind: 'text', text: 'Tôi đã chuyển câu hỏi cho cán bộ.' }], context, outcome: 'handover', handover: true };
  return { replies: [{ kind: 'text', text: 'Xin lỗi, tôi chưa hiểu câu hỏi.' }], context, outcome: 'unanswered', handover: false };
}

async function seed(): Promise<void> {
  const at = new Date();
  await s.service.inbox.accept([
    { channel: 'telegram', platformMessageId: 'p1', address: '9001', kind: 'text', text: 'Tôi muốn gặp cán bộ để hỏi về đất đai, thửa đất nhà tôi bị sai diện tích trong sổ đỏ', receivedAt: at },
    { channel: 'telegram', platformMessageId: 'p2', address: '9002', kind: 'text', text: 'xin giấy xác nhận độc thân ở đâu', receivedAt: at },
    { channel: 'telegram', platformMessageId: 'p3', address: '9003', kind: 'text', text: 'Xin giấy xác nhận độc thân ở đâu?', receivedAt: at },
  ]);
  await s.service.inbox.idle();
}

/** A refused form is answered with a 4xx status on purpose; chromium and the watcher report it, and nothing else. */
function acceptRefusal(p: { problems: string[] }, status: number): void {
  expect(p.problems.length).toBeGreaterThan(0);
  for (const problem of p.problems) expect(problem).toContain(String(status));
  p.problems.length = 0;
}

async function expectClean(p: Page & { problems: string[] }, name: string): Promise<void> {
  for (const [label, viewport] of [['390', phoneViewport], ['1280', desktopViewport]] as const) {
    await p.setViewportSize(viewport);
    expect(await hasHorizontalScroll(p), `${name} scrolls sideways at ${label}px`).toBe(false);
    await screenshot(p, `admin-${name}-${label}`);
  }
  expect(p.problems).toEqual([]);
}

beforeAll(async () => {
  s = await startAdminService({ SEED_DEMO: 'true' }, { respond });
  await seed();
  browser = await launchBrowser();
  ctx = await browser.context({ width: phoneViewport.width, height: phoneViewport.height });
  page = watchProblems(await ctx.newPage());
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe('admin in a browser', () => {
  it('signs in: a wrong password is refused, the one-time password must be replaced', async () => {
    await page.goto(`${s.service.url}/admin/inbox`);
    await expect.poll(() => page.url()).toContain('/admin/login');
    await page.getByLabel('Tên đăng nhập').fill('quantri');
    await page.getByLabel('Mật khẩu').fill('không đúng');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    // The refused sign-in is answered 401 on purpose; chromium logs that as a failed load.
    acceptRefusal(page, 401);
    await expectClean(page, 'login-error');

    await page.getByLabel('Mật khẩu').fill(s.adminOneTimePassword);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL('**/admin/account/password');
    await expectClean(page, 'password');
    await page.getByLabel(/^Mật khẩu hiện tại/).fill(s.adminOneTimePassword);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill(newPassword);
    await page.getByLabel('Nhập lại mật khẩu mới').fill(newPassword);
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.waitForURL(/\/admin\?ok=password_changed$/);
    expect(await page.getByRole('status').textContent()).toContain('Đã đổi mật khẩu.');
    await expectClean(page, 'overview');
  });

  it('answers a handed-over conversation and hands it back to the bot', async () => {
    await page.getByRole('link', { name: /^Hộp thư/ }).click();
    await page.waitForURL('**/admin/inbox');
    await expectClean(page, 'inbox');
    await page.locator('.item.urgent a').first().click();
    await page.waitForURL(/\/admin\/inbox\/\d+$/);
    await page.getByLabel('Trả lời người dân').fill('Chào anh, mời anh mang sổ đỏ đến Bộ phận một cửa sáng thứ Hai để cán bộ địa chính kiểm tra.');
    await page.getByRole('button', { name: 'Gửi trả lời' }).click();
    await page.waitForURL(/\?ok=sent$/);
    expect(await page.getByRole('status').textContent()).toContain('Đã gửi tin nhắn.');
    expect(s.channel.sent.some((m) => m.kind === 'staff' && m.address === '9001')).toBe(true);
    await expectClean(page, 'conversation');
    await page.getByRole('button', { name: 'Chuyển lại cho trợ lý tự động' }).click();
    await page.waitForURL(/\?ok=handed_back$/);
    const c = await s.service.db.db.conversation.findFirstOrThrow({ where: { address: '9001' } });
    expect(c.state).toBe('bot');
  });

  it('edits a procedure, refusing a bad link with a Vietnamese message first', async () => {
    await page.goto(`${s.service.url}/admin/procedures?q=khai+sinh`);
    await expectClean(page, 'procedures');
    await page.getByRole('link', { name: 'Thủ tục đăng ký khai sinh', exact: true }).click();
    await page.waitForURL('**/admin/procedures/1.001193');
    await page.getByLabel('Địa chỉ dịch vụ công trực tuyến').fill('dichvucong');
    await page.getByRole('button', { name: 'Lưu thủ tục' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('phải bắt đầu bằng https://');
    acceptRefusal(page, 400);
    expect(await page.getByLabel('Địa chỉ dịch vụ công trực tuyến').inputValue()).toBe('dichvucong');
    await page.getByLabel('Địa chỉ dịch vụ công trực tuyến').fill('https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193');
    await page.getByLabel(/^Tên gọi khác/).fill('làm giấy khai sinh\nđăng ký khai sinh cho con\nkhai sinh cho bé mới đẻ');
    await page.getByLabel(/^Tình huống người dân hay kể/).fill('vợ em vừa sinh cháu ở bệnh viện huyện\n- bé nhà tôi chưa có giấy tờ gì');
    await page.getByLabel('Đối tượng thực hiện').fill('Cha, mẹ hoặc người thân của trẻ');
    await page.getByRole('button', { name: 'Lưu thủ tục' }).click();
    await page.waitForURL(/\?ok=saved$/);
    await expectClean(page, 'procedure-edit');
    const p = await s.service.db.db.procedure.findFirstOrThrow({ where: { code: '1.001193' } });
    expect(p.aliases).toEqual(['làm giấy khai sinh', 'đăng ký khai sinh cho con', 'khai sinh cho bé mới đẻ']);
    expect(p.situations).toEqual(['vợ em vừa sinh cháu ở bệnh viện huyện', 'bé nhà tôi chưa có giấy tờ gì']);
    expect(p.audience).toBe('Cha, mẹ hoặc người thân của trẻ');
    // The bot answers with the new alias right away (the engine's knowledge was reloaded).
    const known = s.service.conversation.knowledge().procedures.find((x) => x.code === '1.001193');
    expect(known?.aliases).toContain('khai sinh cho bé mới đẻ');
  });

  it('imports a file with bad rows and shows each row to fix', async () => {
    await page.goto(`${s.service.url}/admin/procedures`);
    await page.getByRole('link', { name: 'Nhập từ tệp Excel/CSV' }).click();
    await page.waitForURL('**/admin/import?kind=procedures');
    const csv = [
      'Mã thủ tục,Tên thủ tục,Lĩnh vực,Thành phần hồ sơ,Thời hạn giải quyết,"Phí, lệ phí",Nơi nộp',
      '1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,Tờ khai,Ngay trong ngày,Miễn lệ phí,UBND xã',
      '1.0011,Đăng ký kết hôn,Hộ tịch,,Ngay trong ngày,Miễn lệ phí,UBND xã',
    ].join('\n');
    await page.getByLabel(/^Tệp dữ liệu/).setInputFiles({ name: 'thu-tuc-sai.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => page.locator('#import-file-status').textContent()).toContain('Đã đọc tệp thu-tuc-sai.csv');
    await page.getByRole('button', { name: 'Nhập dữ liệu' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('chưa ghi gì vào hệ thống');
    acceptRefusal(page, 400);
    const rows = await page.locator('table.errors-table tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.startsWith('3'))).toBe(true);
    expect(rows.join(' ')).toContain('Thành phần hồ sơ');
    await expectClean(page, 'import-errors');
    const p = await s.service.db.db.procedure.findFirstOrThrow({ where: { code: '1.001193' } });
    expect(p.documents).not.toEqual(['Tờ khai']);
  });

  it('writes a post, queues it, shows a failed publication with its reason, and retries it', async () => {
    await page.setViewportSize(phoneViewport);
    await page.goto(`${s.service.url}/admin/posts`);
    await page.getByRole('link', { name: 'Viết bài mới' }).click();
    await page.getByLabel('Tiêu đề').fill('Nộp hồ sơ khai sinh trực tuyến tại nhà');
    await page.getByLabel(/^Tên tệp/).fill('khai-sinh-truc-tuyen');
    await page.getByLabel('Chủ đề tuyên truyền').selectOption('chinh-phu-so');
    await page.getByLabel('Nội dung').fill('Từ nay, cha mẹ có thể đăng ký khai sinh cho con trên Cổng dịch vụ công quốc gia mà không cần đến UBND xã.\n\nCán bộ một cửa sẵn sàng hướng dẫn.');
    for (const other of ['Fanpage Facebook', 'Zalo OA', 'Trang thông tin điện tử']) await page.getByLabel(other).uncheck();
    await page.getByRole('button', { name: 'Thêm vào thư viện' }).click();
    await page.waitForURL(/\/admin\/posts\/\d+\?ok=saved$/);
    await expectClean(page, 'post');

    await page.setViewportSize(phoneViewport);
    await page.getByLabel('Thời điểm đăng (giờ Việt Nam)').fill(toVnInputValue(new Date(Date.now() + 60_000)));
    await page.getByRole('button', { name: 'Đưa vào lịch đăng' }).click();
    await page.waitForURL(/\/admin\/schedule\?ok=queued_post$/);
    expect(await page.locator('.sched-queued').first().textContent()).toBe('chờ đăng');

    // The platform refuses the post: staff see the reason and can queue it again.
    s.channel.failPublish = new DeliveryError('rejected', 'Bad Request: message is too long');
    await tick(postTickDeps(s.service.config, s.service.db.db, [s.channel], s.service.log), new Date(Date.now() + 120_000));
    await page.reload();
    await page.getByRole('heading', { name: /Cần xử lý/ }).waitFor();
    expect(await page.locator('.item.urgent .error-text').first().textContent()).toMatch(/^Lý do: .+/);
    await expectClean(page, 'schedule-failed');
    s.channel.failPublish = null;
    await page.setViewportSize(phoneViewport);
    await page.getByRole('button', { name: 'Đăng lại' }).click();
    await page.waitForURL(/\?ok=retried$/);
    await tick(postTickDeps(s.service.config, s.service.db.db, [s.channel], s.service.log), new Date(Date.now() + 180_000));
    expect(s.channel.published.map((p) => p.title)).toEqual(['Nộp hồ sơ khai sinh trực tuyến tại nhà']);
    await page.reload();
    expect(await page.locator('.sched-published').first().textContent()).toBe('đã đăng');
  });

  it('creates a recurring plan with a monthly target', async () => {
    await page.setViewportSize(phoneViewport);
    await page.goto(`${s.service.url}/admin/schedule`);
    await page.getByText('Tạo kế hoạch mới').click();
    await page.getByLabel('Tên kế hoạch').fill('Tuyên truyền CCHC hằng tuần');
    // Nothing is ticked for the staff member: days and channels are chosen.
    await page.getByLabel('Thứ Hai').check();
    await page.getByLabel('Trang thông tin điện tử').check();
    await page.getByLabel('Giờ đăng (giờ Việt Nam, cách nhau bằng dấu phẩy)').fill('08:00, 25:00');
    await page.getByRole('button', { name: 'Tạo kế hoạch' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Giờ đăng phải có dạng HH:MM');
    acceptRefusal(page, 400);
    await page.goBack();
    await page.getByText('Tạo kế hoạch mới').click();
    await page.getByLabel('Tên kế hoạch').fill('Tuyên truyền CCHC hằng tuần');
    await page.getByLabel('Thứ Hai').check();
    await page.getByLabel('Trang thông tin điện tử').check();
    await page.getByLabel('Giờ đăng (giờ Việt Nam, cách nhau bằng dấu phẩy)').fill('08:00');
    await page.getByLabel('Chỉ tiêu số bài mỗi tháng').fill('8');
    await page.getByRole('button', { name: 'Tạo kế hoạch' }).click();
    await page.waitForURL(/\?ok=created$/);
    expect(await page.getByText('Tuyên truyền CCHC hằng tuần').count()).toBeGreaterThan(0);
    expect(await page.locator('progress').count()).toBe(1);
    await expectClean(page, 'schedule');
  });

  it('previews a report and downloads it as Excel', async () => {
    await page.setViewportSize(phoneViewport);
    await page.goto(`${s.service.url}/admin/reports`);
    await page.getByLabel('Kỳ báo cáo').fill('2026-H3');
    await page.getByRole('button', { name: 'Xem' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('không hợp lệ');
    acceptRefusal(page, 400);
    const year = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
    await page.locator('.filters').getByRole('link', { name: `Năm ${year}`, exact: true }).click();
    await page.waitForURL(`**/admin/reports?period=${year}`);
    await page.getByRole('heading', { name: `Báo cáo năm ${year}` }).waitFor();
    // The post published (after one refused attempt and a retry) counts once, and not as a failure.
    expect(await page.locator('.lead-text').textContent()).toContain('đã đăng 1 tin bài');
    const t = await computeTallies(s.service.db.db, parsePeriod(String(year)));
    expect(t.posts.service).toBe(1);
    expect(t.failed.total).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel (.xlsx)' }).click()]);
    expect(download.suggestedFilename()).toBe(`bao-cao-${year}.xlsx`);
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 2).toString()).toBe('PK');
    await expectClean(page, 'reports');
  });

  it('shows the remaining pages cleanly on a phone and a desktop', async () => {
    for (const [path, name] of [
      ['/admin/unanswered', 'unanswered'],
      ['/admin/hotlines', 'hotlines'],
      ['/admin/channels', 'channels'],
      ['/admin/users', 'users'],
      ['/admin/audit', 'audit'],
      ['/admin/posts', 'posts'],
    ] as const) {
      await page.setViewportSize(phoneViewport);
      const r = await page.goto(`${s.service.url}${path}`);
      expect(r?.status(), path).toBe(200);
      await expectClean(page, name);
    }
  });
});
