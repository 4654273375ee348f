/**
 * The report's statistics section in words, in the style of a commune's periodic report on administrative reform
 * ("Trong 6 tháng đầu năm 2024, UBND xã … đã đăng tải 26 tin, bài trên Trang thông tin điện tử, …"). Pure.
 */
import type { Tallies } from '../tallies.js';

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

  const staff =
    t.staff.handovers > 0 || t.staff.replies > 0
      ? `Có ${n(t.staff.handovers)} lượt người dân được chuyển cho cán bộ trả lời trực tiếp; cán bộ đã gửi ${n(t.staff.replies)} tin trả lời.`
      : '';
  const failed = t.failed.total > 0 ? `Có ${n(t.failed.total)} tin gửi không thành công, không tính vào các số liệu trên.` : '';
  if (staff || failed) paragraphs.push([staff, failed].filter(Boolean).join(' '));
  return paragraphs.map((p) => p.normalize('NFC'));
}
