/**
 * Report periods: one syntax for the CLI, the admin and the exports, with Vietnamese labels.
 *
 * Boundaries are local midnights in Asia/Ho_Chi_Minh (UTC+7, no daylight saving), computed with Date.UTC only, so
 * the server's own time zone never moves a message from one period to another.
 */

/** Vietnam's fixed offset from UTC. */
export const VIETNAM_OFFSET_MS = 7 * 3_600_000;

export type PeriodKind = 'year' | 'half' | 'quarter' | 'nine-months' | 'month' | 'range';

export interface Period {
  /** The canonical text of the period, e.g. "2024-H1". */
  key: string;
  kind: PeriodKind;
  /** "6 tháng đầu năm 2024", "Quý III năm 2024", "từ 15/01/2024 đến 31/03/2024"… */
  label: string;
  /** First local day, "YYYY-MM-DD". */
  firstDay: string;
  /** Last local day (inclusive), "YYYY-MM-DD". */
  lastDay: string;
  /** UTC instant of the local midnight that starts the period (inclusive). */
  start: Date;
  /** UTC instant of the local midnight after the last day (exclusive). */
  end: Date;
}

/** A period text staff typed that is not one of the accepted forms; the message is Vietnamese, for staff. */
export class PeriodError extends Error {
  constructor(readonly input: string, reason?: string) {
    super(
      `Kỳ báo cáo "${input}" không hợp lệ${reason ? ` (${reason})` : ''}. Dùng một trong các dạng: ` +
        '2024 (cả năm), 2024-H1 hoặc 2024-H2 (6 tháng), 2024-Q1 đến 2024-Q4 (quý), 2024-9M (9 tháng), ' +
        '2024-05 (tháng), 2024-01-15..2024-03-31 (từ ngày đến ngày).',
    );
    this.name = 'PeriodError';
  }
}

const ROMAN = ['I', 'II', 'III', 'IV'] as const;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "YYYY-MM-DD" of a calendar date (month 1–12). */
export function dayKey(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The UTC instant of local (Vietnam) midnight starting the given day, "YYYY-MM-DD". */
export function localMidnight(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) - VIETNAM_OFFSET_MS);
}

/** The local (Vietnam) day, "YYYY-MM-DD", that an instant falls on. */
export function localDayOf(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** The day after `day`, "YYYY-MM-DD". */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "15/01/2024" from "2024-01-15". */
export function vietnameseDate(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

function build(key: string, kind: PeriodKind, label: string, firstDay: string, lastDay: string): Period {
  return { key, kind, label, firstDay, lastDay, start: localMidnight(firstDay), end: localMidnight(nextDay(lastDay)) };
}

function checkYear(input: string, year: number): void {
  if (year < MIN_YEAR || year > MAX_YEAR) throw new PeriodError(input, `năm phải từ ${MIN_YEAR} đến ${MAX_YEAR}`);
}

function parseDay(input: string, text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new PeriodError(input, `ngày "${text}" phải có dạng YYYY-MM-DD`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  checkYear(input, year);
  if (month < 1 || month > 12 || day < 1 || day > lastDayOfMonth(year, month)) {
    throw new PeriodError(input, `không có ngày ${pad(day)}/${pad(month)}/${year}`);
  }
  return dayKey(year, month, day);
}

/**
 * Parses a period: `2024`, `2024-H1`/`2024-H2`, `2024-Q1`…`2024-Q4`, `2024-9M` (January–September), `2024-05`, or
 * `2024-01-15..2024-03-31` (both days included). Case and surrounding spaces are ignored.
 * @throws PeriodError with a Vietnamese message naming the accepted forms.
 * @example parsePeriod('2024-Q3').label // "Quý III năm 2024"
 */
export function parsePeriod(input: string): Period {
  const text = input.normalize('NFC').trim().toUpperCase();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(text))) {
    const y = Number(m[1]);
    checkYear(input, y);
    return build(`${y}`, 'year', `năm ${y}`, dayKey(y, 1, 1), dayKey(y, 12, 31));
  }
  if ((m = /^(\d{4})-H([12])$/.exec(text))) {
    const y = Number(m[1]);
    checkYear(input, y);
    return m[2] === '1'
      ? build(`${y}-H1`, 'half', `6 tháng đầu năm ${y}`, dayKey(y, 1, 1), dayKey(y, 6, 30))
      : build(`${y}-H2`, 'half', `6 tháng cuối năm ${y}`, dayKey(y, 7, 1), dayKey(y, 12, 31));
  }
  if ((m = /^(\d{4})-Q(\d)$/.exec(text))) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    checkYear(input, y);
    if (q < 1 || q > 4) throw new PeriodError(input, 'quý phải từ 1 đến 4');
    const firstMonth = (q - 1) * 3 + 1;
    const lastMonth = firstMonth + 2;
    return build(`${y}-Q${q}`, 'quarter', `Quý ${ROMAN[q - 1]} năm ${y}`, dayKey(y, firstMonth, 1), dayKey(y, lastMonth, lastDayOfMonth(y, lastMonth)));
  }
  if ((m = /^(\d{4})-9M$/.exec(text))) {
    const y = Number(m[1]);
    checkYear(input, y);
    return build(`${y}-9M`, 'nine-months', `9 tháng năm ${y}`, dayKey(y, 1, 1), dayKey(y, 9, 30));
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(text))) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    checkYear(input, y);
    if (mo < 1 || mo > 12) throw new PeriodError(input, 'tháng phải từ 01 đến 12');
    return build(`${y}-${pad(mo)}`, 'month', `tháng ${mo} năm ${y}`, dayKey(y, mo, 1), dayKey(y, mo, lastDayOfMonth(y, mo)));
  }
  if ((m = /^(\S+)\s*\.\.\s*(\S+)$/.exec(text))) {
    const from = parseDay(input, m[1]!);
    const to = parseDay(input, m[2]!);
    if (from > to) throw new PeriodError(input, 'ngày bắt đầu phải trước hoặc bằng ngày kết thúc');
    return build(`${from}..${to}`, 'range', `từ ${vietnameseDate(from)} đến ${vietnameseDate(to)}`, from, to);
  }
  throw new PeriodError(input);
}

/** The opening words of a report sentence: "Trong 6 tháng đầu năm 2024", "Từ ngày 15/01/2024 đến ngày 31/03/2024". */
export function periodPhrase(period: Period): string {
  if (period.kind === 'range') return `Từ ngày ${vietnameseDate(period.firstDay)} đến ngày ${vietnameseDate(period.lastDay)}`;
  return `Trong ${period.label}`;
}

/** True when the instant falls inside the period (start inclusive, end exclusive). */
export function periodContains(period: Period, instant: Date): boolean {
  const t = instant.getTime();
  return t >= period.start.getTime() && t < period.end.getTime();
}

/**
 * The activity buckets a local day belongs to, from the coarsest: year "2024", quarter "2024-Q3", month "2024-07",
 * day "2024-07-01". Distinct citizens are recorded per bucket so a period's count reads few rows (see coverBuckets).
 */
export function activityBuckets(day: string): string[] {
  const year = day.slice(0, 4);
  const quarter = Math.floor((Number(day.slice(5, 7)) + 2) / 3);
  return [year, `${year}-Q${quarter}`, day.slice(0, 7), day];
}

/**
 * The fewest buckets (whole years, quarters, months, then days) that exactly cover firstDay…lastDay. A year is one
 * bucket, 2024-H1 two, a month one; a day range at most a few dozen.
 */
export function coverBuckets(firstDay: string, lastDay: string): string[] {
  const buckets: string[] = [];
  let day = firstDay;
  while (day <= lastDay) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const fits = (endDay: string) => endDay <= lastDay;
    if (d === 1 && m === 1 && fits(dayKey(y, 12, 31))) {
      buckets.push(String(y));
      day = dayKey(y + 1, 1, 1);
    } else if (d === 1 && (m - 1) % 3 === 0 && fits(dayKey(y, m + 2, lastDayOfMonth(y, m + 2)))) {
      buckets.push(`${y}-Q${(m + 2) / 3}`);
      day = nextDay(dayKey(y, m + 2, lastDayOfMonth(y, m + 2)));
    } else if (d === 1 && fits(dayKey(y, m, lastDayOfMonth(y, m)))) {
      buckets.push(day.slice(0, 7));
      day = nextDay(dayKey(y, m, lastDayOfMonth(y, m)));
    } else {
      buckets.push(day);
      day = nextDay(day);
    }
  }
  return buckets;
}
