/**
 * Backpressure made visible: a channel whose oldest unsent reply has waited longer than QUEUE_ALERT_AGE is flagged
 * on the Kênh page, and the log says so once (not once per message or per tick), then once when it recovers.
 * Real service, real database, real HTTP.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutbound } from '../../src/domain/ledger/outbox.repo.js';
import { AdminClient } from '../support/admin-client.js';
import { startAdminService, type AdminService } from '../support/admin-service.js';

const logs: { level: number; msg: string; channel?: string; depth?: number }[] = [];
let s: AdminService;
let admin: AdminClient;

/** The Telegram card of the Kênh page (the recording channel is configured as telegram). */
function telegramCard(body: string): string {
  const start = body.indexOf('id="ch-telegram"');
  expect(start).toBeGreaterThan(0);
  return body.slice(start, body.indexOf('</section>', start));
}

async function queueReplies(count: number, minutesAgo: number): Promise<void> {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  await s.service.db.db.$transaction((tx) =>
    enqueueOutbound(
      tx,
      Array.from({ length: count }, (_, i) => ({ channel: 'telegram', kind: 'reply' as const, recipientRef: `r${i}`, address: `chờ-${i}`, reply: { kind: 'text' as const, text: `Trả lời ${i}` } })),
      at,
    ),
  );
  // Waiting for a later attempt (as after a 429): the ticks below must not send them.
  await s.service.db.db.outboundMessage.updateMany({ where: { status: 'pending' }, data: { nextAttemptAt: new Date(Date.now() + 3_600_000) } });
}

beforeAll(async () => {
  const logger = pino({ level: 'info', base: undefined }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  s = await startAdminService({ QUEUE_ALERT_AGE: '120' }, { logger });
  admin = new AdminClient(s.service.url);
  await admin.signIn(s.adminUsername, s.adminOneTimePassword, 'mật khẩu quản trị hàng đợi');
  await s.service.tick();
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const backingUp = () => logs.filter((l) => l.msg.startsWith('outbound queue is backing up'));
const recovered = () => logs.filter((l) => l.msg.startsWith('outbound queue back under'));

describe('queue alert age', () => {
  it('shows a young queue without a warning', async () => {
    await queueReplies(2, 1);
    await s.service.tick();
    const card = telegramCard((await admin.get('/admin/channels')).body);
    expect(card).toContain('Đang chờ gửi');
    expect(card).toMatch(/<dd>2 \(tin cũ nhất chờ (\d+ giây|1 phút)\)<\/dd>/);
    expect(card).not.toContain('Hàng đợi chậm');
    expect(backingUp()).toHaveLength(0);
  });

  it('warns staff on the Kênh page and logs once when the oldest reply is older than QUEUE_ALERT_AGE', async () => {
    await queueReplies(3, 5);
    await s.service.tick();
    await s.service.tick();
    await s.service.tick();
    expect(backingUp()).toHaveLength(1);
    expect(backingUp()[0]).toMatchObject({ level: 40, channel: 'telegram', depth: 5 });
    const page = await admin.get('/admin/channels');
    expect(page.status).toBe(200);
    const card = telegramCard(page.body);
    expect(card).toContain('Hàng đợi chậm');
    expect(card).toContain('Có 5 tin đang chờ gửi, tin cũ nhất đã chờ 5 phút (ngưỡng cảnh báo 2 phút)');
    expect(card.normalize('NFC')).toBe(card);
    // Other channels are not flagged.
    expect(page.body.split('Hàng đợi chậm')).toHaveLength(2);
  });

  it('logs once more when the queue is back under the age, and the warning leaves the page', async () => {
    await s.service.db.db.outboundMessage.updateMany({ where: { status: 'pending' }, data: { status: 'sent', sentAt: new Date() } });
    await s.service.tick();
    await s.service.tick();
    expect(recovered()).toHaveLength(1);
    expect(backingUp()).toHaveLength(1);
    const card = telegramCard((await admin.get('/admin/channels')).body);
    expect(card).not.toContain('Hàng đợi chậm');
    expect(card).toContain('<dd>0</dd>');
  });
});
