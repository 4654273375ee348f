/**
 * The report's statistics section in words, in the style of a commune's periodic report on administrative reform
 * ("Trong 6 tháng đầu năm 2024, UBND xã … đã đăng tải 26 tin, bài trên Trang thông tin điện tử, …"). Pure.
 */
import type { Tallies } from '../tallies.js';
import { formatShare } from './table.js';

/** 1234567 → "1.234.567" (Vietnamese digit grouping). */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

function list(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} và ${parts.at(-1)}`;
}

/** The summary paragraphs, each a sentence or two, NFC. */
export function summaryParagraphs(t: Tallies): string[] {
  const n = formatCount;
  const paragraphs: string[] = [];

  if (t.posts.total === 0) {
    paragraphs.push(`${t.period.phrase}, ${t.authority} chưa ghi nhận tin, bài tuyên truyền cải cách hành chính nào.`);
  } else {
    const source =
      t.posts.manual === 0
        ? ''
        : ` (${n(t.posts.service)} tin, bài do hệ thống đăng tự động, ${n(t.posts.manual)} tin, bài ghi nhận thủ công)`;
    const only = t.posts.byOutlet.length === 1 ? t.posts.byOutlet[0] : undefined;
    const where = only
      ? ` trên ${only.label}${source}.`
      : `${source}, trong đó: ${list(t.posts.byOutlet.map((r) => `${n(r.total)} tin, bài trên ${r.label}`))}.`;
    paragraphs.push(`${t.period.phrase}, ${t.authority} đã đăng tải, phát ${n(t.posts.total)} tin, bài tuyên truyền về cải cách hành chính${where}`);
  }

  if (t.inbound.messages === 0) {
    paragraphs.push('Hệ thống hỗ trợ trả lời tự động chưa tiếp nhận tin nhắn nào của người dân trong kỳ.');
  } else {
    const channels = t.inbound.byChannel.map((c) => `${n(c.messages)} tin nhắn qua ${c.label}`);
    const handled = [`trả lời ${n(t.questions.answered)} lượt câu hỏi về thủ tục hành chính`];
    if (t.questions.choices > 0) handled.push(`gợi ý thủ tục phù hợp để người dân lựa chọn đối với ${n(t.questions.choices)} lượt câu hỏi`);
    const unanswered =
      t.questions.unanswered > 0
        ? ` ${n(t.questions.unanswered)} lượt câu hỏi chưa trả lời được đã được ghi nhận để cán bộ xem xét, bổ sung.`
        : '';
    paragraphs.push(
      `Hệ thống hỗ trợ trả lời tự động đã tiếp nhận ${n(t.inbound.messages)} tin nhắn của ${n(t.inbound.citizens)} người dân` +
        (channels.length > 1 ? ` (${list(channels)})` : '') +
        `; ${list(handled)}.${unanswered} Tổng số tin trả lời đã gửi đến người dân là ${n(t.replies.total)} tin.`,
    );
  }

  if (t.topProcedures.length > 0) {
    const top = t.topProcedures.slice(0, 3).map((p) => `${p.name} (${n(p.count)} lượt)`);
    const fields = t.topFields.slice(0, 3).map((f) => `${f.label} (${n(f.count)} lượt)`);
    paragraphs.push(
      `Các thủ tục hành chính được người dân hỏi nhiều nhất: ${list(top)}` + (fields.length > 0 ? `; lĩnh vực được hỏi nhiều nhất: ${list(fields)}.` : '.'),
    );
  }

  const catalogPosts = t.posts.byTopic.find((r) => r.key === 'cap-nhat-tthc');
  if (catalogPosts) {
    paragraphs.push(`Đã đăng tải ${n(catalogPosts.total)} tin, bài cập nhật thủ tục hành chính mới ban hành, sửa đổi, bổ sung, bãi bỏ, thay thế.`);
  }

  const f = t.feedback;
  if (f.received > 0) {
    const subjects = f.bySubject.map((r) => `${n(r.count)} về ${r.label.charAt(0).toLowerCase()}${r.label.slice(1)}`);
    const done = [`đã trả lời ${n(f.answeredOnTime)} phản ánh, kiến nghị đúng hạn`];
    if (f.answeredLate > 0) done.push(`${n(f.answeredLate)} phản ánh, kiến nghị quá hạn`);
    if (f.transferred > 0) done.push(`chuyển ${n(f.transferred)} phản ánh, kiến nghị đến cơ quan có thẩm quyền`);
    const open = f.open > 0 ? ` Còn ${n(f.open)} phản ánh, kiến nghị đang xử lý${f.overdue > 0 ? `, trong đó ${n(f.overdue)} phản ánh, kiến nghị đã quá hạn` : ''}.` : '';
    paragraphs.push(
      `Qua hệ thống, UBND xã đã tiếp nhận ${n(f.received)} phản ánh, kiến nghị của người dân về quy định hành chính, thủ tục hành chính và tinh thần trách nhiệm, thái độ của cán bộ, công chức` +
        (subjects.length > 1 ? ` (${list(subjects)})` : '') +
        `; ${list(done)}.${open}`,
    );
  }

  const sat = t.satisfaction;
  if (sat.overall.total > 0) {
    const channels = sat.byChannel.length > 1 ? `; theo kênh: ${list(sat.byChannel.map((c) => `${c.label} ${formatShare(c.share)}`))}` : '';
    const staffPart = sat.staff.total > 0 ? `; đối với các cuộc trao đổi trực tiếp với cán bộ, tỷ lệ hài lòng đạt ${formatShare(sat.staff.share)} (${n(sat.staff.total)} lượt đánh giá)` : '';
    paragraphs.push(
      `Về mức độ hài lòng, có ${n(sat.overall.total)} lượt người dân đánh giá, trong đó ${n(sat.overall.satisfied)} lượt hài lòng, ` +
        `${n(sat.overall.neutral)} lượt bình thường, ${n(sat.overall.unsatisfied)} lượt chưa hài lòng; tỷ lệ hài lòng đạt ${formatShare(sat.overall.share)}${channels}${staffPart}.`,
    );
  }

  const staff =
    t.staff.handovers > 0 || t.staff.replies > 0
      ? `Có ${n(t.staff.handovers)} lượt người dân được chuyển cho cán bộ trả lời trực tiếp; cán bộ đã gửi ${n(t.staff.replies)} tin trả lời.`
      : '';
  const failed = t.failed.total > 0 ? `Có ${n(t.failed.total)} tin gửi không thành công, không tính vào các số liệu trên.` : '';
  if (staff || failed) paragraphs.push([staff, failed].filter(Boolean).join(' '));
  return paragraphs.map((p) => p.normalize('NFC'));
}
