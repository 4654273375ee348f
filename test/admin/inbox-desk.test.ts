/**
 * The staff inbox as a help desk, through real HTTP and a real database: the live stream of counts read from rows
 * (a second service instance on the same database sees what the first stored), assignment with the "của tôi"
 * filter, private notes that never reach the ledger, the honest waiting message at a fixed time, the "assistant is
 * back" message and polite answers to closings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../src/app/service.js';
import { AdminClient } from '../support/admin-client.js';
import { recordingChannel, startAdminService, type AdminService } from '../support/admin-service.js';
import { testDbKind } from '../support/db.js';
import { testConfig } from '../support/service.js';

let a: AdminService;
let b: Service;
let admin: AdminClient;

beforeAll(async () => {
  a = await startAdminService({}, { liveIntervalMs: 150 });
  // A second instance on the same database, as behind a load balancer.
  b = await startService(a.service.config, { channels: () => [recordingChannel()], noCron: true, liveIntervalMs: 150 });
  admin = new AdminClient(b.url);
  await admin.signIn(a.adminUsername, a.adminOneTimePassword, 'một câu mật khẩu đủ dài');
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

/** Reads server-sent `attention` events from /admin/live until `until` accepts one. */
async function readLive(client: AdminClient, base: string, until: (data: { counts: { inbox: number } }) => boolean, start?: () => Promise<void>) {
  const abort = new AbortController();
  const res = await fetch(`${base}/admin/live`, { headers: { cookie: client.cookieHeader() }, signal: abort.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const seen: { counts: { inbox: number } }[] = [];
  let buffer = '';
  let started = false;
  const deadline = Date.now() + 10_000;
  try {
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(chunk)?.[1];
        if (!/^event: attention$/m.test(chunk) || !data) continue;
        const parsed = JSON.parse(data) as { counts: { inbox: number } };
        seen.push(parsed);
        if (seen.length === 1 && start && !started) {
          started = true;
          await start();
          continue;
        }
        if (until(parsed)) return seen;
      }
    }
    throw new Error(`no matching live event; saw ${JSON.stringify(seen)}`);
  } finally {
    abort.abort();
  }
}

describe(`live inbox across two instances (${testDbKind})`, () => {
  it('refuses the stream without a session', async () => {
    const res = await fetch(`${b.url}/admin/live`, { redirect: 'manual' });
    expect(res.status).toBe(303);
  });

  it('pushes the waiting count to a page on instance B when a citizen asks for a person on instance A', async () => {
    const seen = await readLive(admin, b.url, (d) => d.counts.inbox === 1, async () => {
      await a.service.inbox.accept([{ channel: 'telegram', platformMessageId: 'live-1', address: '5005', kind: 'text', text: 'cho tôi gặp cán bộ', receivedAt: new Date() }]);
      await a.service.inbox.idle();
    });
    expect(seen[0]!.counts.inbox).toBe(0);
    expect(seen.at(-1)!.counts.inbox).toBe(1);
    const page = await admin.get('/admin/inbox');
    expect(page.body).toContain('<title>(1) Hộp thư');
    expect(page.body).toContain('data-live-url="/admin/live"');
  });
});

describe(`assignment and private notes (${testDbKind})`, () => {
  it('assigns to me, filters «Của tôi», and keeps notes away from the citizen', async () => {
    const c = await b.db.db.conversation.findFirstOrThrow({ where: { address: '5005' } });
    const sentBefore = a.channel.sent.length;
    const ledgerBefore = await b.db.db.outboundMessage.count();
    await admin.get(`/admin/inbox/${c.id}`);
    expect(admin.lastBody).toContain('Chưa giao cho ai');
    const me = await b.db.db.staffUser.findUniqueOrThrow({ where: { username: a.adminUsername } });
    const assigned = await admin.post(`/admin/inbox/${c.id}/assign`, { assignee: String(me.id) });
    expect(assigned.location).toBe(`/admin/inbox/${c.id}?ok=assigned`);
    expect((await b.db.db.conversation.findUniqueOrThrow({ where: { id: c.id } })).assignedToId).toBe(me.id);
    expect((await admin.get('/admin/inbox?mine=1')).body).toContain(`/admin/inbox/${c.id}"`);

    await admin.get(`/admin/inbox/${c.id}`);
    const bad = await admin.post(`/admin/inbox/${c.id}/assign`, { assignee: '999999' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Hãy chọn một cán bộ đang hoạt động');

    await admin.get(`/admin/inbox/${c.id}`);
    const note = await admin.post(`/admin/inbox/${c.id}/notes`, { text: 'Người dân hỏi về tranh chấp đất, đã hẹn gọi lại <b>chiều nay</b>.' });
    expect(note.location).toBe(`/admin/inbox/${c.id}?ok=noted`);
    const thread = await admin.get(`/admin/inbox/${c.id}`);
    expect(thread.body).toContain('Ghi chú nội bộ');
    expect(thread.body).toContain('đã hẹn gọi lại &lt;b&gt;chiều nay&lt;/b&gt;.');
    const empty = await admin.post(`/admin/inbox/${c.id}/notes`, { text: '  ' });
    expect(empty.status).toBe(400);
    // Nothing was sent or queued for the citizen.
    expect(a.channel.sent.length).toBe(sentBefore);
    expect(await b.db.db.outboundMessage.count()).toBe(ledgerBefore);

    await admin.get(`/admin/inbox/${c.id}`);
    await admin.post(`/admin/inbox/${c.id}/assign`, { assignee: '' });
    expect((await b.db.db.conversation.findUniqueOrThrow({ where: { id: c.id } })).assignedToId).toBeNull();
    expect((await admin.get('/admin/inbox?mine=1')).body).toContain('Chưa có cuộc hội thoại nào giao cho bạn.');
  });
});

/** The latest past `weekday` (0 Sunday … 6 Saturday, Viet Nam time) at `hour`:00 Viet Nam time, at least an hour ago. */
function lastVietnamWeekdayAt(weekday: number, hour: number): Date {
  const offset = 7 * 3_600_000;
  const nowVn = new Date(Date.now() + offset);
  const day = new Date(Date.UTC(nowVn.getUTCFullYear(), nowVn.getUTCMonth(), nowVn.getUTCDate(), hour));
  while (day.getUTCDay() !== weekday || day.getTime() > nowVn.getTime() - 3_600_000) day.setUTCDate(day.getUTCDate() - 1);
  return new Date(day.getTime() - offset);
}

describe(`honest waiting (${testDbKind})`, () => {
  // Both instances send (the citizen's messages are processed by A, the staff actions by B): read the ledger.
  const textsTo = async (address: string) =>
    (await b.db.db.outboundMessage.findMany({ where: { address, status: 'sent' }, orderBy: { id: 'asc' }, select: { text: true } })).map((r) => r.text);

  it('says when the desk opens outside working hours, and that staff answer now inside them', async () => {
    // The last Saturday, 21:00 in Viet Nam (past times: the inbox replaces a timestamp from the future by the receive
    // time); with no profile the usual Monday–Friday hours apply.
    const saturday = lastVietnamWeekdayAt(6, 21);
    const monday = new Date(saturday.getTime() + 2 * 86_400_000 + 7 * 3_600_000);
    const mondayLabel = `${String(monday.getUTCDate()).padStart(2, '0')}/${String(monday.getUTCMonth() + 1).padStart(2, '0')}`;
    await a.service.inbox.accept([{ channel: 'telegram', platformMessageId: 'w-1', address: '6006', kind: 'text', text: 'tôi muốn gặp cán bộ', receivedAt: saturday }]);
    // The last Wednesday, 09:00 in Viet Nam.
    await a.service.inbox.accept([{ channel: 'telegram', platformMessageId: 'w-2', address: '7007', kind: 'text', text: 'gặp cán bộ', receivedAt: lastVietnamWeekdayAt(3, 9) }]);
    await a.service.inbox.idle();
    const [closed] = await textsTo('6006');
    expect(closed).toContain('Hiện đã ngoài giờ làm việc');
    expect(closed).toContain(`từ 7 giờ 30 sáng Thứ Hai, ${mondayLabel}`);
    const [open] = await textsTo('7007');
    expect(open).toContain('đang trong giờ làm việc (đến 11 giờ 30)');
  });

  it('answers a «cảm ơn» after an officer’s reply politely, tells the citizen the assistant is back, and never says «chưa tìm thấy»', async () => {
    const c = await b.db.db.conversation.findFirstOrThrow({ where: { address: '7007' } });
    await admin.get(`/admin/inbox/${c.id}`);
    await admin.post(`/admin/inbox/${c.id}/reply`, { text: 'Chào anh, anh mang sổ hộ khẩu đến bộ phận một cửa nhé.' });
    // The sign-in name stands in until the officer fills in the profile.
    expect((await textsTo('7007')).at(-1)).toBe(`Cán bộ ${a.adminUsername}:\nChào anh, anh mang sổ hộ khẩu đến bộ phận một cửa nhé.`);
    // Whoever answers an unassigned conversation takes it.
    expect((await b.db.db.conversation.findUniqueOrThrow({ where: { id: c.id } })).assignedToId).not.toBeNull();

    await a.service.inbox.accept([{ channel: 'telegram', platformMessageId: 'w-3', address: '7007', kind: 'text', text: 'cảm ơn cán bộ nhiều ạ', receivedAt: new Date() }]);
    await a.service.inbox.idle();
    expect((await textsTo('7007')).at(-1)).toContain('Dạ, cảm ơn bạn. Nếu còn cần hỏi thêm');
    // A real question while with staff gets no bot answer: staff read it.
    await a.service.inbox.accept([{ channel: 'telegram', platformMessageId: 'w-4', address: '7007', kind: 'text', text: 'còn khai sinh thì sao', receivedAt: new Date() }]);
    await a.service.inbox.idle();
    expect((await textsTo('7007')).at(-1)).toContain('Dạ, cảm ơn bạn.');

    await admin.get(`/admin/inbox/${c.id}`);
    const back = await admin.post(`/admin/inbox/${c.id}/hand-back`, {});
    expect(back.location).toBe(`/admin/inbox/${c.id}?ok=handed_back`);
    // The satisfaction question (issue 13) follows the «assistant is back» message.
    expect((await textsTo('7007')).slice(-2).join('\n')).toContain('Trợ lý tự động đã trở lại');

    await a.service.inbox.accept([{ channel: 'telegram', platformMessageId: 'w-5', address: '7007', kind: 'text', text: 'em cảm ơn anh đã hỗ trợ ạ', receivedAt: new Date() }]);
    await a.service.inbox.idle();
    const last = (await textsTo('7007')).at(-1)!;
    expect(last).toContain('không có gì ạ');
    expect((await textsTo('7007')).join('\n')).not.toContain('chưa tìm thấy');
    const inbound = await b.db.db.inboundMessage.findFirstOrThrow({ where: { platformMessageId: 'w-5' } });
    expect(inbound.outcome).toBe('greeting');
  });
});

describe(`staff Telegram group alert (${testDbKind})`, () => {
  it('tells the staff group once through the ledger, with a link, and counts it nowhere in the report', async () => {
    const s = await startAdminService({ STAFF_TELEGRAM_CHAT_ID: '-1001234567890', TELEGRAM_BOT_TOKEN: '123:test', PUBLIC_BASE_URL: 'https://bot.xa.gov.vn' });
    try {
      const ask = { channel: 'telegram' as const, platformMessageId: 'alert-1', address: '8008', kind: 'text' as const, text: 'cho tôi gặp cán bộ địa chính', receivedAt: new Date() };
      await s.service.inbox.accept([ask]);
      await s.service.inbox.accept([ask]); // a re-delivery
      await s.service.inbox.idle();
      const c = await s.service.db.db.conversation.findFirstOrThrow({ where: { address: '8008' } });
      const alerts = s.channel.sent.filter((m) => m.address === '-1001234567890');
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.reply.kind === 'text' && alerts[0]!.reply.text).toBe(
        `Có người dân cần gặp cán bộ (Telegram, hội thoại #${c.id}): «cho tôi gặp cán bộ địa chính»\nMở hộp thư: https://bot.xa.gov.vn/admin/inbox/${c.id}`,
      );
      const row = await s.service.db.db.outboundMessage.findFirstOrThrow({ where: { kind: 'alert' } });
      expect([row.status, row.conversationId, row.inboundId]).toEqual(['sent', null, null]);
      // Only the citizen's own reply (the waiting message) is counted as sent.
      const counted = await s.service.db.db.outboundMessage.count({ where: { status: 'sent', kind: { in: ['reply', 'staff', 'post'] } } });
      expect(counted).toBe(1);
    } finally {
      await s.close();
    }
    expect(() => testConfig('file:./unused.db', { STAFF_TELEGRAM_CHAT_ID: '-100999' })).toThrow(/STAFF_TELEGRAM_CHAT_ID needs TELEGRAM_BOT_TOKEN/);
    expect(() => testConfig('file:./unused.db', { STAFF_TELEGRAM_CHAT_ID: 'nhóm cán bộ', TELEGRAM_BOT_TOKEN: '1:x' })).toThrow(/STAFF_TELEGRAM_CHAT_ID: a Telegram chat id/);
  });
});
