/** Display and week boundaries in Asia/Ho_Chi_Minh (UTC+7, no daylight saving), whatever the server's TZ. */
const offsetMs = 7 * 3_600_000;

const formatter = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
});
const dateFormatter = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });

/** e.g. "24/11/2026 12:05" (date first, as Vietnamese forms write it). */
export function formatVnDateTime(d: Date | null | undefined): string {
  if (!d) return '—';
  const parts = Object.fromEntries(formatter.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

export function formatVnDate(d: Date | null | undefined): string {
  return d ? dateFormatter.format(d) : '—';
}

/** The UTC instant of local (UTC+7) Monday 00:00 of the week containing `d`. */
export function vnWeekStart(d: Date): Date {
  const local = new Date(d.getTime() + offsetMs);
  const day = (local.getUTCDay() + 6) % 7; // Monday = 0
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - day);
  return new Date(midnight - offsetMs);
}

/** Local (UTC+7) "YYYY-MM-DDTHH:mm" for <input type="datetime-local">. */
export function toVnInputValue(d: Date): string {
  return new Date(d.getTime() + offsetMs).toISOString().slice(0, 16);
}

/** Parses a local (UTC+7) "YYYY-MM-DDTHH:mm" into a UTC Date; null when malformed. */
export function fromVnInputValue(v: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(v.trim());
  if (!m) return null;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!) - offsetMs;
  return Number.isNaN(t) ? null : new Date(t);
}
