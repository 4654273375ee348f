/**
 * Feedback items as a table for staff (CSV/XLSX): phone numbers only for roles allowed to see personal data, and
 * never for items whose citizen did not consent or whose data was removed.
 */
import type { Db } from '../../db/client.js';
import { formatVnDateTime } from '../staff/vn-time.js';
import { feedbackStateLabels, feedbackSubjectLabels, isFeedbackState, isFeedbackSubject, removePersonalData } from './feedback.js';

export function feedbackExportHeader(includePersonal: boolean): string[] {
  return ['Mã', 'Kênh', 'Ngày tiếp nhận', 'Nội dung về', 'Thủ tục', 'Nội dung', ...(includePersonal ? ['Số điện thoại'] : []), 'Trạng thái', 'Hạn trả lời', 'Ngày trả lời', 'Cơ quan chuyển đến'];
}

export async function feedbackExportRows(db: Db, opts: { includePersonal: boolean; from?: Date; to?: Date }): Promise<string[][]> {
  const rows = await db.feedbackItem.findMany({
    where: { receivedAt: { ...(opts.from ? { gte: opts.from } : {}), ...(opts.to ? { lt: opts.to } : {}) } },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => [
    r.code,
    r.channel,
    formatVnDateTime(r.receivedAt),
    isFeedbackSubject(r.subject) ? feedbackSubjectLabels[r.subject] : r.subject,
    r.procedureName ?? '',
    // Numbers and addresses a citizen typed into the text are personal data too.
    opts.includePersonal ? r.content : removePersonalData(r.content),
    ...(opts.includePersonal ? [r.phoneConsent && r.phone ? r.phone : ''] : []),
    isFeedbackState(r.state) ? feedbackStateLabels[r.state] : r.state,
    formatVnDateTime(new Date(r.dueAt.getTime() - 1)),
    formatVnDateTime(r.answeredAt ?? r.transferredAt),
    r.transferredTo ?? '',
  ]);
}
