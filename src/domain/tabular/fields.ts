/** zod building blocks with the Vietnamese messages staff read when an imported value is wrong. */
import { z } from 'zod';

/** Required non-empty text of at most `max` characters. */
export function requiredText(max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'không được để trống' : 'phải là chữ') })
    .min(1, 'không được để trống')
    .max(max, `dài quá ${max} ký tự`);
}

/** Text or null (an empty cell). */
export function optionalText(max: number) {
  return z
    .string({ error: 'phải là chữ hoặc để trống' })
    .max(max, `dài quá ${max} ký tự`)
    .nullable();
}

/** A list of non-empty texts. */
export function textList(maxItem: number) {
  return z.array(z.string({ error: 'mỗi mục phải là chữ' }).min(1, 'có mục rỗng').max(maxItem, `có mục dài quá ${maxItem} ký tự`), {
    error: 'phải là danh sách (mỗi mục một dòng, hoặc ngăn cách bằng dấu ;)',
  });
}

export const yesNo = z.boolean({ error: 'phải là «Có» hoặc «Không»' });

/** The one rule for links staff enter, in the admin form and in an imported file: http(s), a host, no spaces. */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/]+\S*$/.test(value);
}

export const httpUrl = z
  .string({ error: 'phải là đường dẫn hoặc để trống' })
  .max(2000, 'dài quá 2000 ký tự')
  .refine((v) => isHttpUrl(v), { error: (issue) => `«${String(issue.input)}» không phải đường dẫn bắt đầu bằng http:// hoặc https://` });
