import { describe, expect, it } from 'vitest';
import { summaryParagraphs } from '../../src/domain/reports/export/summary.js';
import { parsePeriod } from '../../src/domain/reports/period.js';
import { authorityName, shapeTallies } from '../../src/domain/reports/tallies.js';

const empty = { rollups: [], citizens: [], manual: [], procedureNames: new Map<string, string>(), communeName: null };

describe('report summary in words', () => {
  it('says plainly when nothing happened in the period', () => {
    const t = shapeTallies(parsePeriod('2024-Q3'), empty);
    expect(summaryParagraphs(t)).toEqual([
      'Trong Quý III năm 2024, UBND xã chưa ghi nhận tin, bài tuyên truyền cải cách hành chính nào.',
      'Hệ thống hỗ trợ trả lời tự động chưa tiếp nhận tin nhắn nào của người dân trong kỳ.',
    ]);
  });

  it('writes one outlet without "trong đó", several with it, and counts hand-recorded items apart', () => {
    const one = shapeTallies(parsePeriod('2022'), {
      ...empty,
      communeName: 'Tân Phú',
      rollups: [{ metric: 'post_sent', channel: 'webchat', key: 'CCHC', count: 26 }],
    });
    expect(summaryParagraphs(one)[0]).toBe('Trong năm 2022, UBND xã Tân Phú đã đăng tải, phát 26 tin, bài tuyên truyền về cải cách hành chính trên Trang thông tin điện tử.');
    const two = shapeTallies(parsePeriod('2022'), {
      ...empty,
      communeName: 'Tân Phú',
      rollups: [{ metric: 'post_sent', channel: 'webchat', key: 'CCHC', count: 26 }],
      manual: [{ channel: 'radio', topic: null, count: 58 }],
    });
    expect(summaryParagraphs(two)[0]).toBe(
      'Trong năm 2022, UBND xã Tân Phú đã đăng tải, phát 84 tin, bài tuyên truyền về cải cách hành chính (26 tin, bài do hệ thống đăng tự động, 58 tin, bài ghi nhận thủ công), trong đó: 26 tin, bài trên Trang thông tin điện tử và 58 tin, bài trên Đài truyền thanh.',
    );
  });

  it.each([
    [null, 'UBND xã'],
    ['', 'UBND xã'],
    ['Tân Phú', 'UBND xã Tân Phú'],
    ['Xã Tân Phú', 'UBND xã Tân Phú'],
    ['Phường Hoà Bình', 'UBND phường Hoà Bình'],
    ['Thị trấn Đông Anh', 'UBND thị trấn Đông Anh'],
    ['UBND xã Tân Phú', 'UBND xã Tân Phú'],
  ])('names the authority from the profile name %j as %j', (name, expected) => {
    expect(authorityName(name)).toBe(expected);
  });
});
