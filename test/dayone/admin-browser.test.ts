/**
 * Day-one staff screens in a real browser (Debian chromium via playwright-core): a recurring plan saved exactly as
 * ticked and read back, and the overview chart on a 390 px phone. Screenshots in test-results/screenshots/dayone-*.png.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hasHorizontalScroll, launchBrowser, phoneViewport, screenshot, watchProblems, type OpenedPage, type TestBrowser } from '../support/browser.js';
import { startAdminService, type AdminService } from '../support/admin-service.js';

let s: AdminService;
let browser: TestBrowser;
let page: OpenedPage;
const password = 'Một cửa xã Hoà Bình 2026';

beforeAll(async () => {
  s = await startAdminService({ SEED_DEMO: 'true' });
  browser = await launchBrowser();
  const ctx = await browser.context({ width: phoneViewport.width, height: phoneViewport.height });
  page = watchProblems(await ctx.newPage());
  await page.goto(`${s.service.url}/admin/login`);
  await page.getByLabel('Tên đăng nhập').fill(s.adminUsername);
  await page.getByLabel('Mật khẩu').fill(s.adminOneTimePassword);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL('**/admin/account/password');
  await page.getByLabel(/^Mật khẩu hiện tại/).fill(s.adminOneTimePassword);
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill(password);
  await page.getByLabel('Nhập lại mật khẩu mới').fill(password);
  await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await page.waitForURL(/\/admin\?ok=password_changed$/);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

it('a new plan form ticks nothing; Monday and Thursday on the website are saved and shown as exactly that', { timeout: 60_000 }, async () => {
  await page.goto(`${s.service.url}/admin/schedule`);
  const form = page.locator('details', { has: page.getByText('Tạo kế hoạch mới') });
  await form.locator('summary').click();
  expect(await form.locator('input[type=checkbox]:checked').count()).toBe(0);
  await form.getByLabel('Tên kế hoạch').fill('Tuyên truyền trên trang xã');
  await form.getByLabel('Thứ Hai').check();
  await form.getByLabel('Thứ Năm').check();
  await form.getByLabel(/^Giờ đăng/).fill('08:00');
  await form.getByLabel('Trang thông tin điện tử').check();
  await screenshot(page, 'dayone-plan-form-390');
  await form.getByRole('button', { name: 'Tạo kế hoạch' }).click();
  await page.waitForURL(/\/admin\/schedule\?ok=created$/);

  const plan = await s.service.db.db.postPlan.findFirstOrThrow({ where: { name: 'Tuyên truyền trên trang xã' } });
  expect(plan.weekdays).toEqual([1, 4]);
  expect(plan.channels).toEqual(['webchat']);
  expect(plan.times).toEqual(['08:00']);
  expect(plan.targetPerMonth).toBeNull();
  const card = page.locator('li.item', { hasText: 'Tuyên truyền trên trang xã' });
  expect(await card.locator('p.meta').first().textContent()).toBe('Thứ Hai, Thứ Năm lúc 08:00 · Trang thông tin điện tử');
  // The edit form shows the same choices ticked, and only those.
  await card.locator('summary', { hasText: 'Sửa kế hoạch' }).click();
  const ticked = await card.locator('input[type=checkbox]:checked').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value));
  expect(ticked).toEqual(['1', '4', 'webchat']);
  expect(page.problems).toEqual([]);
});

it('a refused plan form comes back open with what was typed and the error beside the field', { timeout: 60_000 }, async () => {
  await page.goto(`${s.service.url}/admin/schedule`);
  const form = page.locator('details', { has: page.getByText('Tạo kế hoạch mới') });
  await form.locator('summary').click();
  await form.getByLabel('Tên kế hoạch').fill('Kế hoạch thiếu ngày');
  await form.getByLabel(/^Giờ đăng/).fill('07:30');
  await form.getByLabel('Trang thông tin điện tử').check();
  await form.getByRole('button', { name: 'Tạo kế hoạch' }).click();
  await page.locator('.field-error').first().waitFor();
  // The 400 answer is on purpose; chromium logs it as a failed load.
  expect(page.problems.every((p) => p.includes('400'))).toBe(true);
  page.problems.length = 0;
  const again = page.locator('details[open]', { has: page.getByText('Tạo kế hoạch mới') });
  expect(await again.getByLabel('Tên kế hoạch').inputValue()).toBe('Kế hoạch thiếu ngày');
  expect(await again.getByLabel(/^Giờ đăng/).inputValue()).toBe('07:30');
  expect(await again.getByLabel('Trang thông tin điện tử').isChecked()).toBe(true);
  const beside = again.locator('fieldset:has(legend:text("Ngày trong tuần")) + .field-error');
  expect(await beside.textContent()).toBe('Hãy chọn ít nhất một ngày trong tuần.');
  await expect(page.getByRole('alert').textContent()).resolves.toContain('Chưa lưu được');
  await screenshot(page, 'dayone-plan-refused-390');
  expect(await s.service.db.db.postPlan.count({ where: { name: 'Kế hoạch thiếu ngày' } })).toBe(0);
  // Fix the one thing and save.
  await again.getByLabel('Thứ Ba').check();
  await again.getByRole('button', { name: 'Tạo kế hoạch' }).click();
  await page.waitForURL(/\/admin\/schedule\?ok=created$/);
  expect((await s.service.db.db.postPlan.findFirstOrThrow({ where: { name: 'Kế hoạch thiếu ngày' } })).weekdays).toEqual([2]);
});

it('the overview chart fits a 390 px phone: axis, 12 weeks and legend visible without sideways scrolling', { timeout: 60_000 }, async () => {
  await page.goto(`${s.service.url}/admin`);
  expect(await hasHorizontalScroll(page)).toBe(false);
  const chart = page.locator('figure.chart svg:visible');
  expect(await chart.count()).toBe(1);
  await chart.scrollIntoViewIfNeeded();
  // Every axis label and legend entry lies inside the phone's width, in type no smaller than 11 px on screen.
  const texts = await chart.locator('text').evaluateAll((nodes) =>
    nodes.map((n) => {
      const r = n.getBoundingClientRect();
      return { text: n.textContent, left: r.left, right: r.right, height: r.height };
    }),
  );
  for (const t of texts) {
    expect(t.left, t.text ?? '').toBeGreaterThanOrEqual(0);
    expect(t.right, t.text ?? '').toBeLessThanOrEqual(phoneViewport.width);
    expect(t.height, t.text ?? '').toBeGreaterThanOrEqual(11);
  }
  expect(texts.map((t) => t.text)).toEqual(expect.arrayContaining(['Tin người dân gửi', 'Tin trả lời', 'Bài đăng']));
  expect(await chart.locator('rect.s1').count()).toBe(12 + 1); // 12 weeks and the legend's swatch
  await screenshot(page, 'dayone-overview-chart-390');
  expect(page.problems).toEqual([]);
});
