/**
 * The report's statistics table as lines, shared by the CSV, XLSX and DOCX exports so they show the same figures.
 */
import type { Tallies } from '../tallies.js';

/** One line of the table: a section heading (roman numeral) or an item under it. */
export interface ReportLine {
  /** "I", "1", "" for a sub-item. */
  no: string;
  item: string;
  /** Tin bài only: published by the service. */
  service: number | null;
  /** Tin bài only: recorded by hand. */
  manual: number | null;
  total: number | null;
  heading: boolean;
}

export const TABLE_HEADERS = ['STT', 'Nội dung', 'Hệ thống đăng tự động', 'Ghi nhận thủ công', 'Tổng số'] as const;

/** 85.7 → "85,7%"; "—" when nothing was rated. */
export function formatShare(share: number | null): string {
  return share === null ? '—' : `${String(share).replace('.', ',')}%`;
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];

/** Lines of the statistics table, in report order. Pure. */
export function reportLines(t: Tallies): ReportLine[] {
  const lines: ReportLine[] = [];
  let section = 0;
  let item = 0;
  const heading = (text: string, values?: { service: number; manual: number; total: number }) => {
    item = 0;
    lines.push({ no: ROMAN[section++] ?? String(section), item: text, service: values?.service ?? null, manual: values?.manual ?? null, total: values?.total ?? null, heading: true });
  };
  const count = (text: string, total: number) => lines.push({ no: String(++item), item: text, service: null, manual: null, total, heading: false });
  const note = (text: string) => lines.push({ no: String(++item), item: text, service: null, manual: null, total: null, heading: false });
  const sub = (text: string, total: number) => lines.push({ no: '', item: `– ${text}`, service: null, manual: null, total, heading: false });
  const post = (text: string, r: { service: number; manual: number; total: number }) =>
    lines.push({ no: String(++item), item: text, service: r.service, manual: r.manual, total: r.total, heading: false });

  heading('Tin, bài tuyên truyền cải cách hành chính đã đăng tải, theo hình thức', t.posts);
  for (const r of t.posts.byOutlet) post(r.label, r);
  heading('Tin, bài tuyên truyền cải cách hành chính, theo chủ đề', t.posts);
  for (const r of t.posts.byTopic) post(r.label, r);

  heading('Tiếp nhận và trả lời câu hỏi của người dân');
  count('Tin nhắn người dân gửi đến', t.inbound.messages);
  for (const c of t.inbound.byChannel) sub(c.label, c.messages);
  count('Số người dân đã nhắn tin', t.inbound.citizens);
  for (const c of t.inbound.byChannel) sub(c.label, c.citizens);
  count('Câu hỏi được trả lời theo thủ tục hành chính', t.questions.answered);
  count('Câu hỏi được gợi ý để người dân chọn thủ tục', t.questions.choices);
  count('Câu hỏi chưa trả lời được', t.questions.unanswered);
  count('Câu hỏi ngoài thẩm quyền của xã, đã hướng dẫn nơi giải quyết', t.questions.referrals);
  count('Tin trả lời tự động đã gửi đến người dân', t.replies.total);
  for (const c of t.replies.byChannel) sub(c.label, c.count);

  heading('Thủ tục hành chính được hỏi nhiều nhất');
  for (const p of t.topProcedures) count(p.name === p.code ? p.code : `${p.name} (${p.code})`, p.count);
  heading('Lĩnh vực được hỏi nhiều nhất');
  for (const f of t.topFields) count(f.label, f.count);

  heading('Chuyển cán bộ trả lời');
  count('Lượt chuyển cho cán bộ trả lời trực tiếp', t.staff.handovers);
  count('Tin cán bộ đã trả lời người dân', t.staff.replies);

  const f = t.feedback;
  heading('Tiếp nhận, xử lý phản ánh, kiến nghị qua hệ thống');
  count('Phản ánh, kiến nghị đã tiếp nhận', f.received);
  for (const r of f.bySubject) sub(r.label, r.count);
  count('Đã trả lời đúng hạn', f.answeredOnTime);
  count('Đã trả lời quá hạn', f.answeredLate);
  count('Đã chuyển cơ quan có thẩm quyền', f.transferred);
  count('Đang xử lý, còn trong hạn', f.open - f.overdue);
  count('Quá hạn, chưa trả lời', f.overdue);

  const sat = t.satisfaction;
  heading('Mức độ hài lòng của người dân');
  count('Lượt đánh giá', sat.overall.total);
  sub('Hài lòng', sat.overall.satisfied);
  sub('Bình thường', sat.overall.neutral);
  sub('Chưa hài lòng', sat.overall.unsatisfied);
  note(`Tỷ lệ hài lòng chung: ${formatShare(sat.overall.share)}`);
  for (const c of sat.byChannel) sub(`${c.label} (hài lòng ${formatShare(c.share)})`, c.total);
  count(`Đánh giá sau khi cán bộ trả lời trực tiếp (hài lòng ${formatShare(sat.staff.share)})`, sat.staff.total);
  for (const r of sat.byField) count(`Lĩnh vực ${r.label} (hài lòng ${formatShare(r.share)})`, r.total);
  for (const r of sat.byProcedure) count(`${r.label === r.key ? r.key : `${r.label} (${r.key})`}: hài lòng ${formatShare(r.share)}`, r.total);

  heading('Tin gửi không thành công (không tính vào số đã gửi)');
  count('Tổng số tin gửi không thành công', t.failed.total);
  for (const k of t.failed.byKind) sub(k.label, k.count);
  return lines;
}
