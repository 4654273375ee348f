/**
 * What the search benchmark and the search snapshot share: the real catalog scaled up with synthesised variants, and
 * the question mix (the development set, its unaccented and abbreviated forms, and bench/search-questions.jsonl: long
 * stories of 40–190 words written for the benchmark, with and without diacritics).
 */
import fs from 'node:fs';
import { parseEvalSet } from '../src/domain/conversation/evaluation.js';
import type { Procedure } from '../src/domain/procedures/procedure.js';
import { foldDiacritics } from '../src/domain/text/normalize.js';

export const realProcedures = (): Procedure[] => JSON.parse(fs.readFileSync('content/procedures.json', 'utf8')) as Procedure[];

// Qualifiers that real catalogs append to procedure names (per group, per case, per level).
const qualifiers = [
  'đối với người cao tuổi', 'trường hợp đặc biệt', 'cho tổ chức', 'cho cá nhân', 'liên thông cấp tỉnh', 'theo diện ưu tiên',
  'đối với hộ gia đình', 'trong khu công nghiệp', 'tại vùng đặc biệt khó khăn', 'cho người lao động', 'đối với doanh nghiệp',
  'của hợp tác xã', 'trên địa bàn biên giới', 'cho học sinh sinh viên', 'đối với cơ sở giáo dục', 'theo yêu cầu',
  'lần thứ hai', 'bổ sung hồ sơ', 'điều chỉnh thông tin', 'gia hạn thời hạn', 'có thời hạn', 'không thời hạn',
  'đối với tàu cá', 'cho phương tiện thủy', 'trong lĩnh vực thủy sản', 'về môi trường', 'về an toàn thực phẩm',
  'đối với làng nghề', 'trong hoạt động khoáng sản', 'đối với rừng sản xuất',
];

/** The real catalog followed by synthesised variants of it, `n` procedures in all. */
export function synthesise(real: readonly Procedure[], n: number): Procedure[] {
  const out: Procedure[] = [...real];
  for (let i = out.length; i < n; i++) {
    const base = real[i % real.length]!;
    const q1 = qualifiers[i % qualifiers.length]!;
    const q2 = qualifiers[Math.floor(i / qualifiers.length) % qualifiers.length]!;
    out.push({
      ...base,
      code: `9.${String(i).padStart(6, '0')}`,
      name: `${base.name} ${q1}${i % 3 === 0 ? ` ${q2}` : ''}`,
      aliases: base.aliases.slice(0, 2).map((a) => `${a} ${q1}`),
    });
  }
  return out;
}

export interface BenchQuestion {
  text: string;
  kind: string;
  /** Asked right after the previous question, with its context ("phí bao nhiêu?"). */
  followUp: boolean;
}

export const followUps = ['phí bao nhiêu?', 'mất mấy ngày?', 'nộp ở đâu?', 'cần giấy tờ gì?'];

/** Each question as typed, without diacritics in lowercase, and with the two commonest abbreviations. */
export function variantsOf(q: string): string[] {
  return [q, foldDiacritics(q).toLowerCase(), q.replace(/đăng ký/g, 'đk').replace(/khai sinh/g, 'ks')];
}

/** The development set (test/eval/questions.jsonl) and the benchmark's own questions, with their kinds. */
export function sourceQuestions(): { q: string; kind: string }[] {
  const dev = parseEvalSet(fs.readFileSync('test/eval/questions.jsonl', 'utf8')).map((i) => ({ q: i.q, kind: i.kind ?? 'other' }));
  const own = parseEvalSet(
    fs
      .readFileSync('bench/search-questions.jsonl', 'utf8')
      .split('\n')
      .map((l) => (l.trim() === '' ? l : JSON.stringify({ expect: [], ...JSON.parse(l) })))
      .join('\n'),
  ).map((i) => ({ q: i.q, kind: i.kind ?? 'other' }));
  return [...dev, ...own];
}

/**
 * The benchmark's stream of `count` questions in the shape of real traffic: short questions and their variants, a
 * follow-up after every fifth, and a long story (40–190 words, half of them without diacritics) after every third,
 * so about a fifth of the stream is long.
 */
export function questionMix(count: number): BenchQuestion[] {
  const all = sourceQuestions();
  const long = all.filter((x) => x.kind === 'long').flatMap((x) => [x.q, foldDiacritics(x.q).toLowerCase()]);
  const rest = all.filter((x) => x.kind !== 'long').flatMap((x) => variantsOf(x.q).map((text) => ({ text, kind: x.kind })));
  const out: BenchQuestion[] = [];
  for (let i = 0; out.length < count; i++) {
    const r = rest[i % rest.length]!;
    out.push({ text: r.text, kind: r.kind, followUp: false });
    if (i % 5 === 4) out.push({ text: followUps[i % followUps.length]!, kind: 'follow-up', followUp: true });
    if (i % 3 === 2) out.push({ text: long[Math.floor(i / 3) % long.length]!, kind: 'long', followUp: false });
  }
  out.length = count;
  return out;
}
