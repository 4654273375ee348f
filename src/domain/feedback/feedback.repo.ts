/**
 * Feedback items in the database: filing with an atomically allocated tracking code, the staff workflow (state,
 * answer through the citizen's channel and the ledger, transfer), the audit trail, and personal data removal.
 */
import { communeIdOf } from '../../db/tenant.js';
import type { Db, DbTx } from '../../db/client.js';
import { enqueueOutbound } from '../ledger/outbox.repo.js';
import { StaffError } from '../staff/users.js';
import {
  canTransition,
  feedbackDueAt,
  feedbackStateLabels,
  formatFeedbackCode,
  isFeedbackState,
  isOpen,
  vnYear,
  type FeedbackState,
  type FeedbackSubject,
} from './feedback.js';

export interface FeedbackDraft {
  channel: string;
  conversationId: number | null;
  citizenRef: string;
  platformMessageId: string;
  subject: FeedbackSubject;
  procedureCode?: string | null;
  procedureName?: string | null;
  field?: string | null;
  content: string;
  phone?: string | null;
  phoneConsent: boolean;
  publishConsent: boolean;
}

export interface FiledFeedback {
  code: string;
  dueAt: Date;
}

const maxCodeAttempts = 5;
/** Filings of one year queue on the counter row's lock: a burst (or a loaded server) may wait its turn. */
const filingTransaction = { maxWait: 15_000, timeout: 20_000 } as const;

/** Hands out the next number of `year`: one atomic increment (insert on the year's first item). */
async function nextNumber(tx: DbTx, year: number): Promise<number> {
  const row = await tx.feedbackCounter.upsert({ where: { communeId_year: { communeId: communeIdOf(tx), year } }, create: { communeId: communeIdOf(tx), year, last: 1 }, update: { last: { increment: 1 } } });
  return row.last;
}

/** A concurrent filing won a race (unique code or message), or the transaction could not start in time. */
function isRetryableFiling(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null ? (e as { code?: string }).code : undefined;
  return code === 'P2002' || code === 'P2028' || code === 'P2034';
}

/**
 * Files an item and returns its tracking code. Idempotent on (channel, platformMessageId): processing the same
 * message again after a crash returns the code already given.
 */
export async function fileFeedback(db: Db, draft: FeedbackDraft, now: Date, processingDays: number): Promise<FiledFeedback> {
  for (let attempt = 1; ; attempt++) {
    const existing = await db.feedbackItem.findFirst({
      where: { channel: draft.channel, platformMessageId: draft.platformMessageId },
      select: { code: true, dueAt: true },
    });
    if (existing) return existing;
    try {
      return await db.$transaction(async (tx) => {
        const year = vnYear(now);
        const code = formatFeedbackCode(year, await nextNumber(tx, year));
        const dueAt = feedbackDueAt(now, processingDays);
        const item = await tx.feedbackItem.create({
          data: {
            communeId: communeIdOf(tx), code, channel: draft.channel, conversationId: draft.conversationId, citizenRef: draft.citizenRef, platformMessageId: draft.platformMessageId,
            subject: draft.subject, procedureCode: draft.procedureCode ?? null, procedureName: draft.procedureName ?? null, field: draft.field ?? null,
            content: draft.content, phone: draft.phoneConsent ? (draft.phone ?? null) : null, phoneConsent: draft.phoneConsent && !!draft.phone,
            publishConsent: draft.publishConsent, dueAt, receivedAt: now,
          },
          select: { id: true, code: true, dueAt: true },
        });
        await tx.feedbackEvent.create({ data: { communeId: communeIdOf(tx), feedbackId: item.id, action: 'filed', toState: 'new', who: 'citizen', at: now } });
        return { code: item.code, dueAt: item.dueAt };
      }, filingTransaction);
    } catch (e) {
      // Two instances filing at once (same message re-delivered, or the year's first counter row): try again.
      if (!isRetryableFiling(e) || attempt >= maxCodeAttempts) throw e;
    }
  }
}

/** What a citizen may learn by the code; the answer only in the conversation that filed the item. */
export interface FeedbackStatus {
  code: string;
  state: FeedbackState;
  receivedAt: Date;
  dueAt: Date;
  answer: string | null;
  answeredAt: Date | null;
  transferredTo: string | null;
  ownConversation: boolean;
}

export async function feedbackStatus(db: Db, code: string, conversationId: number | null): Promise<FeedbackStatus | null> {
  const row = await db.feedbackItem.findFirst({ where: { code } });
  if (!row || !isFeedbackState(row.state)) return null;
  const own = conversationId !== null && row.conversationId === conversationId;
  return {
    code: row.code, state: row.state, receivedAt: row.receivedAt, dueAt: row.dueAt,
    answer: own ? row.answer : null, answeredAt: row.answeredAt, transferredTo: row.transferredTo, ownConversation: own,
  };
}

export interface FeedbackListRow {
  id: number;
  code: string;
  channel: string;
  subject: string;
  procedureName: string | null;
  content: string;
  state: string;
  dueAt: Date;
  receivedAt: Date;
  overdue: boolean;
}

/** Items, open ones first by due date; `filter.state` narrows to one state, `overdue` to open items past due. */
export async function listFeedback(db: Db, now: Date, filter: { state?: string; overdue?: boolean; take?: number } = {}): Promise<FeedbackListRow[]> {
  const where = filter.overdue ? { state: { in: ['new', 'in_progress'] }, dueAt: { lt: now } } : filter.state ? { state: filter.state } : {};
  const rows = await db.feedbackItem.findMany({
    where,
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    take: filter.take ?? 200,
    select: { id: true, code: true, channel: true, subject: true, procedureName: true, content: true, state: true, dueAt: true, receivedAt: true },
  });
  return rows
    .map((r) => ({ ...r, overdue: isOpen(r.state) && r.dueAt < now }))
    .sort((a, b) => Number(isOpen(b.state)) - Number(isOpen(a.state)));
}

export async function getFeedback(db: Db, id: number) {
  return db.feedbackItem.findUnique({ where: { id }, include: { events: { orderBy: { id: 'asc' } } } });
}
export type FeedbackDetail = NonNullable<Awaited<ReturnType<typeof getFeedback>>>;

async function loadForChange(tx: DbTx, id: number) {
  const item = await tx.feedbackItem.findUnique({ where: { id } });
  if (!item) throw new StaffError('Không tìm thấy phản ánh, kiến nghị này.');
  return item;
}

function refuseTransition(from: string, to: FeedbackState): never {
  const fromLabel = isFeedbackState(from) ? feedbackStateLabels[from] : from;
  throw new StaffError(`Phản ánh đang ở trạng thái «${fromLabel}», không chuyển sang «${feedbackStateLabels[to]}» được.`);
}

/** Staff take an item in hand (mới → đang xử lý). */
export async function startProcessing(db: Db, id: number, who: string, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const item = await loadForChange(tx, id);
    if (!canTransition(item.state, 'in_progress')) refuseTransition(item.state, 'in_progress');
    // The state in the WHERE makes two staff members clicking at once change it once.
    const changed = await tx.feedbackItem.updateMany({ where: { id, state: item.state }, data: { state: 'in_progress', updatedAt: now } });
    if (changed.count !== 1) throw new StaffError('Phản ánh vừa được người khác cập nhật; hãy tải lại trang.');
    await tx.feedbackEvent.create({ data: { communeId: communeIdOf(tx), feedbackId: id, action: 'state', fromState: item.state, toState: 'in_progress', who, at: now } });
  });
}

export const maxAnswerLength = 2000;

/** Where the citizen's message goes: their conversation (channel, address), if it still exists. */
async function citizenConversation(tx: DbTx, conversationId: number | null) {
  if (conversationId === null) return null;
  return tx.conversation.findUnique({ where: { id: conversationId } });
}

/**
 * Answers an item (→ đã trả lời) or transfers it to another body (→ chuyển cơ quan khác): the text goes to the
 * citizen through their channel as a staff message in the ledger, in the same transaction as the state change.
 * Returns the ledger row id to dispatch (null when the citizen's conversation is gone).
 */
export async function closeFeedback(
  db: Db,
  input: { id: number; to: 'answered' | 'transferred'; text: string; transferredTo?: string; who: string },
  now: Date,
): Promise<number | null> {
  const text = input.text.normalize('NFC').trim();
  const body = (input.transferredTo ?? '').normalize('NFC').trim();
  if (text === '') throw new StaffError(input.to === 'answered' ? 'Vui lòng nhập nội dung trả lời.' : 'Vui lòng nhập nội dung thông báo cho người dân.');
  if (text.length > maxAnswerLength) throw new StaffError(`Nội dung dài quá ${maxAnswerLength} ký tự; hãy rút gọn.`);
  if (input.to === 'transferred' && body === '') throw new StaffError('Vui lòng nhập tên cơ quan tiếp nhận phản ánh.');
  return db.$transaction(async (tx) => {
    const item = await loadForChange(tx, input.id);
    if (!canTransition(item.state, input.to)) refuseTransition(item.state, input.to);
    const conversation = await citizenConversation(tx, item.conversationId);
    const message =
      input.to === 'answered'
        ? `Trả lời phản ánh, kiến nghị ${item.code}:\n${text}`
        : `Phản ánh, kiến nghị ${item.code} thuộc thẩm quyền của ${body}; UBND xã đã chuyển đến cơ quan này để giải quyết.\n${text}`;
    const [outboundId] = conversation
      ? await enqueueOutbound(tx, [
          {
            channel: conversation.channel, kind: 'staff', recipientRef: conversation.citizenRef, address: conversation.address, conversationId: conversation.id,
            reply: { kind: 'text', text: message }, sendContext: { lastInboundAt: conversation.lastInboundAt?.toISOString() ?? null },
          },
        ], now)
      : [];
    const changed = await tx.feedbackItem.updateMany({
      where: { id: item.id, state: item.state },
      data:
        input.to === 'answered'
          ? { state: 'answered', answer: text, answeredAt: now, answeredBy: input.who, answerOutboundId: outboundId ?? null, updatedAt: now }
          : { state: 'transferred', answer: text, transferredTo: body, transferredAt: now, answeredBy: input.who, answerOutboundId: outboundId ?? null, updatedAt: now },
    });
    if (changed.count !== 1) throw new StaffError('Phản ánh vừa được người khác cập nhật; hãy tải lại trang.');
    await tx.feedbackEvent.create({
      data: { communeId: communeIdOf(tx), feedbackId: item.id, action: input.to, fromState: item.state, toState: input.to, who: input.who, note: input.to === 'transferred' ? body : null, at: now },
    });
    return outboundId ?? null;
  });
}

const redactedText = '[Đã xoá dữ liệu cá nhân]';

/**
 * Removes the personal data of an item (Nghị định 13/2023): content, phone, the link to the citizen's
 * conversation and pseudonymous id. The code, dates, state and subject stay, so reports keep their counts.
 */
export async function redactFeedback(db: Db, id: number, who: string, reason: 'request' | 'retention', now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const item = await loadForChange(tx, id);
    if (item.redactedAt) return;
    await tx.feedbackItem.update({
      where: { id },
      data: { content: redactedText, phone: null, phoneConsent: false, conversationId: null, citizenRef: '', redactedAt: now, updatedAt: now },
    });
    await tx.feedbackEvent.create({ data: { communeId: communeIdOf(tx), feedbackId: id, action: 'redacted', who, note: reason === 'request' ? 'Xoá theo yêu cầu của người dân' : 'Hết thời hạn lưu trữ', at: now } });
  });
}

/** Redacts closed items received more than `retentionDays` ago. Returns how many. */
export async function applyFeedbackRetention(db: Db, now: Date, retentionDays: number): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  const due = await db.feedbackItem.findMany({
    where: { redactedAt: null, receivedAt: { lt: before }, state: { in: ['answered', 'transferred'] } },
    select: { id: true },
    take: 500,
  });
  for (const { id } of due) await redactFeedback(db, id, 'system', 'retention', now);
  return due.length;
}

/** Records that a Q&A post was drafted from the item. */
export async function markPublishedDraft(tx: DbTx, id: number, slug: string, who: string, now: Date): Promise<void> {
  await tx.feedbackItem.update({ where: { id }, data: { postSlug: slug, updatedAt: now } });
  await tx.feedbackEvent.create({ data: { communeId: communeIdOf(tx), feedbackId: id, action: 'published', who, note: slug, at: now } });
}
