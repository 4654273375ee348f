/**
 * Phản ánh, kiến nghị and the satisfaction prompt on every channel, through each platform's contract: the real
 * service (real database with the demo catalog, real express app, real inbox and ledger), signed webhook bodies,
 * buttons pressed as each platform delivers a press, replies read from what was sent to the platform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../support/mock-server.js';
import { startTestService, type TestService } from '../support/service.js';
import { drivers, type Citizen, type SeenReply } from './drivers.js';

const codePattern = /PA-\d{4}-\d{6}/;
const buttons = (replies: SeenReply[]) => replies.flatMap((r) => r.buttons.map((b) => b.title));
const text = (replies: SeenReply[]) => replies.map((r) => r.text).join('\n');

describe.each(drivers)('feedback and rating on $name', (driver) => {
  let t: TestService;
  let mock: MockServer | null;
  let n = 0;
  const citizen = (): Citizen => driver.citizen({ url: t.url, mock, settled: () => t.inbox.idle() }, ++n);

  beforeAll(async () => {
    mock = await driver.startMock();
    t = await startTestService({ channels: driver.channels }, { SEED_DEMO: 'true', PUBLIC_BASE_URL: 'https://xa.example.vn', ...driver.env(mock?.url ?? '') });
    await t.tick();
  });
  afterAll(async () => {
    await t?.destroy();
    await mock?.close();
  });

  it('a recognised complaint becomes a filed item with a tracking code, phone kept only with consent', async () => {
    const c = citizen();
    const start = await c.say('cán bộ hẹn mãi không trả hồ sơ khai sinh cho tôi');
    expect(buttons(start)).toEqual(expect.arrayContaining(['Thủ tục hành chính', 'Thái độ cán bộ', 'Quy định hành chính', 'Hủy']));

    const which = await c.press('Thủ tục hành chính');
    expect(text(which)).toContain('thủ tục nào');
    expect(buttons(which)).toContain('Không rõ thủ tục');

    const content = await c.say('đăng ký khai sinh');
    expect(text(content)).toContain('nội dung');
    expect(buttons(content)).toContain('Dùng tin vừa gửi');

    const phone = await c.press('Dùng tin vừa gửi');
    expect(text(phone)).toContain('Nghị định 13/2023');
    await c.press('Đồng ý để lại số');
    const bad = await c.say('12345');
    expect(text(bad)).toContain('chưa đúng');
    const publish = await c.say('0912 345 678');
    expect(buttons(publish)).toEqual(expect.arrayContaining(['Đồng ý công khai', 'Không công khai']));

    const filed = await c.press('Đồng ý công khai');
    const code = codePattern.exec(text(filed))?.[0];
    expect(code, text(filed)).toBeTruthy();

    const item = await t.db.db.feedbackItem.findFirstOrThrow({ where: { code: code! } });
    expect(item).toMatchObject({
      channel: driver.name, subject: 'procedure', procedureCode: '1.001193', state: 'new',
      content: 'cán bộ hẹn mãi không trả hồ sơ khai sinh cho tôi', phone: '0912345678', phoneConsent: true, publishConsent: true,
    });
    expect(item.dueAt.getTime()).toBeGreaterThan(item.receivedAt.getTime());
    const events = await t.db.db.feedbackEvent.findMany({ where: { feedbackId: item.id } });
    expect(events.map((e) => e.action)).toEqual(['filed']);

    // The status by code, typed lower-case and without dashes.
    const status = await c.say(`cho hỏi ${code!.toLowerCase().replace(/-/g, '')} sao rồi`);
    expect(text(status)).toContain(code!);
    expect(text(status)).toContain('mới');
  });

  it('from the menu, about an officer, without a phone number; an unknown code is answered politely', async () => {
    const c = citizen();
    const menu = await c.say('menu');
    expect(menu.length).toBeGreaterThan(0);
    const start = await c.say('tôi muốn phản ánh');
    expect(buttons(start)).toContain('Thái độ cán bộ');
    const content = await c.press('Thái độ cán bộ');
    expect(buttons(content)).not.toContain('Dùng tin vừa gửi');
    expect(text(await c.say('ngắn'))).toContain('ngắn');
    await c.say('Cán bộ tiếp nhận quát tháo người dân sáng thứ Hai tại bộ phận một cửa');
    await c.press('Không để lại số');
    const filed = await c.press('Không công khai');
    const code = codePattern.exec(text(filed))![0];
    const item = await t.db.db.feedbackItem.findFirstOrThrow({ where: { code } });
    expect(item).toMatchObject({ subject: 'conduct', phone: null, phoneConsent: false, publishConsent: false });

    expect(text(await c.say('PA-2020-999999'))).toContain('Không tìm thấy');
  });

  it('asks for a rating once after a procedure card, records it with an optional reason, and not again', async () => {
    const c = citizen();
    const card = await c.say('làm giấy khai sinh cần gì');
    expect(buttons(card)).toEqual(expect.arrayContaining(['Hài lòng', 'Bình thường', 'Chưa hài lòng']));
    const why = await c.press('Chưa hài lòng');
    expect(buttons(why)).toContain('Bỏ qua');
    const thanks = await c.say('phải chờ lâu mới được trả lời');
    expect(text(thanks)).toContain('Cảm ơn');
    const ratings = await t.db.db.satisfactionRating.findMany({ where: { channel: driver.name } });
    expect(ratings.at(-1)).toMatchObject({ score: 'unsatisfied', about: 'procedure', procedureCode: '1.001193', reason: 'phải chờ lâu mới được trả lời' });

    // Once per conversation: the next answers come without the prompt.
    const again = await c.say('đăng ký kết hôn cần giấy tờ gì');
    expect(buttons(again)).not.toContain('Hài lòng');
    const followup = await c.say('lệ phí bao nhiêu');
    expect(buttons(followup)).not.toContain('Hài lòng');
    expect(await t.db.db.satisfactionRating.count({ where: { channel: driver.name } })).toBe(ratings.length);
  });
});
