/**
 * A feedback item's life on a real database: tracking codes allocated atomically per year, the state machine,
 * the answer and the transfer through the ledger, the audit trail, the consent rule for publishing, and the
 * removal of personal data (on request and after the retention period).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackDueAt, canTransition, parseFeedbackCode, removePersonalData, normalisePhone } from '../../src/domain/feedback/feedback.js';
import { applyFeedbackRetention, closeFeedback, feedbackStatus, fileFeedback, redactFeedback, startProcessing, type FeedbackDraft } from '../../src/domain/feedback/feedback.repo.js';
import { draftQaPost } from '../../src/domain/feedback/publish.js';
import { StaffError } from '../../src/domain/staff/users.js';
import { createTestDb, testDbKind, type TestDb } from '../support/db.js';

let n = 0;
function draft(over: Partial<FeedbackDraft> = {}): FeedbackDraft {
  return {
    channel: 'webchat', conversationId: null, citizenRef: 'ref', platformMessageId: `pm-${++n}`, subject: 'procedure', procedureCode: '1.001193',
    procedureName: 'Đăng ký khai sinh', field: 'Hộ tịch', content: 'Hẹn trả kết quả thứ Hai nhưng đến thứ Sáu vẫn chưa có, gọi 0912345678.',
    phone: '0912345678', phoneConsent: true, publishConsent: true, ...over,
  };
}

describe('feedback codes, due dates and personal data (pure)', () => {
  it('reads a code however it is typed', () => {
    for (const typed of ['PA-2026-000123', 'pa-2026-000123', 'pa2026000123', 'PA 2026 123', 'mã pa-2026-123 ạ']) expect(parseFeedbackCode(typed), typed).toBe('PA-2026-000123');
    for (const other of ['pa-26-1', 'xpa2026000123', 'PA-2026-0000000', 'PA-2026-000000', 'đăng ký khai sinh']) expect(parseFeedbackCode(other), other).toBeNull();
  });

  it('allows only the documented transitions', () => {
    expect(canTransition('new', 'in_progress')).toBe(true);
    expect(canTransition('new', 'answered')).toBe(true);
    expect(canTransition('in_progress', 'transferred')).toBe(true);
    expect(canTransition('answered', 'in_progress')).toBe(false);
    expect(canTransition('transferred', 'answered')).toBe(false);
    expect(canTransition('in_progress', 'new')).toBe(false);
    expect(canTransition('new', 'closed')).toBe(false);
  });

  it('counts working days in Vietnam time; the due instant is the local midnight after the last one', () => {
    // Friday 2026-01-02 23:30 in Vietnam (16:30 UTC): 2 working days → Monday 5 and Tuesday 6; due Wednesday 00:00 local.
    expect(feedbackDueAt(new Date('2026-01-02T16:30:00Z'), 2).toISOString()).toBe('2026-01-06T17:00:00.000Z');
    // Saturday 2026-01-03 00:30 local (Friday 17:30 UTC) counts from Saturday: Monday, Tuesday.
    expect(feedbackDueAt(new Date('2026-01-02T17:30:00Z'), 2).toISOString()).toBe('2026-01-06T17:00:00.000Z');
    expect(feedbackDueAt(new Date('2026-01-05T02:00:00Z'), 10).toISOString()).toBe('2026-01-19T17:00:00.000Z');
  });

  it('normalises phone numbers and removes personal data for publication', () => {
    expect(normalisePhone('0912 345 678')).toBe('0912345678');
    expect(normalisePhone('+84 912.345.678')).toBe('0912345678');
    expect(normalisePhone('12345')).toBeNull();
    expect(removePersonalData('Gọi 0912 345 678 hoặc a.b@mail.vn, CCCD 001204012345.')).toBe('Gọi [đã ẩn] hoặc [đã ẩn], CCCD [đã ẩn].');
  });
});

describe(`feedback items on ${testDbKind}`, () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('allocates codes atomically per Vietnam year, once per platform message', async () => {
    const at = new Date('2026-12-31T16:59:00Z'); // 23:59 on 31 Dec in Vietnam
    const codes = await Promise.all(Array.from({ length: 12 }, () => fileFeedback(db.db, draft(), at, 10)));
    expect(new Set(codes.map((c) => c.code)).size).toBe(12);
    expect(codes.map((c) => c.code).sort()[0]).toBe('PA-2026-000001');
    expect(codes.map((c) => c.code).sort()[11]).toBe('PA-2026-000012');
    const repeat = draft();
    const first = await fileFeedback(db.db, repeat, at, 10);
    expect((await fileFeedback(db.db, repeat, at, 10)).code).toBe(first.code);
    // One minute later it is 2027 in Vietnam: a new sequence.
    expect((await fileFeedback(db.db, draft(), new Date('2026-12-31T17:00:00Z'), 10)).code).toBe('PA-2027-000001');
  });

  it('moves through the state machine with an audit trail; the answer goes to the citizen through the ledger', async () => {
    const conversation = await db.db.conversation.create({ data: { communeId: db.tenant.communeId, channel: 'telegram', address: '4242', citizenRef: 'ref-4242', context: {} } });
    const now = new Date('2026-03-02T03:00:00Z');
    const { code } = await fileFeedback(db.db, draft({ channel: 'telegram', conversationId: conversation.id, citizenRef: 'ref-4242' }), now, 10);
    const item = await db.db.feedbackItem.findFirstOrThrow({ where: { code } });
    await startProcessing(db.db, item.id, 'canbo', now);
    await expect(startProcessing(db.db, item.id, 'canbo', now)).rejects.toThrow(StaffError);
    await expect(closeFeedback(db.db, { id: item.id, to: 'transferred', text: 'Đã chuyển.', transferredTo: '  ', who: 'canbo' }, now)).rejects.toThrow('tên cơ quan');
    const outboundId = await closeFeedback(db.db, { id: item.id, to: 'answered', text: 'Hồ sơ đã có kết quả, mời ông/bà đến nhận.', who: 'canbo' }, now);
    expect(outboundId).not.toBeNull();
    const ledger = await db.db.outboundMessage.findUniqueOrThrow({ where: { id: outboundId! } });
    expect(ledger).toMatchObject({ channel: 'telegram', kind: 'staff', address: '4242', conversationId: conversation.id, status: 'pending' });
    expect(ledger.text).toContain(code);
    await expect(closeFeedback(db.db, { id: item.id, to: 'transferred', text: 'x', transferredTo: 'Công an xã', who: 'canbo' }, now)).rejects.toThrow('Đã trả lời');
    const events = await db.db.feedbackEvent.findMany({ where: { feedbackId: item.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.fromState, e.toState, e.who])).toEqual([
      ['filed', null, 'new', 'citizen'],
      ['state', 'new', 'in_progress', 'canbo'],
      ['answered', 'in_progress', 'answered', 'canbo'],
    ]);
    // The answer is shown by code only in the conversation that filed the item.
    expect((await feedbackStatus(db.db, code, conversation.id))?.answer).toContain('kết quả');
    expect((await feedbackStatus(db.db, code, conversation.id + 1))?.answer).toBeNull();
  });

  it('transfers to another body by name', async () => {
    const { code } = await fileFeedback(db.db, draft(), new Date('2026-03-03T03:00:00Z'), 10);
    const item = await db.db.feedbackItem.findFirstOrThrow({ where: { code } });
    await closeFeedback(db.db, { id: item.id, to: 'transferred', text: 'Nội dung thuộc lĩnh vực đất đai cấp tỉnh.', transferredTo: 'Sở Nông nghiệp và Môi trường', who: 'canbo' }, new Date());
    expect(await db.db.feedbackItem.findFirstOrThrow({ where: { code } })).toMatchObject({ state: 'transferred', transferredTo: 'Sở Nông nghiệp và Môi trường' });
  });

  it('publishes a Q&A draft only with consent and an answer, personal data removed, never queued', async () => {
    const now = new Date('2026-03-04T03:00:00Z');
    const refused = await fileFeedback(db.db, draft({ publishConsent: false }), now, 10);
    const refusedItem = await db.db.feedbackItem.findFirstOrThrow({ where: { code: refused.code } });
    await closeFeedback(db.db, { id: refusedItem.id, to: 'answered', text: 'Trả lời.', who: 'canbo' }, now);
    await expect(draftQaPost(db.db, refusedItem.id, 'canbo', now)).rejects.toThrow('không đồng ý');

    const open = await fileFeedback(db.db, draft(), now, 10);
    const openItem = await db.db.feedbackItem.findFirstOrThrow({ where: { code: open.code } });
    await expect(draftQaPost(db.db, openItem.id, 'canbo', now)).rejects.toThrow('đã có câu trả lời');
    await closeFeedback(db.db, { id: openItem.id, to: 'answered', text: 'UBND xã đã chấn chỉnh; liên hệ 0203 3888 999 nếu cần.', who: 'canbo' }, now);
    const postId = await draftQaPost(db.db, openItem.id, 'canbo', now);
    const post = await db.db.post.findUniqueOrThrow({ where: { id: postId }, include: { scheduled: true } });
    expect(post.topic).toBe('phan-anh-kien-nghi');
    expect(post.channels).toEqual(['webchat']); // the website feed
    expect(post.body).not.toContain('0912345678');
    expect(post.body).not.toContain('3888 999');
    expect(post.body).toContain('[đã ẩn]');
    expect(post.scheduled).toHaveLength(0);
  });

  it('removes personal data on request and after the retention period, keeping the counts', async () => {
    const old = await fileFeedback(db.db, draft(), new Date('2024-01-10T03:00:00Z'), 10);
    const oldItem = await db.db.feedbackItem.findFirstOrThrow({ where: { code: old.code } });
    await closeFeedback(db.db, { id: oldItem.id, to: 'answered', text: 'Đã xử lý.', who: 'canbo' }, new Date('2024-01-12T03:00:00Z'));
    const recent = await fileFeedback(db.db, draft(), new Date('2026-05-10T03:00:00Z'), 10);
    expect(await applyFeedbackRetention(db.db, new Date('2026-06-01T00:00:00Z'), 365)).toBe(1);
    expect(await db.db.feedbackItem.findFirstOrThrow({ where: { code: old.code } })).toMatchObject({ phone: null, content: '[Đã xoá dữ liệu cá nhân]', citizenRef: '', state: 'answered' });
    const recentItem = await db.db.feedbackItem.findFirstOrThrow({ where: { code: recent.code } });
    expect(recentItem.phone).toBe('0912345678');
    await redactFeedback(db.db, recentItem.id, 'canbo', 'request', new Date());
    expect(await db.db.feedbackItem.findFirstOrThrow({ where: { code: recent.code } })).toMatchObject({ phone: null, conversationId: null });
    const events = await db.db.feedbackEvent.findMany({ where: { feedbackId: recentItem.id, action: 'redacted' } });
    expect(events[0]?.note).toContain('yêu cầu');
  });
});
