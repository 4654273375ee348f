/**
 * Vietnam time (Asia/Ho_Chi_Minh) is UTC+7 all year, with no daylight saving, so local wall-clock fields are
 * computed by shifting the instant by seven hours and reading the UTC fields. Nothing here depends on the
 * server's TZ.
 */
export const VIETNAM_OFFSET_MS = 7 * 3_600_000;

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday: 1 Monday … 7 Sunday. */
  weekday: number;
}

/** Wall-clock fields of an instant in Vietnam. */
export function toVietnam(instant: Date): LocalDateTime {
  const shifted = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  const dow = shifted.getUTCDay();
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    weekday: dow === 0 ? 7 : dow,
  };
}

/** The instant of a Vietnam wall-clock time (month 1–12; day and month may overflow, as with Date.UTC). */
export function fromVietnam(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - VIETNAM_OFFSET_MS);
}

/**
 * Parses staff input "2024-05-06 08:00" (or "2024-05-06T08:00", or a date alone = 00:00) as Vietnam time.
 * Returns null when the text is not such a date or names an impossible day or time.
 */
export function parseVietnamDateTime(text: string): Date | null {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?\s*$/.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return null;
  const at = fromVietnam(year, month, day, hour, minute);
  const back = toVietnam(at);
  if (back.month !== month || back.day !== day) return null;
  return at;
}

/** "06/05/2024 08:00" in Vietnam time, as staff read dates. */
export function formatVietnam(instant: Date): string {
  const t = toVietnam(instant);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(t.day)}/${p(t.month)}/${t.year} ${p(t.hour)}:${p(t.minute)}`;
}

/** The Vietnam calendar month of an instant: its key ("2024-05") and UTC bounds [start, end). */
export function vietnamMonth(instant: Date): { key: string; start: Date; end: Date } {
  const t = toVietnam(instant);
  return {
    key: `${t.year}-${String(t.month).padStart(2, '0')}`,
    start: fromVietnam(t.year, t.month, 1),
    end: fromVietnam(t.year, t.month + 1, 1),
  };
}
