/**
 * The commune's opening hours as data the bot can compute with, so a citizen handed to staff is told honestly
 * whether someone is at the desk now and, if not, when they will be. Written by staff in a short form:
 *
 * @example
 * parseOfficeHours('T2-T6 07:30-11:30 13:30-17:00; T7 07:30-11:30')
 * // → { ok: true, schedule: [[], [450..690, 810..1020], … ] }  (minutes after local midnight, per weekday)
 *
 * Days are T2…T7 and CN (Monday … Sunday), a range "T2-T6" or a list "T2,T4". Times are local (Asia/Ho_Chi_Minh,
 * UTC+7, no daylight saving). Public holidays are not known to the schedule.
 */

/** Opening periods per weekday, Sunday = 0 … Saturday = 6, in minutes after local midnight. */
export type OfficeSchedule = readonly (readonly { from: number; to: number }[])[];

/** The usual hours of a commune's one-stop desk when the profile gives none: Monday to Friday, office hours. */
export const defaultOfficeHours = 'T2-T6 07:30-11:30 13:30-17:00';

const offsetMs = 7 * 3_600_000;
const dayCodes: Record<string, number> = { cn: 0, t2: 1, t3: 2, t4: 3, t5: 4, t6: 5, t7: 6 };
const dayNames = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

export type OfficeHoursParse = { ok: true; schedule: OfficeSchedule } | { ok: false; error: string };

function minutes(hhmm: string): number | null {
  const m = /^(\d{1,2})[:h](\d{2})$/.exec(hhmm);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 24 && min < 60 && h * 60 + min <= 24 * 60 ? h * 60 + min : null;
}

function days(spec: string): number[] | null {
  const out: number[] = [];
  for (const part of spec.toLowerCase().split(',')) {
    const [a, b] = part.split('-');
    const from = dayCodes[a ?? ''];
    const to = b === undefined ? from : dayCodes[b];
    if (from === undefined || to === undefined) return null;
    // T2-CN wraps to Sunday.
    const end = to < from ? to + 7 : to;
    for (let d = from; d <= end; d++) out.push(d % 7);
  }
  return out;
}

/** Parses the short form; the error says in Vietnamese what to fix. */
export function parseOfficeHours(text: string): OfficeHoursParse {
  const schedule: { from: number; to: number }[][] = Array.from({ length: 7 }, () => []);
  const groups = text.split(';').map((g) => g.trim()).filter(Boolean);
  if (groups.length === 0) return { ok: false, error: 'Chưa có giờ làm việc nào.' };
  for (const group of groups) {
    const [daySpec, ...periods] = group.split(/\s+/);
    const list = days(daySpec ?? '');
    if (!list) return { ok: false, error: `«${daySpec}»: ngày phải là T2…T7 hoặc CN, ví dụ T2-T6.` };
    if (periods.length === 0) return { ok: false, error: `«${group}»: thiếu giờ, ví dụ 07:30-11:30.` };
    for (const period of periods) {
      const [a, b] = period.split('-');
      const from = minutes(a ?? '');
      const to = minutes(b ?? '');
      if (from === null || to === null || to <= from) return { ok: false, error: `«${period}»: giờ phải có dạng 07:30-11:30.` };
      for (const d of list) schedule[d]!.push({ from, to });
    }
  }
  for (const day of schedule) day.sort((x, y) => x.from - y.from);
  return { ok: true, schedule };
}

/** The profile's schedule, or the usual one when it gives none or an unreadable one. */
export function officeSchedule(officeHours: string | null | undefined): OfficeSchedule {
  const parsed = parseOfficeHours(officeHours ?? '');
  if (parsed.ok) return parsed.schedule;
  return (parseOfficeHours(defaultOfficeHours) as { ok: true; schedule: OfficeSchedule }).schedule;
}

function local(at: Date): { day: number; minute: number; midnightUtc: number } {
  const l = new Date(at.getTime() + offsetMs);
  const midnightUtc = Date.UTC(l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate()) - offsetMs;
  return { day: l.getUTCDay(), minute: l.getUTCHours() * 60 + l.getUTCMinutes(), midnightUtc };
}

/** The open period `at` falls in, or null when the desk is closed. */
export function openPeriod(schedule: OfficeSchedule, at: Date): { closesAt: Date } | null {
  const { day, minute, midnightUtc } = local(at);
  const period = schedule[day]!.find((p) => minute >= p.from && minute < p.to);
  return period ? { closesAt: new Date(midnightUtc + period.to * 60_000) } : null;
}

/** When the desk next opens after `at` (within two weeks), or null for a schedule with no hours. */
export function nextOpening(schedule: OfficeSchedule, at: Date): Date | null {
  const { day, minute, midnightUtc } = local(at);
  for (let i = 0; i < 14; i++) {
    const periods = schedule[(day + i) % 7]!;
    const p = periods.find((q) => i > 0 || q.from > minute);
    if (p) return new Date(midnightUtc + i * 86_400_000 + p.from * 60_000);
  }
  return null;
}

/** "7 giờ 30" / "13 giờ" in local time. */
export function clockText(d: Date): string {
  const { minute } = local(d);
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return m === 0 ? `${h} giờ` : `${h} giờ ${String(m).padStart(2, '0')}`;
}

/** "7 giờ 30 sáng nay", "13 giờ 30 chiều nay", "7 giờ 30 sáng mai (Thứ Ba, 08/12)", "7 giờ 30 sáng Thứ Hai, 07/12". */
export function openingText(opening: Date, now: Date): string {
  const o = local(opening);
  const n = local(now);
  const part = o.minute < 12 * 60 ? 'sáng' : o.minute < 18 * 60 ? 'chiều' : 'tối';
  const clock = clockText(opening);
  const daysAhead = Math.round((o.midnightUtc - n.midnightUtc) / 86_400_000);
  const l = new Date(opening.getTime() + offsetMs);
  const date = `${String(l.getUTCDate()).padStart(2, '0')}/${String(l.getUTCMonth() + 1).padStart(2, '0')}`;
  if (daysAhead === 0) return `${clock} ${part} nay`;
  if (daysAhead === 1) return `${clock} ${part} mai (${dayNames[o.day]}, ${date})`;
  return `${clock} ${part} ${dayNames[o.day]}, ${date}`;
}
