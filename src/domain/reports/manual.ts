/**
 * Outreach published outside the service (tin bài read on the loudspeaker radio, posted by hand on the website,
 * banners, meetings): what staff may enter, checked before it is stored.
 */
import { dayKey } from './period.js';

export const MANUAL_CHANNELS = ['radio', 'website', 'banner', 'meeting', 'other'] as const;
export type ManualChannel = (typeof MANUAL_CHANNELS)[number];

/** Vietnamese names of the hand-recorded channels, as in commune reports. */
export const MANUAL_CHANNEL_LABELS: Record<ManualChannel, string> = {
  radio: 'Đài truyền thanh',
  website: 'Trang thông tin điện tử',
  banner: 'Pano/áp phích',
  meeting: 'Hội nghị/họp dân',
  other: 'Hình thức khác',
};

export interface ManualEntryInput {
  date: string;
  channel: string;
  count: number | string;
  topic?: string | null;
  note?: string | null;
  createdBy: string;
}

export interface ManualEntry {
  date: string;
  channel: ManualChannel;
  count: number;
  topic: string | null;
  note: string | null;
  createdBy: string;
}

export interface StoredManualEntry extends ManualEntry {
  id: number;
  createdAt: Date;
}

/** Bad input for a hand-recorded entry; the message tells staff, in Vietnamese, what to fix. */
export class ManualEntryError extends Error {
  constructor(
    message: string,
    /** The form field to fix (the report page puts the message beside it). */
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'ManualEntryError';
  }
}

const MAX_COUNT = 100_000;

function text(value: string | null | undefined, max: number, what: string, field: string): string | null {
  const v = (value ?? '').normalize('NFC').trim();
  if (v === '') return null;
  if (v.length > max) throw new ManualEntryError(`${what} dài quá ${max} ký tự.`, field);
  return v;
}

/**
 * Checks and normalizes an entry (NFC text, whole positive count, real date, known channel).
 * @throws ManualEntryError naming the field to fix.
 */
export function validateManualEntry(input: ManualEntryInput): ManualEntry {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.date.trim());
  const date = m ? dayKey(Number(m[1]), Number(m[2]), Number(m[3])) : '';
  const real = m && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date && Number(m[1]) >= 2000 && Number(m[1]) <= 2100;
  if (!real) throw new ManualEntryError(`Ngày "${input.date}" không hợp lệ: nhập theo dạng YYYY-MM-DD, ví dụ 2024-03-05.`, 'date');
  const channel = input.channel.trim().toLowerCase();
  if (!(MANUAL_CHANNELS as readonly string[]).includes(channel)) {
    const list = MANUAL_CHANNELS.map((c) => `${c} (${MANUAL_CHANNEL_LABELS[c]})`).join(', ');
    throw new ManualEntryError(`Kênh "${input.channel}" không hợp lệ: chọn một trong ${list}.`, 'channel');
  }
  const count = typeof input.count === 'number' ? input.count : /^\s*\d+\s*$/.test(input.count) ? Number(input.count) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new ManualEntryError(`Số lượng "${input.count}" không hợp lệ: nhập số nguyên từ 1 đến ${MAX_COUNT}.`, 'count');
  }
  const createdBy = text(input.createdBy, 100, 'Tên người nhập', 'createdBy');
  if (!createdBy) throw new ManualEntryError('Thiếu tên người nhập.');
  return {
    date,
    channel: channel as ManualChannel,
    count,
    topic: text(input.topic, 200, 'Chủ đề', 'topic'),
    note: text(input.note, 1000, 'Ghi chú', 'note'),
    createdBy,
  };
}
