/**
 * The consent rule for publishing (the plan's "đăng tải ý kiến phản ánh … và kết quả trả lời"): an answered item
 * whose citizen agreed becomes a Q&A post DRAFT in the library, phone numbers, e-mail addresses and ID numbers
 * removed. It goes to the website feed only when staff queue it on the posts page.
 */
import type { Db } from '../../db/client.js';
import { saveAdminPost } from '../content/library.repo.js';
import { StaffError } from '../staff/users.js';
import { recordAudit } from '../staff/audit.repo.js';
import { feedbackSubjectLabels, isFeedbackSubject, removePersonalData } from './feedback.js';
import { markPublishedDraft } from './feedback.repo.js';

/** Why an item may not be published, in Vietnamese for staff; null when it may. */
export function publishRefusal(item: { publishConsent: boolean; state: string; redactedAt: Date | null; answer: string | null }): string | null {
  if (!item.publishConsent) return 'Người dân không đồng ý công khai phản ánh này, nên không đăng được.';
  if (item.redactedAt) return 'Dữ liệu của phản ánh này đã được xoá, không đăng được.';
  if (item.state !== 'answered' || !item.answer) return 'Chỉ đăng được phản ánh đã có câu trả lời chính thức.';
  return null;
}

export function qaPostSlug(code: string): string {
  return `hoi-dap-${code.toLowerCase()}`;
}

/** Creates (or refreshes) the Q&A draft of an item; returns the post id. */
export async function draftQaPost(db: Db, id: number, who: string, now: Date): Promise<number> {
  const item = await db.feedbackItem.findUnique({ where: { id } });
  if (!item) throw new StaffError('Không tìm thấy phản ánh, kiến nghị này.');
  const refusal = publishRefusal(item);
  if (refusal) throw new StaffError(refusal);
  const subject = isFeedbackSubject(item.subject) ? feedbackSubjectLabels[item.subject] : item.subject;
  const about = item.procedureName ? `${subject}: ${item.procedureName}` : subject;
  const slug = qaPostSlug(item.code);
  const saved = await saveAdminPost(db, {
    slug,
    title: `Trả lời phản ánh, kiến nghị về ${about.charAt(0).toLowerCase()}${about.slice(1)}`.slice(0, 150),
    topic: 'phan-anh-kien-nghi',
    tags: ['hỏi đáp', 'phản ánh kiến nghị'],
    body: [
      `**Nội dung phản ánh, kiến nghị** (${about}):`,
      '',
      removePersonalData(item.content),
      '',
      '**Trả lời của UBND xã:**',
      '',
      removePersonalData(item.answer!),
    ].join('\n'),
    channels: ['website'],
  });
  if (!saved.ok) throw new StaffError(saved.problems.map((p) => p.reason).join(' '));
  await db.$transaction(async (tx) => {
    await markPublishedDraft(tx, id, slug, who, now);
    await recordAudit(tx, { who, action: 'feedback.draft_post', entity: 'feedback', entityId: id, detail: { slug } });
  });
  return saved.id;
}
