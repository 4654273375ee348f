import { describe, expect, it } from 'vitest';
import { activityBuckets, coverBuckets, localDayOf, nextDay, parsePeriod, PeriodError, periodContains, periodPhrase } from '../../src/domain/reports/period.js';

describe('parsePeriod', () => {
  it.each([
    ['2024', 'năm 2024', '2024-01-01', '2024-12-31'],
    ['2024-H1', '6 tháng đầu năm 2024', '2024-01-01', '2024-06-30'],
    ['2024-h2', '6 tháng cuối năm 2024', '2024-07-01', '2024-12-31'],
    ['2024-Q1', 'Quý I năm 2024', '2024-01-01', '2024-03-31'],
    ['2024-Q2', 'Quý II năm 2024', '2024-04-01', '2024-06-30'],
    ['2024-Q3', 'Quý III năm 2024', '2024-07-01', '2024-09-30'],
    ['2024-Q4', 'Quý IV năm 2024', '2024-10-01', '2024-12-31'],
    ['2024-9M', '9 tháng năm 2024', '2024-01-01', '2024-09-30'],
    ['2024-05', 'tháng 5 năm 2024', '2024-05-01', '2024-05-31'],
    ['2024-02', 'tháng 2 năm 2024', '2024-02-01', '2024-02-29'],
    ['2023-02', 'tháng 2 năm 2023', '2023-02-01', '2023-02-28'],
    [' 2024-01-15..2024-03-31 ', 'từ 15/01/2024 đến 31/03/2024', '2024-01-15', '2024-03-31'],
    ['2024-03-05..2024-03-05', 'từ 05/03/2024 đến 05/03/2024', '2024-03-05', '2024-03-05'],
  ])('%s is %s (%s…%s)', (input, label, firstDay, lastDay) => {
    const p = parsePeriod(input);
    expect(p.label).toBe(label);
    expect(p.firstDay).toBe(firstDay);
    expect(p.lastDay).toBe(lastDay);
    expect(p.label).toBe(p.label.normalize('NFC'));
  });

  it('starts and ends at Vietnam midnight whatever the server time zone', () => {
    const h1 = parsePeriod('2024-H1');
    expect(h1.start.toISOString()).toBe('2023-12-31T17:00:00.000Z');
    expect(h1.end.toISOString()).toBe('2024-06-30T17:00:00.000Z');
    const lastMinuteOfJune = new Date('2024-06-30T16:59:59.999Z');
    const firstOfJuly = new Date('2024-06-30T17:00:00.000Z');
    expect(periodContains(h1, lastMinuteOfJune)).toBe(true);
    expect(periodContains(h1, firstOfJuly)).toBe(false);
    expect(periodContains(parsePeriod('2024-H2'), firstOfJuly)).toBe(true);
    expect(localDayOf(lastMinuteOfJune)).toBe('2024-06-30');
    expect(localDayOf(firstOfJuly)).toBe('2024-07-01');
    const range = parsePeriod('2024-01-15..2024-03-31');
    expect(range.end.toISOString()).toBe('2024-03-31T17:00:00.000Z');
  });

  it('gives the canonical key and the opening words of a report sentence', () => {
    expect(parsePeriod('2024-q3').key).toBe('2024-Q3');
    expect(periodPhrase(parsePeriod('2024-H1'))).toBe('Trong 6 tháng đầu năm 2024');
    expect(periodPhrase(parsePeriod('2024-01-15..2024-03-31'))).toBe('Từ ngày 15/01/2024 đến ngày 31/03/2024');
  });

  it.each(['', '24', '2024-H3', '2024-Q5', '2024-Q0', '2024-13', '2024-00', '2024-8M', '1999', '2024-02-30..2024-03-01', '2024-03-31..2024-01-15', 'năm ngoái', '2024-1-5..2024-2-1'])(
    'rejects %j with a Vietnamese message naming the accepted forms',
    (input) => {
      expect(() => parsePeriod(input)).toThrow(PeriodError);
      try {
        parsePeriod(input);
      } catch (e) {
        expect((e as Error).message).toContain('Kỳ báo cáo');
        expect((e as Error).message).toContain('2024-H1');
      }
    },
  );

  it('names the impossible day', () => {
    expect(() => parsePeriod('2023-02-29..2023-03-01')).toThrow(/không có ngày 29\/02\/2023/);
  });
});

describe('coverBuckets', () => {
  it.each([
    ['2024', ['2024']],
    ['2024-H1', ['2024-Q1', '2024-Q2']],
    ['2024-9M', ['2024-Q1', '2024-Q2', '2024-Q3']],
    ['2024-Q4', ['2024-Q4']],
    ['2024-05', ['2024-05']],
    ['2024-01-30..2024-03-02', ['2024-01-30', '2024-01-31', '2024-02', '2024-03-01', '2024-03-02']],
    ['2023-12-31..2025-01-01', ['2023-12-31', '2024', '2025-01-01']],
    ['2024-02-01..2024-06-30', ['2024-02', '2024-03', '2024-Q2']],
  ])('%s is covered by %j', (input, buckets) => {
    const p = parsePeriod(input);
    expect(coverBuckets(p.firstDay, p.lastDay)).toEqual(buckets);
  });

  it('covers every day of a period exactly once', () => {
    const p = parsePeriod('2023-11-17..2025-02-03');
    const days = new Set<string>();
    for (let d = p.firstDay; d <= p.lastDay; d = nextDay(d)) days.add(d);
    const covered: string[] = [];
    for (let d = '2023-01-01'; d <= '2025-12-31'; d = nextDay(d)) {
      const hits = activityBuckets(d).filter((b) => coverBuckets(p.firstDay, p.lastDay).includes(b));
      expect(hits.length, d).toBe(days.has(d) ? 1 : 0);
      if (hits.length) covered.push(d);
    }
    expect(covered).toHaveLength(days.size);
  });
});
