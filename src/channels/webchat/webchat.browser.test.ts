/**
 * The web chat in a real browser (Debian chromium through playwright-core) against the real service: typing a
 * question, pressing a choice, the website widget on another origin, Vietnamese text, phone and desktop layouts.
 * Screenshots go to test-results/screenshots/ (look at them after a layout change).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Responder } from '../../domain/inbox/processor.js';
import type { Reply } from '../../domain/messages.js';
import { desktopViewport, hasHorizontalScroll, launchBrowser, phoneViewport, screenshot, type TestBrowser } from '../../../test/support/browser.js';
import { testDbKind } from '../../../test/support/db.js';
import { startTestService, type TestService } from '../../../test/support/service.js';

const card: Reply = {
  kind: 'card',
  title: 'Đăng ký khai sinh (1.001193)',
  sections: [
    { title: 'Thành phần hồ sơ', lines: ['Tờ khai đăng ký khai sinh theo mẫu', 'Giấy chứng sinh (bản chính)'] },
    { title: 'Thời hạn giải quyết', lines: ['Ngay trong ngày làm việc'] },
    { title: 'Phí, lệ phí', lines: ['Miễn lệ phí khi đăng ký đúng hạn'] },
  ],
  links: [{ title: 'Nộp trực tuyến', url: 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html' }],
  choices: [{ title: 'Hỏi thủ tục khác', payload: 'MENU' }],
};

/** Stands in for the conversation engine (not part of this channel): a menu of choices, a card, plain echoes. */
const respond: Responder = ({ message, context }) => {
  const out = (replies: Reply[]) => ({ replies, context, outcome: 'answered', handover: false });
  if (message.kind === 'start') return out([{ kind: 'text', text: 'Xin chào! Tôi là trợ lý hỏi đáp thủ tục hành chính của xã.' }]);
  if (message.kind === 'choice' && message.payload === 'P:KS') return out([card]);
  if (message.kind === 'choice') return out([{ kind: 'text', text: `Đã chọn: ${message.text}` }]);
  if (/khai sinh/i.test(message.text)) {
    return out([
      {
        kind: 'choices',
        text: 'Bạn muốn hỏi thủ tục nào?',
        choices: [
          { title: 'Đăng ký khai sinh', payload: 'P:KS' },
          { title: 'Đăng ký lại khai sinh', payload: 'P:KSL' },
        ],
      },
    ]);
  }
  if (message.text.includes('<')) return out([{ kind: 'text', text: `Bạn viết: ${message.text}` }]);
  return out([{ kind: 'text', text: `Câu hỏi "${message.text}" đã được ghi nhận. Xem thêm tại https://dichvucong.gov.vn.` }]);
};

describe(`web chat in chromium (${testDbKind})`, () => {
  let service: TestService;
  let browser: TestBrowser;
  let website: http.Server;
  let websiteUrl: string;

  beforeAll(async () => {
    service = await startTestService({ respond });
    await service.db.db.communeProfile.create({ data: { communeId: service.db.tenant.communeId, name: 'Xã Hòa Bình', address: 'Thôn Đông', workingHours: 'Thứ 2 – thứ 6' } });
    browser = await launchBrowser();
    // The commune website: another origin (localhost vs 127.0.0.1) with one script tag.
    const widgetSrc = `${service.url}/chat/widget.js`.replace('127.0.0.1', 'localhost');
    website = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cổng thông tin điện tử xã Hòa Bình</title></head><body><h1>Cổng thông tin điện tử xã Hòa Bình</h1>
<p>Tin tức, thông báo của Ủy ban nhân dân xã.</p><script src="${widgetSrc}" async></script></body></html>`);
    });
    await new Promise<void>((r) => website.listen(0, '127.0.0.1', r));
    websiteUrl = `http://127.0.0.1:${(website.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => website?.close(r));
    await service?.destroy();
  });

  it('greets, answers a typed question, keeps Vietnamese text intact and fits a phone without sideways scroll', async () => {
    const page = await browser.open(`${service.url}/chat`, phoneViewport);
    await expect(page.locator('.chat-title').textContent()).resolves.toBe('Xã Hòa Bình');
    await page.locator('.msg-bot', { hasText: 'Xin chào!' }).waitFor();

    const question = 'Thủ tục đăng ký thường trú cần những giấy tờ gì ạ?';
    await page.getByLabel('Câu hỏi của bạn').fill(question);
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    await expect(page.locator('.msg-me .bubble').last().textContent()).resolves.toBe(question);
    const reply = page.locator('.msg-bot', { hasText: 'đã được ghi nhận' });
    await reply.waitFor();
    expect(await reply.locator('.bubble').textContent()).toBe(`Câu hỏi "${question}" đã được ghi nhận. Xem thêm tại https://dichvucong.gov.vn.`);
    // The address in the text is a link (without the trailing full stop), opened in a new tab.
    const link = reply.locator('a');
    expect(await link.getAttribute('href')).toBe('https://dichvucong.gov.vn/');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await page.getByLabel('Câu hỏi của bạn').inputValue()).toBe('');

    // Enter sends too.
    await page.getByLabel('Câu hỏi của bạn').fill('Giờ làm việc của bộ phận một cửa?');
    await page.getByLabel('Câu hỏi của bạn').press('Enter');
    await page.locator('.msg-bot', { hasText: 'Giờ làm việc của bộ phận một cửa?' }).waitFor();

    expect(await hasHorizontalScroll(page)).toBe(false);
    await screenshot(page, 'webchat-phone-text');
    expect(page.problems).toEqual([]);
  });

  it('renders choices as buttons, answers the pressed one once, shows the procedure card readably', async () => {
    const page = await browser.open(`${service.url}/chat`, phoneViewport);
    await page.locator('.msg-bot', { hasText: 'Xin chào!' }).waitFor();
    await page.getByLabel('Câu hỏi của bạn').fill('làm giấy khai sinh cho con');
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    const choice = page.getByRole('button', { name: 'Đăng ký khai sinh', exact: true });
    await choice.waitFor();
    await expect(page.getByRole('button', { name: 'Đăng ký lại khai sinh' }).count()).resolves.toBe(1);
    await screenshot(page, 'webchat-phone-choices');

    await choice.dblclick();
    const cardTitle = page.locator('.card-title', { hasText: 'Đăng ký khai sinh (1.001193)' });
    await cardTitle.waitFor();
    // Pressed once (see the ledger counts below), and still usable: a citizen often goes back to a menu.
    expect(await choice.isDisabled()).toBe(false);
    await expect(page.locator('.msg-me .bubble').last().textContent()).resolves.toBe('Đăng ký khai sinh');
    await expect(page.locator('.card-section-title').allTextContents()).resolves.toEqual(['Thành phần hồ sơ', 'Thời hạn giải quyết', 'Phí, lệ phí']);
    await expect(page.locator('.card li').first().textContent()).resolves.toBe('Tờ khai đăng ký khai sinh theo mẫu');
    const online = page.getByRole('link', { name: 'Nộp trực tuyến' });
    expect(await online.getAttribute('href')).toBe('https://dichvucong.gov.vn/p/home/dvc-trang-chu.html');
    await page.getByRole('button', { name: 'Hỏi thủ tục khác' }).waitFor();

    // The double click produced one choice message and one card in the ledger.
    await service.inbox.idle();
    expect(await service.db.db.inboundMessage.count({ where: { kind: 'choice', payload: 'P:KS' } })).toBe(1);
    expect(await service.db.db.outboundMessage.count({ where: { text: { startsWith: 'Đăng ký khai sinh (1.001193)' } } })).toBe(1);
    await page.waitForTimeout(300);
    expect(await page.locator('.card').count()).toBe(1);

    expect(await hasHorizontalScroll(page)).toBe(false);
    await screenshot(page, 'webchat-phone-card');

    // A reload shows the same conversation from the ledger (session kept in localStorage), without a new greeting.
    await page.reload();
    await page.locator('.card-title').waitFor();
    expect(await page.locator('.msg-bot', { hasText: 'Xin chào!' }).count()).toBe(1);
    expect(await page.locator('.msg-me').count()).toBe(2);

    // The smallest phones still in use.
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await hasHorizontalScroll(page)).toBe(false);
    await screenshot(page, 'webchat-320-card');

    await page.setViewportSize(desktopViewport);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await screenshot(page, 'webchat-desktop-card');
    expect(page.problems).toEqual([]);
  });

  it('retries a message whose answer was lost with the same id: stored and answered once', async () => {
    const page = await browser.open(`${service.url}/chat`, phoneViewport);
    await page.locator('.msg-bot', { hasText: 'Xin chào!' }).waitFor();
    const bodies: string[] = [];
    await page.route('**/chat/api/messages', async (route) => {
      bodies.push(route.request().postData() ?? '');
      if (bodies.length === 1) {
        await route.fetch(); // the server stores the message…
        await route.abort('connectionreset'); // …but the browser never hears back
        return;
      }
      await route.continue();
    });
    await page.getByLabel('Câu hỏi của bạn').fill('Mất mạng giữa chừng');
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    await page.locator('.msg-bot', { hasText: 'Mất mạng giữa chừng' }).waitFor();
    await expect.poll(() => bodies.length, { timeout: 10_000 }).toBe(2);
    expect(JSON.parse(bodies[1]!)).toEqual(JSON.parse(bodies[0]!));
    await page.waitForTimeout(300);
    await service.inbox.idle();
    expect(await service.db.db.inboundMessage.count({ where: { text: 'Mất mạng giữa chừng' } })).toBe(1);
    expect(await service.db.db.outboundMessage.count({ where: { text: { contains: 'Mất mạng giữa chừng' } } })).toBe(1);
    expect(await page.locator('.msg-bot', { hasText: 'Mất mạng giữa chừng' }).count()).toBe(1);
    expect(await page.locator('.msg-me.failed').count()).toBe(0);
    // The watcher saw the deliberately cut request; nothing else went wrong.
    expect(page.problems.filter((p) => !p.includes('/chat/api/messages') && !p.includes('ERR_CONNECTION_RESET'))).toEqual([]);
  });

  it('shows markup typed by a citizen as text, never as HTML', async () => {
    const page = await browser.open(`${service.url}/chat`, desktopViewport);
    await page.locator('.msg-bot', { hasText: 'Xin chào!' }).waitFor();
    const evil = '<img src=x onerror="document.title=\'hacked\'"><b>đậm</b>';
    await page.getByLabel('Câu hỏi của bạn').fill(evil);
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    await page.locator('.msg-bot', { hasText: 'Bạn viết:' }).waitFor();
    expect(await page.locator('.chat-log img, .chat-log b').count()).toBe(0);
    expect(await page.locator('.msg-bot', { hasText: 'Bạn viết:' }).textContent()).toBe(`Bạn viết: ${evil}`);
    expect(await page.title()).not.toBe('hacked');
  });

  it('tells the citizen politely when a message is too long', async () => {
    const page = await browser.open(`${service.url}/chat`, phoneViewport);
    await page.locator('.msg-bot', { hasText: 'Xin chào!' }).waitFor();
    // The textarea stops at 1000 characters; a pasted longer text is cut, so check the server's answer via the API.
    await page.getByLabel('Câu hỏi của bạn').fill('á'.repeat(1200));
    expect([...(await page.getByLabel('Câu hỏi của bạn').inputValue())].length).toBeLessThanOrEqual(1000);
    const status = await page.evaluate(async () => {
      const session = localStorage.getItem('cchc-chat-session');
      const r = await fetch('/chat/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ session, id: 'long-message-1', text: 'á'.repeat(1001) }),
      });
      return { status: r.status, body: (await r.json()) as { error: string } };
    });
    expect(status.status).toBe(400);
    expect(status.body.error).toContain('tối đa 1000 ký tự');
  });

  it('the website widget (one script tag, another origin) opens the chat in an iframe that works', async () => {
    for (const [name, viewport] of [['phone', phoneViewport], ['desktop', desktopViewport]] as const) {
      const page = await browser.open(websiteUrl, viewport);
      const button = page.locator('#cchc-chat-button');
      await button.waitFor();
      expect(await button.textContent()).toBe('Hỏi đáp thủ tục');
      await screenshot(page, `webchat-widget-${name}-closed`);
      await button.click();
      const frame = page.frameLocator('#cchc-chat-frame');
      await frame.locator('.msg-bot', { hasText: 'Xin chào!' }).waitFor();
      await expect(frame.locator('.chat-title').textContent()).resolves.toBe('Xã Hòa Bình');
      await frame.getByLabel('Câu hỏi của bạn').fill('Cấp bản sao trích lục hộ tịch');
      await frame.getByRole('button', { name: 'Gửi', exact: true }).click();
      await frame.locator('.msg-bot', { hasText: 'Cấp bản sao trích lục hộ tịch' }).waitFor();
      expect(await hasHorizontalScroll(page)).toBe(false);
      await screenshot(page, `webchat-widget-${name}-open`);

      await page.locator('#cchc-chat-close').click();
      expect(await page.locator('#cchc-chat-panel').isVisible()).toBe(false);
      expect(await button.isVisible()).toBe(true);
      expect(page.problems, name).toEqual([]);
    }
  });
});

describe(`web chat with the conversation engine and the demo commune (${testDbKind})`, () => {
  let service: TestService;
  let browser: TestBrowser;

  beforeAll(async () => {
    service = await startTestService({}, { SEED_DEMO: 'true' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.destroy();
  });

  it('greets with the menu as buttons, follows a pressed button, answers a typed question with a procedure card', async () => {
    const commune = await service.db.db.communeProfile.findUnique({ where: { communeId: service.db.tenant.communeId } });
    const page = await browser.open(`${service.url}/chat`, phoneViewport);
    if (commune) await expect(page.locator('.chat-title').textContent()).resolves.toBe(commune.name);

    // The greeting offers its menu as buttons.
    const greeting = page.locator('.msg-bot').first();
    await greeting.locator('.choice').first().waitFor();
    const menu = await greeting.locator('.choice').allTextContents();
    expect(menu.length).toBeGreaterThan(1);
    await screenshot(page, 'webchat-engine-phone-greeting');

    // A pressed button is answered (by a later message than the greeting).
    await greeting.locator('.choice').first().click();
    await expect(page.locator('.msg-me .bubble').last().textContent()).resolves.toBe(menu[0]);
    await page.locator('.msg-bot').nth(1).waitFor();

    await page.getByLabel('Câu hỏi của bạn').fill('làm giấy khai sinh cần gì');
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    const card = page.locator('.card', { hasText: 'khai sinh' }).last();
    await card.waitFor({ timeout: 15_000 });
    expect(await card.locator('.card-section-title').count()).toBeGreaterThan(0);
    expect(await card.locator('li').count()).toBeGreaterThan(0);
    // A card taller than the screen is shown from its title, not scrolled to its last line.
    await page.waitForTimeout(200);
    const title = (await card.locator('.card-title').boundingBox())!;
    const log = (await page.locator('.chat-log').boundingBox())!;
    expect(title.y).toBeGreaterThanOrEqual(log.y);
    expect(title.y + title.height).toBeLessThanOrEqual(log.y + log.height);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await screenshot(page, 'webchat-engine-phone-card');

    await page.setViewportSize(desktopViewport);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await screenshot(page, 'webchat-engine-desktop-card');
    expect(page.problems).toEqual([]);
  });
});
