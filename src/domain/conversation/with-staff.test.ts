import { describe, expect, it } from 'vitest';
import { nextOpening, officeSchedule, openingText, openPeriod, parseOfficeHours } from './office-hours.js';
import { isClosing, waitingReply } from './with-staff.js';

const profile = {
  name: 'UBND xã Minh Tiến',
  address: 'Trung tâm Phục vụ hành chính công xã',
  workingHours: 'Thứ Hai – Thứ Sáu và sáng Thứ Bảy',
  officeHours: 'T2-T6 07:30-11:30 13:30-17:00; T7 07:30-11:30',
  website: null,
  portalUrl: null,
  email: null,
  note: null,
};
/** A local (UTC+7) time as a UTC Date. */
const vn = (iso: string) => new Date(Date.parse(`${iso}:00+07:00`));

describe('office hours', () => {
  it('parses the short form and names what to fix', () => {
    expect(parseOfficeHours('T2-T6 07:30-11:30 13:30-17:00').ok).toBe(true);
    expect(parseOfficeHours('T2,T4 8h00-11h00; CN 08:00-10:00').ok).toBe(true);
    expect(parseOfficeHours('Thứ hai 7:30-11:30')).toEqual({ ok: false, error: '«Thứ»: ngày phải là T2…T7 hoặc CN, ví dụ T2-T6.' });
    expect(parseOfficeHours('T2-T6 11:30-07:30')).toEqual({ ok: false, error: '«11:30-07:30»: giờ phải có dạng 07:30-11:30.' });
    expect(parseOfficeHours('T2-T6')).toEqual({ ok: false, error: '«T2-T6»: thiếu giờ, ví dụ 07:30-11:30.' });
  });

  it('knows open, lunch, evening, weekend and the next opening in Viet Nam time', () => {
    const s = officeSchedule(profile.officeHours);
    expect(openPeriod(s, vn('2026-12-02T09:00'))?.closesAt).toEqual(vn('2026-12-02T11:30'));
    expect(openPeriod(s, vn('2026-12-02T12:00'))).toBeNull();
    expect(nextOpening(s, vn('2026-12-02T12:00'))).toEqual(vn('2026-12-02T13:30'));
    expect(openingText(vn('2026-12-02T13:30'), vn('2026-12-02T12:00'))).toBe('13 giờ 30 chiều nay');
    expect(nextOpening(s, vn('2026-12-04T18:00'))).toEqual(vn('2026-12-05T07:30'));
    expect(openingText(vn('2026-12-05T07:30'), vn('2026-12-04T18:00'))).toBe('7 giờ 30 sáng mai (Thứ Bảy, 05/12)');
    // Saturday afternoon: closed until Monday.
    expect(nextOpening(s, vn('2026-12-05T14:00'))).toEqual(vn('2026-12-07T07:30'));
    // No officeHours, or an unreadable one: Monday to Friday.
    expect(nextOpening(officeSchedule(null), vn('2026-12-04T18:00'))).toEqual(vn('2026-12-07T07:30'));
    expect(nextOpening(officeSchedule('bất kỳ'), vn('2026-12-04T18:00'))).toEqual(vn('2026-12-07T07:30'));
  });

  it('tells the citizen the truth about when an answer can come', () => {
    const open = waitingReply(profile, vn('2026-12-02T15:00'));
    expect(open.kind === 'text' && open.text).toContain('đang trong giờ làm việc (đến 17 giờ)');
    const closed = waitingReply(profile, vn('2026-12-05T20:00'));
    expect(closed.kind === 'text' && closed.text).toContain('Hiện đã ngoài giờ làm việc. Giờ làm việc: Thứ Hai – Thứ Sáu và sáng Thứ Bảy. Cán bộ sẽ trả lời bạn tại đây từ 7 giờ 30 sáng Thứ Hai, 07/12.');
    expect(closed.kind === 'text' && closed.text.normalize('NFC')).toBe(closed.kind === 'text' && closed.text);
  });
});

describe('closings', () => {
  it('recognises thanks and goodbyes, not questions that start with thanks', () => {
    for (const t of ['cảm ơn', 'Cám ơn chị ạ', 'em cảm ơn anh đã hỗ trợ ạ', 'ok cảm ơn nhé', 'vâng ạ', 'Tạm biệt!', 'thanks', 'cảm ơn cán bộ nhiều ạ', 'cam on ban nhieu']) {
      expect(isClosing(t), t).toBe(true);
    }
    for (const t of ['cảm ơn, nhưng làm khai sinh cần gì', 'khai sinh', 'ok vậy lệ phí bao nhiêu', '', 'chào bạn']) {
      expect(isClosing(t), t).toBe(false);
    }
  });
});
