/**
 * Phản ánh, kiến nghị: the vocabulary, the state machine and the tracking codes. Pure: no database, no clock.
 *
 * States: mới (new) → đang xử lý (in_progress) → đã trả lời (answered) | chuyển cơ quan khác (transferred).
 * A new item may also be answered or transferred directly; answered and transferred are final.
 *
 * @example
 * canTransition('new', 'in_progress') // true
 * formatFeedbackCode(2026, 123)       // 'PA-2026-000123'
 * parseFeedbackCode('pa2026 123')      // 'PA-2026-000123'
 */

export const feedbackStates = ['new', 'in_progress', 'answered', 'transferred'] as const;
export type FeedbackState = (typeof feedbackStates)[number];

export const feedbackStateLabels: Record<FeedbackState, string> = {
  new: 'Mới',
  in_progress: 'Đang xử lý',
  answered: 'Đã trả lời',
  transferred: 'Chuyển cơ quan khác',
};

export const feedbackSubjects = ['procedure', 'conduct', 'regulation'] as const;
export type FeedbackSubject = (typeof feedbackSubjects)[number];

export const feedbackSubjectLabels: Record<FeedbackSubject, string> = {
  procedure: 'Thủ tục hành chính',
  conduct: 'Tinh thần trách nhiệm, thái độ của cán bộ',
  regulation: 'Quy định hành chính',
};

const transitions: Record<FeedbackState, readonly FeedbackState[]> = {
  new: ['in_progress', 'answered', 'transferred'],
  in_progress: ['answered', 'transferred'],
  answered: [],
  transferred: [],
};

export function isFeedbackState(value: string): value is FeedbackState {
  return (feedbackStates as readonly string[]).includes(value);
}

export function isFeedbackSubject(value: string): value is FeedbackSubject {
  return (feedbackSubjects as readonly string[]).includes(value);
}

/** Whether an item in `from` may move to `to`. */
export function canTransition(from: string, to: string): boolean {
  return isFeedbackState(from) && isFeedbackState(to) && transitions[from].includes(to);
}

/** States an item can still be worked on in (counted as open, can become overdue). */
export function isOpen(state: string): boolean {
  return state === 'new' || state === 'in_progress';
}

export function formatFeedbackCode(year: number, n: number): string {
  return `PA-${year}-${String(n).padStart(6, '0')}`;
}

/** Finds a tracking code in a citizen's text, typed in any case, with or without dashes or spaces. */
const codePattern = /(?:^|[^\p{L}\p{N}])pa[\s\-_.]*(\d{4})[\s\-_.]*(\d{1,6})(?![\p{N}])/iu;

export function parseFeedbackCode(text: string): string | null {
  const m = codePattern.exec(text.normalize('NFC'));
  if (!m) return null;
  const n = Number.parseInt(m[2]!, 10);
  if (n <= 0) return null;
  return formatFeedbackCode(Number.parseInt(m[1]!, 10), n);
}

const dayMs = 86_400_000;
const vnOffsetMs = 7 * 3_600_000;

/** The Vietnam-time year of an instant (a code's year). */
export function vnYear(at: Date): number {
  return new Date(at.getTime() + vnOffsetMs).getUTCFullYear();
}

/**
 * The answer is due at the end (local midnight after) of the `workingDays`-th working day (Monday–Friday, Vietnam
 * time) after the day it was received. Public holidays are not known to the service; staff see the date and may
 * answer earlier.
 */
export function feedbackDueAt(receivedAt: Date, workingDays: number): Date {
  const localMidnight = Math.floor((receivedAt.getTime() + vnOffsetMs) / dayMs) * dayMs;
  let day = localMidnight;
  let left = workingDays;
  while (left > 0) {
    day += dayMs;
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return new Date(day + dayMs - vnOffsetMs);
}

/** A Vietnamese mobile or landline number as citizens type it; null when it is not one. */
export function normalisePhone(text: string): string | null {
  const digits = text.replace(/[\s.\-()]/g, '');
  const m = /^(?:\+?84|0)(\d{8,10})$/.exec(digits);
  return m ? `0${m[1]}` : null;
}

/** Removes phone numbers, e-mail addresses and ID numbers from text meant for publication. */
export function removePersonalData(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[đã ẩn]')
    .replace(/(?:\+?84|\b0)(?:[\s.-]?\d){8,10}\b/g, '[đã ẩn]')
    .replace(/\b\d{9,12}\b/g, '[đã ẩn]');
}
