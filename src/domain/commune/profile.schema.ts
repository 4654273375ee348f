/** The rules the commune profile meets (content/commune.json, the admin's profile form). */
import { z } from 'zod';
import { httpUrl, optionalText, requiredText } from '../tabular/fields.js';

export const communeProfileSchema = z.object({
  name: requiredText(200),
  address: requiredText(500),
  workingHours: requiredText(500),
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
  website: 'Trang thông tin điện tử',
  portalUrl: 'Cổng dịch vụ công',
  email: 'Thư điện tử',
  note: 'Ghi chú',
};
