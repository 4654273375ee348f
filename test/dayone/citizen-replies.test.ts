/**
 * What citizens read, through the real path: the web chat over HTTP into the real service with the demo commune
 * (hotline list, addressing), and every procedure of content/ rendered as the engine renders it (no database
 * remarks, no nested brackets). A Chromium test: a menu stays usable after one of its buttons is pressed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { facetReply, procedureCard } from '../../src/domain/conversation/replies.js';
import { listActiveProcedures } from '../../src/domain/procedures/catalog.repo.js';
import { getCommuneProfile } from '../../src/domain/commune/profile.repo.js';
import type { Reply } from '../../src/domain/messages.js';
import { launchBrowser, phoneViewport, type TestBrowser } from '../support/browser.js';
import { startTestService, type TestService } from '../support/service.js';

let service: TestService;
let browser: TestBrowser | undefined;

beforeAll(async () => {
  service = await startTestService({}, { SEED_DEMO: 'true' });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await service?.destroy();
});

type Json = Record<string, any>;
async function chat(path: string, body: unknown): Promise<Json> {
  const r = await fetch(`${service.url}/chat/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(r.status).toBeLessThan(300);
  return (await r.json()) as Json;
}
let n = 0;
async function ask(text: string): Promise<string[]> {
  const { session } = await chat('session', {});
  await chat('messages', { session, id: `dayone-msg-${++n}`, text });
  await service.inbox.idle();
  const replies = await chat('replies', { session, after: 0, wait: 10 });
  return replies.replies.map((r: Json) => (r.reply.kind === 'card' ? r.reply.title : r.reply.text));
}

function textOf(reply: Reply): string {
  if (reply.kind !== 'card') return reply.text;
  return [reply.title, ...reply.sections.flatMap((s) => [s.title, ...s.lines])].join('\n');
}

/** True when a bracket opens inside another: «(a (b) c)». */
function nestedBrackets(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') {
      if (++depth > 1) return true;
    } else if (ch === ')') depth = Math.max(0, depth - 1);
  }
  return false;
}

it('the hotline list is grouped, names the working hours once and the commune once', async () => {
  const [text] = await ask('cho xin số điện thoại đường dây nóng của xã');
  const hours = 'Thứ Hai – Thứ Sáu và sáng Thứ Bảy, trong giờ hành chính (trừ ngày lễ, Tết)';
  expect(text!.split(hours)).toHaveLength(2);
  expect(text).toContain('Tổng đài toàn quốc:');
  expect(text).toMatch(/^Khẩn cấp \(miễn cước, suốt ngày đêm\): 113 /m);
  expect(text!.match(/Minh Tiến/g)).toHaveLength(1);
  for (const number of ['0200.000.101', '0200.000.103', '18001096', '115']) expect(text).toContain(number);
  expect(text).toContain('số ví dụ');
  expect(nestedBrackets(text!)).toBe(false);
});

it('follows how the citizen writes: «em … ạ» gets «Dạ, em…», otherwise neutral', async () => {
  const [polite] = await ask('em muốn hỏi số điện thoại của xã ạ');
  expect(polite).toMatch(/^Dạ, /);
  const [offtopic] = await ask('em hỏi chuyện thời tiết mai thế nào ạ');
  expect(offtopic).toMatch(/^Dạ, /);
  expect(offtopic).toMatch(/\bEm có thể hỏi/u);
  expect(offtopic).not.toMatch(/\bbạn\b/iu);
  const [plain] = await ask('thời tiết mai thế nào');
  expect(plain).not.toMatch(/(^|\s)em\s/u);
});

it('no procedure answer shows database remarks or nested brackets to citizens', async () => {
  const procedures = await listActiveProcedures(service.db.db);
  const profile = await getCommuneProfile(service.db.db);
  expect(procedures.length).toBeGreaterThanOrEqual(78);
  for (const p of procedures) {
    const replies = [procedureCard(p, profile), facetReply(p, ['documents', 'processingTime', 'fees', 'submitAt', 'online'], profile)];
    for (const reply of replies) {
      const text = textOf(reply);
      expect(text, p.code).not.toMatch(/CSDL|ghi 'Miễn phí'|Không có thông tin'/u);
      expect(nestedBrackets(text), `${p.code}: ${text}`).toBe(false);
    }
  }
});

it('web chat: a menu stays usable after one of its buttons is pressed', { timeout: 60_000 }, async () => {
  browser = await launchBrowser();
  const page = await browser.open(`${service.url}/chat`, phoneViewport);
  const greeting = page.locator('.msg-bot').first();
  await greeting.locator('.choice').first().waitFor();
  await greeting.getByRole('button', { name: 'Đường dây nóng' }).click();
  await page.locator('.msg-bot', { hasText: 'Tổng đài toàn quốc' }).waitFor();
  // The same greeting's other button still works (pressed after the 0.7 s that turns a double click into one).
  await page.waitForTimeout(800);
  const hours = greeting.getByRole('button', { name: 'Giờ làm việc và địa chỉ' });
  expect(await hours.isDisabled()).toBe(false);
  await hours.click();
  await page.locator('.msg-bot', { hasText: 'Địa chỉ:' }).waitFor();
  await expect(page.locator('.msg-me .bubble').allTextContents()).resolves.toEqual(['Đường dây nóng', 'Giờ làm việc và địa chỉ']);
  expect(page.problems).toEqual([]);
});
