import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catchUpPlan, dueDecision, monthProgress, nextOccurrence, pickNextItem, retryDelayMs, upcomingOccurrences, type LibraryItem, type PlanSchedule,
} from './plan.js';
import { formatVietnam, parseVietnamDateTime, vietnamMonth } from './vn-time.js';

const utc = (iso: string) => new Date(iso);
const vn = (text: string) => {
  const at = parseVietnamDateTime(text);
  if (!at) throw new Error(`bad test time ${text}`);
  return at;
};

// The same expectations must hold whatever the server's time zone is.
for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Ho_Chi_Minh']) {
  describe(`pure planning with TZ=${tz}`, () => {
    const previous = process.env.TZ;
    beforeAll(() => {
      process.env.TZ = tz;
    });
    afterAll(() => {
      process.env.TZ = previous;
    });

    it('runs under the intended time zone', () => {
      const offset = new Date('2024-01-15T00:00:00Z').getTimezoneOffset();
      expect(offset).toBe({ UTC: 0, 'America/Los_Angeles': 480, 'Asia/Ho_Chi_Minh': -420 }[tz]);
    });

    it('parses and formats staff times as Vietnam time', () => {
      expect(parseVietnamDateTime('2024-05-06 08:00')?.toISOString()).toBe('2024-05-06T01:00:00.000Z');
      expect(parseVietnamDateTime('2024-05-06')?.toISOString()).toBe('2024-05-05T17:00:00.000Z');
      expect(parseVietnamDateTime('2024-02-30 08:00')).toBeNull();
      expect(parseVietnamDateTime('2024-05-06 24:00')).toBeNull();
      expect(parseVietnamDateTime('06/05/2024')).toBeNull();
      expect(formatVietnam(utc('2024-12-31T17:30:00Z'))).toBe('01/01/2025 00:30');
    });

    const mondayThursday8: PlanSchedule = { weekdays: [1, 4], times: ['08:00'], startAt: utc('2024-01-01T00:00:00Z') };

    it('finds the next weekday occurrence in Vietnam time', () => {
      // Tuesday 2024-05-07 10:00 VN → Thursday 2024-05-09 08:00 VN
      expect(nextOccurrence(mondayThursday8, vn('2024-05-07 10:00'))?.toISOString()).toBe(vn('2024-05-09 08:00').toISOString());
      // exactly at an occurrence: strictly after, so the following one
      expect(nextOccurrence(mondayThursday8, vn('2024-05-09 08:00'))?.toISOString()).toBe(vn('2024-05-13 08:00').toISOString());
    });

    it('uses the Vietnam weekday near midnight, not the UTC one', () => {
      // 06:00 Monday in Vietnam is 23:00 Sunday UTC.
      const early: PlanSchedule = { weekdays: [1], times: ['06:00'], startAt: utc('2024-01-01T00:00:00Z') };
      expect(nextOccurrence(early, utc('2024-12-29T00:00:00Z'))?.toISOString()).toBe('2024-12-29T23:00:00.000Z');
    });

    it('crosses month and year ends', () => {
      const daily: PlanSchedule = { weekdays: [1, 2, 3, 4, 5, 6, 7], times: ['17:00', '08:00'], startAt: utc('2024-01-01T00:00:00Z') };
      expect(upcomingOccurrences(daily, vn('2024-01-31 12:00'), 3).map(formatVietnam)).toEqual(['31/01/2024 17:00', '01/02/2024 08:00', '01/02/2024 17:00']);
      expect(upcomingOccurrences(daily, vn('2024-12-31 18:00'), 2).map(formatVietnam)).toEqual(['01/01/2025 08:00', '01/01/2025 17:00']);
      // leap day
      expect(nextOccurrence(daily, vn('2024-02-28 18:00'))?.toISOString()).toBe(vn('2024-02-29 08:00').toISOString());
      // Monday/Thursday plan from the last days of the year
      expect(nextOccurrence(mondayThursday8, vn('2024-12-31 09:00'))?.toISOString()).toBe(vn('2025-01-02 08:00').toISOString());
    });

    it('respects startAt and endAt', () => {
      const bounded: PlanSchedule = { weekdays: [1, 4], times: ['08:00'], startAt: vn('2024-06-01 00:00'), endAt: vn('2024-06-10 23:59') };
      expect(nextOccurrence(bounded, vn('2024-05-01 00:00'))?.toISOString()).toBe(vn('2024-06-03 08:00').toISOString());
      expect(upcomingOccurrences(bounded, vn('2024-05-01 00:00'), 10).map(formatVietnam)).toEqual(['03/06/2024 08:00', '06/06/2024 08:00', '10/06/2024 08:00']);
      expect(nextOccurrence(bounded, vn('2024-06-10 08:00'))).toBeNull();
    });

    it('decides the grace window', () => {
      const due = vn('2024-05-06 08:00');
      expect(dueDecision(due, new Date(due.getTime() - 1), 60)).toBe('wait');
      expect(dueDecision(due, due, 60)).toBe('publish');
      expect(dueDecision(due, new Date(due.getTime() + 60 * 60_000), 60)).toBe('publish');
      expect(dueDecision(due, new Date(due.getTime() + 60 * 60_000 + 1), 60)).toBe('missed');
    });

    it('catches a plan up after downtime without bursting', () => {
      const daily: PlanSchedule = { weekdays: [1, 2, 3, 4, 5, 6, 7], times: ['08:00'], startAt: utc('2024-01-01T00:00:00Z') };
      // Down from Monday 08:00 until Thursday 08:30: Thursday's post is within the grace window, three are missed.
      const caught = catchUpPlan(daily, vn('2024-05-06 08:00'), vn('2024-05-09 08:30'), 60);
      expect(caught.materialise?.toISOString()).toBe(vn('2024-05-09 08:00').toISOString());
      expect(caught.missed.map(formatVietnam)).toEqual(['06/05/2024 08:00', '07/05/2024 08:00', '08/05/2024 08:00']);
      expect(caught.nextRunAt?.toISOString()).toBe(vn('2024-05-10 08:00').toISOString());
      // Back at 11:00: nothing goes out, the plan moves to tomorrow.
      const late = catchUpPlan(daily, vn('2024-05-06 08:00'), vn('2024-05-09 11:00'), 60);
      expect(late.materialise).toBeNull();
      expect(late.missed).toHaveLength(4);
      expect(late.nextRunAt?.toISOString()).toBe(vn('2024-05-10 08:00').toISOString());
      // Two occurrences within the grace window: only the latest goes out.
      const twice: PlanSchedule = { weekdays: [1], times: ['08:00', '08:30'], startAt: utc('2024-01-01T00:00:00Z') };
      const both = catchUpPlan(twice, vn('2024-05-06 08:00'), vn('2024-05-06 08:45'), 60);
      expect(both.materialise?.toISOString()).toBe(vn('2024-05-06 08:30').toISOString());
      expect(both.missed).toHaveLength(1);
      // Not yet due: nothing happens.
      const early = catchUpPlan(daily, vn('2024-05-06 08:00'), vn('2024-05-06 07:59'), 60);
      expect(early).toEqual({ materialise: null, missed: [], nextRunAt: vn('2024-05-06 08:00') });
    });

    const items: LibraryItem[] = [
      { id: 1, slug: 'a-dvc', topic: 'chinh-phu-so', channels: ['zalo', 'webchat'] },
      { id: 2, slug: 'b-dvc', topic: 'chinh-phu-so', channels: ['zalo'] },
      { id: 3, slug: 'a-mot-cua', topic: 'mot-cua', channels: ['zalo', 'webchat'] },
      { id: 4, slug: 'c-later', topic: 'mot-cua', channels: ['zalo'], notBefore: vn('2024-07-01 00:00') },
      { id: 5, slug: 'a-old', topic: 'mot-cua', channels: ['zalo'], archived: true },
    ];

    it('rotates topics and picks the next unused item on the channel', () => {
      const at = vn('2024-05-06 08:00');
      const topics = ['chinh-phu-so', 'mot-cua'];
      const first = pickNextItem({ items, topics, occurrenceIndex: 0, channel: 'zalo', usedOnChannel: new Set(), at });
      expect(first).toMatchObject({ kind: 'picked', topic: 'chinh-phu-so', item: { id: 1 } });
      const second = pickNextItem({ items, topics, occurrenceIndex: 1, channel: 'zalo', usedOnChannel: new Set([1]), at });
      expect(second).toMatchObject({ kind: 'picked', topic: 'mot-cua', item: { id: 3 } });
      const third = pickNextItem({ items, topics, occurrenceIndex: 2, channel: 'zalo', usedOnChannel: new Set([1, 3]), at });
      expect(third).toMatchObject({ kind: 'picked', topic: 'chinh-phu-so', item: { id: 2 } });
      // mot-cua has only a not-yet-allowed item and an archived one: falls back to the next topic and says so.
      const fourth = pickNextItem({ items, topics, occurrenceIndex: 3, channel: 'zalo', usedOnChannel: new Set([1, 3]), at });
      expect(fourth).toEqual({ kind: 'picked', topic: 'chinh-phu-so', item: items[1], insteadOf: 'mot-cua' });
      // after notBefore the later item is eligible
      const july = pickNextItem({ items, topics, occurrenceIndex: 1, channel: 'zalo', usedOnChannel: new Set([1, 2, 3]), at: vn('2024-07-02 08:00') });
      expect(july).toMatchObject({ kind: 'picked', item: { id: 4 } });
    });

    it('says when the library runs dry on a channel', () => {
      const at = vn('2024-05-06 08:00');
      const dry = pickNextItem({ items, topics: ['chinh-phu-so', 'mot-cua'], occurrenceIndex: 0, channel: 'webchat', usedOnChannel: new Set([1, 3]), at });
      expect(dry).toEqual({ kind: 'dry', triedTopics: ['chinh-phu-so', 'mot-cua'] });
      expect(pickNextItem({ items, topics: [], occurrenceIndex: 0, channel: 'telegram', usedOnChannel: new Set(), at }).kind).toBe('dry');
    });

    it('measures monthly target progress in the Vietnam month', () => {
      const now = vn('2024-06-16 12:00');
      const published = [
        { postId: 1, publishedAt: vn('2024-06-01 00:30') }, // 2024-05-31 17:30 UTC: June in Vietnam
        { postId: 1, publishedAt: vn('2024-06-01 00:31') }, // same post on another channel: counted once
        { postId: 2, publishedAt: vn('2024-06-03 08:00') },
        { postId: 3, publishedAt: vn('2024-05-31 23:59') }, // May
        { postId: 4, publishedAt: vn('2024-06-10 08:00') },
      ];
      const p = monthProgress(published, 8, now);
      expect(p).toMatchObject({ month: '2024-06', done: 3, target: 8, remaining: 5 });
      expect(p.expectedByNow).toBe(4);
      expect(p.onTrack).toBe(false);
      expect(vietnamMonth(vn('2024-12-31 23:00')).end.toISOString()).toBe(vn('2025-01-01 00:00').toISOString());
    });

    it('expects of a plan started mid-month only the share of the target since it started', () => {
      const now = vn('2024-06-16 12:00');
      expect(monthProgress([], 8, now, vn('2024-06-16 08:00'))).toMatchObject({ expectedByNow: 0, onTrack: true });
      expect(monthProgress([], 8, now, vn('2024-06-01 00:00')).expectedByNow).toBe(4);
      expect(monthProgress([], 8, now, vn('2024-05-01 00:00')).expectedByNow).toBe(4);
    });

    it('backs off exponentially with a cap and honours retry-after', () => {
      const policy = { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 600_000 };
      expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(a, policy))).toEqual([60_000, 120_000, 240_000, 480_000, 600_000]);
      expect(retryDelayMs(1, policy, 300_000)).toBe(300_000);
    });
  });
}
