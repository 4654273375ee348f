/**
 * End to end across the two sides, in chromium, with the real engine and the real web chat channel: a citizen on
 * /chat asks for a person, the conversation appears first in the staff inbox, the staff answer reaches the
 * citizen's chat page through the ledger, and after handing back the bot answers again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../src/app/service.js';
import { testConfig } from '../support/service.js';
import { LoginLimiter } from '../../src/domain/staff/login-limiter.js';
import { launchBrowser, phoneViewport, screenshot, type TestBrowser } from '../support/browser.js';
import { freshDatabaseUrl } from '../support/db.js';

let service: Service;
let drop: () => Promise<void>;
let browser: TestBrowser;
let adminPassword = '';

beforeAll(async () => {
  const db = await freshDatabaseUrl();
  drop = db.drop;
  const config = testConfig(db.url, { LOG_LEVEL: 'silent', SEED_DEMO: 'true' });
  service = await startService(config, {
    noCron: true,
    loginLimiter: new LoginLimiter(),
    onFirstAdministrator: (_u, p) => (adminPassword = p),
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await service?.close();
  await drop?.();
});

describe('handover from the web chat to staff and back', () => {
  it('updates the staff inbox live, signs the officer’s answer and tells the citizen how long to wait and when the assistant is back', async () => {
    // Staff are already on the inbox page when the citizen asks for a person.
    const staff = await browser.open(`${service.url}/admin/login`, phoneViewport);
    await staff.getByLabel('Tên đăng nhập').fill('admin');
    await staff.getByLabel('Mật khẩu').fill(adminPassword);
    await staff.getByRole('button', { name: 'Đăng nhập' }).click();
    await staff.waitForURL('**/admin/account/password');
    await staff.getByLabel(/^Mật khẩu hiện tại/).fill(adminPassword);
    await staff.getByLabel('Mật khẩu mới', { exact: true }).fill('một câu mật khẩu đủ dài');
    await staff.getByLabel('Nhập lại mật khẩu mới').fill('một câu mật khẩu đủ dài');
    await staff.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await staff.waitForURL(/\/admin\?ok=password_changed$/);
    await staff.getByRole('link', { name: 'Hồ sơ' }).click();
    await staff.getByLabel('Họ và tên').fill('Nguyễn Thị A');
    await staff.getByLabel('Chức danh, đơn vị').fill('Văn phòng UBND xã');
    await staff.getByRole('button', { name: 'Lưu hồ sơ' }).click();
    await staff.waitForURL(/\/admin\/account\/profile\?ok=saved$/);
    await staff.goto(`${service.url}/admin/inbox`);
    expect(await staff.title()).toBe('Hộp thư · Quản trị CCHC');
    await staff.getByText('Chưa có cuộc hội thoại nào.').waitFor();

    const citizen = await browser.open(`${service.url}/chat`, phoneViewport);
    await citizen.locator('.msg-bot').first().waitFor();
    await citizen.getByLabel('Câu hỏi của bạn').fill('Tôi muốn gặp cán bộ về việc đất đai');
    await citizen.getByRole('button', { name: 'Gửi' }).click();
    // The citizen is told that staff will answer and when.
    await citizen.locator('.msg-bot', { hasText: /đã chuyển cuộc trò chuyện tới cán bộ/ }).waitFor({ timeout: 15_000 });
    await expect.poll(() => citizen.locator('.msg-bot').last().textContent()).toMatch(/giờ làm việc/);

    // Without a reload: the conversation appears, the badge and the tab's title count it, a banner alerts.
    await staff.locator('.item.urgent', { hasText: 'Tôi muốn gặp cán bộ về việc đất đai' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => staff.title()).toBe('(1) Hộp thư · Quản trị CCHC');
    await expect.poll(() => staff.locator('.side a[data-nav="inbox"] .badge').textContent()).toBe('1');
    await staff.locator('#live-alert', { hasText: 'Có người dân đang chờ cán bộ' }).waitFor();
    await screenshot(staff, 'admin-inbox-live-390');

    // While nobody types, the citizen sees no typing dots.
    await citizen.getByLabel('Câu hỏi của bạn').fill('Tôi cần hỏi về tranh chấp ranh giới đất');
    await citizen.getByRole('button', { name: 'Gửi' }).click();
    await citizen.locator('.msg-me', { hasText: 'tranh chấp ranh giới' }).waitFor();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await citizen.locator('.typing').count()).toBe(0);

    await staff.locator('.item.urgent a').first().click();
    await staff.getByText('Tôi cần hỏi về tranh chấp ranh giới đất').waitFor();
    const answer = 'Chào anh/chị, cán bộ địa chính sẽ gọi lại trong sáng nay. Xin cảm ơn!';
    await staff.getByLabel('Trả lời người dân').fill(answer);
    await staff.getByRole('button', { name: 'Gửi trả lời' }).click();
    await staff.waitForURL(/\?ok=sent$/);

    // The answer is the officer's, drawn apart from the assistant's bubbles.
    const signed = citizen.locator('.msg-staff', { hasText: answer });
    await signed.waitFor({ timeout: 30_000 });
    expect(await signed.locator('.msg-author').textContent()).toBe('Cán bộ Nguyễn Thị A – Văn phòng UBND xã');
    expect(await citizen.locator('.msg-staff').count()).toBe(1);
    await screenshot(citizen, 'admin-handover-citizen-390');
    await screenshot(staff, 'admin-handover-staff-390');

    await citizen.getByLabel('Câu hỏi của bạn').fill('cảm ơn cán bộ nhiều ạ');
    await citizen.getByRole('button', { name: 'Gửi' }).click();
    await citizen.locator('.msg-bot', { hasText: 'Dạ, cảm ơn bạn.' }).waitFor({ timeout: 15_000 });

    await staff.getByRole('button', { name: 'Chuyển lại cho trợ lý tự động' }).click();
    await staff.waitForURL(/\?ok=handed_back$/);
    await citizen.locator('.msg-bot', { hasText: 'Trợ lý tự động đã trở lại' }).waitFor({ timeout: 15_000 });
    await citizen.getByLabel('Câu hỏi của bạn').fill('làm giấy khai sinh cần gì');
    await citizen.getByRole('button', { name: 'Gửi' }).click();
    await citizen.locator('.msg-bot', { hasText: /khai sinh/i }).last().waitFor({ timeout: 30_000 });
    expect(await citizen.locator('.msg-bot', { hasText: 'chưa tìm thấy' }).count()).toBe(0);
    const row = await service.db.db.outboundMessage.findFirstOrThrow({ where: { kind: 'staff', channel: 'webchat' } });
    expect(row.status).toBe('sent');
    expect(row.text).toBe(`Cán bộ Nguyễn Thị A – Văn phòng UBND xã:\n${answer}`);
    expect(staff.problems).toEqual([]);
    expect(citizen.problems).toEqual([]);
    // Two browser contexts, two sign-in hashes and a dozen round trips: more than the default 30 s on a busy machine.
  }, 120_000);
});
