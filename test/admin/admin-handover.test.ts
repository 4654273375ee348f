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
  it('delivers a staff answer to the citizen’s chat page', async () => {
    const citizen = await browser.open(`${service.url}/chat`, phoneViewport);
    await citizen.locator('.msg-bot').first().waitFor();
    await citizen.getByLabel('Câu hỏi của bạn').fill('Tôi muốn gặp cán bộ về việc đất đai');
    await citizen.getByRole('button', { name: 'Gửi', exact: true }).click();
    await expect.poll(async () => (await service.db.db.conversation.findFirst({ where: { channel: 'webchat' } }))?.state, { timeout: 10_000 }).toBe('waiting_staff');

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
    await staff.getByRole('link', { name: /hội thoại chờ cán bộ/ }).click();
    await staff.locator('.item.urgent a').first().click();
    await staff.getByText('Tôi muốn gặp cán bộ về việc đất đai').waitFor();
    const answer = 'Chào anh/chị, cán bộ địa chính sẽ gọi lại trong sáng nay. Xin cảm ơn!';
    await staff.getByLabel('Trả lời người dân').fill(answer);
    await staff.getByRole('button', { name: 'Gửi trả lời' }).click();
    await staff.waitForURL(/\?ok=sent$/);

    await citizen.locator('.msg-bot', { hasText: answer }).waitFor({ timeout: 30_000 });
    await screenshot(citizen, 'admin-handover-citizen-390');
    await screenshot(staff, 'admin-handover-staff-390');

    await staff.getByRole('button', { name: 'Chuyển lại cho trợ lý tự động' }).click();
    await staff.waitForURL(/\?ok=handed_back$/);
    await citizen.getByLabel('Câu hỏi của bạn').fill('làm giấy khai sinh cần gì');
    await citizen.getByRole('button', { name: 'Gửi', exact: true }).click();
    await citizen.locator('.msg-bot', { hasText: /khai sinh/i }).last().waitFor({ timeout: 30_000 });
    const row = await service.db.db.outboundMessage.findFirstOrThrow({ where: { kind: 'staff', channel: 'webchat' } });
    expect(row.status).toBe('sent');
    expect(staff.problems).toEqual([]);
    expect(citizen.problems).toEqual([]);
  });
});
