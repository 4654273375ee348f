/** The rules every hotline row meets and the column layout of hotline files. */
import { z } from 'zod';
import type { ColumnSpec } from '../tabular/columns.js';
import { optionalText, requiredText, yesNo } from '../tabular/fields.js';
import type { Hotline } from '../procedures/procedure.js';

export const hotlineKeyPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Digits with the separators people write (0200.000.101, (0225) 3820 888, +84 …); 3 to 15 digits (111 … mobile). */
export function isPhoneNumber(text: string): boolean {
  const digits = text.replace(/\D/g, '').length;
  return /^\+?[0-9(][0-9 .()-]*$/.test(text) && digits >= 3 && digits <= 15;
}

/** One hotline row as imported; undefined = column absent from the file = keep the stored value. */
export const hotlineRowSchema = z.object({
  key: z
    .string({ error: (issue) => (issue.input === undefined ? 'không được để trống' : 'phải là chữ') })
    .min(1, 'không được để trống')
    .max(60, 'dài quá 60 ký tự')
    .refine((v) => hotlineKeyPattern.test(v), {
      error: (issue) => `mã «${String(issue.input)}» chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ mot-cua`,
    }),
  name: requiredText(200),
  number: requiredText(40).refine(isPhoneNumber, {
    error: (issue) => `«${String(issue.input)}» không phải số điện thoại (chỉ gồm chữ số, dấu chấm, khoảng trắng, ngoặc; từ 3 đến 15 chữ số)`,
  }),
  purpose: requiredText(1000),
  hours: optionalText(300).optional(),
  isExample: yesNo.optional(),
  sortOrder: z
    .number({ error: 'phải là số nguyên, ví dụ 10' })
    .int('phải là số nguyên, ví dụ 10')
    .min(0, 'không được âm')
    .max(1_000_000, 'quá lớn')
    .optional(),
});

export type HotlineRow = z.infer<typeof hotlineRowSchema>;

/** A complete hotline (content/hotlines.json): every property present. */
export const hotlineSchema = hotlineRowSchema.required();

export const hotlineColumns: readonly ColumnSpec<keyof Hotline>[] = [
  { key: 'key', label: 'Mã', headers: ['Khóa', 'Mã số', 'Mã đơn vị'], kind: 'text', required: true, width: 20 },
  { key: 'name', label: 'Tên', headers: ['Tên đơn vị', 'Đơn vị', 'Tên đường dây'], kind: 'text', required: true, width: 40 },
  { key: 'number', label: 'Số điện thoại', headers: ['Số', 'Điện thoại', 'SĐT', 'Số máy'], kind: 'text', required: true, width: 16 },
  { key: 'purpose', label: 'Nội dung tiếp nhận', headers: ['Dùng khi', 'Nội dung', 'Mục đích', 'Tiếp nhận'], kind: 'text', required: true, width: 50 },
  { key: 'hours', label: 'Giờ tiếp nhận', headers: ['Giờ làm việc', 'Thời gian'], kind: 'optionalText', width: 30 },
  { key: 'isExample', label: 'Số minh họa', headers: ['Minh họa', 'Ví dụ', 'Số ví dụ'], kind: 'boolean', width: 12 },
  { key: 'sortOrder', label: 'Thứ tự', headers: ['Thứ tự hiển thị', 'STT hiển thị'], kind: 'integer', width: 10 },
];
