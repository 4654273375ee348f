/** The rules the commune profile meets (content/commune.json, the admin's profile form). */
import { z } from 'zod';
import { parseOfficeHours } from '../conversation/office-hours.js';
import { httpUrl, optionalText, requiredText } from '../tabular/fields.js';

export const communeProfileSchema = z.object({
  name: requiredText(200),
  address: requiredText(500),
  workingHours: requiredText(500),
  officeHours: optionalText(200)
    .refine((v) => v === null || parseOfficeHours(v).ok, { error: (issue) => (parseOfficeHours(String(issue.input)) as { error?: string }).error ?? 'giờ làm việc không đọc được' })
    .default(null),
  website: httpUrl.nullable().default(null),
  portalUrl: httpUrl.nullable().default(null),
  email: z
    .string({ error: 'phải là địa chỉ thư điện tử hoặc để trống' })
    .refine((v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), { error: (issue) => `«${String(issue.input)}» không phải địa chỉ thư điện tử` })
    .nullable()
    .default(null),
  note: optionalText(4000).default(null),
});

/** Vietnamese names of the profile's properties, for messages. */
export const communeProfileLabels: Record<keyof z.infer<typeof communeProfileSchema>, string> = {
  name: 'Tên',
  address: 'Địa chỉ',
  workingHours: 'Giờ làm việc',
  officeHours: 'Giờ mở cửa (dạng T2-T6 07:30-11:30 13:30-17:00)',
  website: 'Trang thông tin điện tử',
  portalUrl: 'Cổng dịch vụ công',
  email: 'Thư điện tử',
  note: 'Ghi chú',
};
