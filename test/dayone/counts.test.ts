/**
 * Counts a report can be signed on, through the real path: web chat visits over HTTP into the real service, the
 * staff overview page read over HTTP. A visit that types nothing (the bot greets it) is no citizen message.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildChannels } from '../../src/channels/registry.js';
import { AdminClient } from '../support/admin-client.js';
import { startAdminService, type AdminService } from '../support/admin-service.js';

let s: AdminService;
let admin: AdminClient;

beforeAll(async () => {
  s = await startAdminService({}, { channels: (deps) => buildChannels(deps) });
  admin = new AdminClient(s.service.url);
  await admin.signIn(s.adminUsername, s.adminOneTimePassword, 'mật khẩu mới của quản trị');
});
afterAll(async () => {
  await s?.close();
});

async function chat(path: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${s.service.url}/chat/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(r.status).toBeLessThan(300);
  return (await r.json()) as Record<string, unknown>;
}

/** The quarter's and this week's "citizen messages" on the overview page. */
async function overviewFigures(): Promise<{ quarterMessages: number; quarterCitizens: number; thisWeek: number }> {
  const page = await admin.get('/admin');
  expect(page.status).toBe(200);
  const quarter = /Tin nhắn người dân gửi<\/dt><dd>(\d+) \(từ (\d+) người\)/.exec(page.body);
  const week = /Tuần này: (\d+) tin người dân gửi/.exec(page.body);
  expect(quarter, page.body).not.toBeNull();
  expect(week).not.toBeNull();
  return { quarterMessages: Number(quarter![1]), quarterCitizens: Number(quarter![2]), thisWeek: Number(week![1]) };
}

it('three web chat visits that typed nothing move no figure; the quarter and this week agree', { timeout: 60_000 }, async () => {
  expect(await overviewFigures()).toEqual({ quarterMessages: 0, quarterCitizens: 0, thisWeek: 0 });
  const sessions: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { session } = (await chat('session', {})) as { session: string };
    sessions.push(session);
    await chat('messages', { session, event: 'start' });
  }
  await s.service.inbox.idle();
  // The bot greeted each visit: the greetings are in the ledger, the visits are stored, and nothing counts.
  expect(await s.service.db.db.inboundMessage.count({ where: { kind: 'start' } })).toBe(3);
  expect(await overviewFigures()).toEqual({ quarterMessages: 0, quarterCitizens: 0, thisWeek: 0 });
  const report = await admin.get('/admin/reports');
  expect(report.status).toBe(200);

  await chat('messages', { session: sessions[0], id: 'citizen-msg-1', text: 'đăng ký khai sinh cần gì' });
  await chat('messages', { session: sessions[0], id: 'citizen-msg-2', text: 'lệ phí bao nhiêu' });
  await s.service.inbox.idle();
  expect(await overviewFigures()).toEqual({ quarterMessages: 2, quarterCitizens: 1, thisWeek: 2 });
});
