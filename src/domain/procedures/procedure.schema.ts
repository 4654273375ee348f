/**
 * The rules every procedure row meets, whether it comes from content/, a staff member's spreadsheet or the admin,
 * and the column layout shared by import and export.
 */
import { z } from 'zod';
import type { ColumnSpec } from '../tabular/columns.js';
import { httpUrl, optionalText, requiredText, textList, yesNo } from '../tabular/fields.js';
import { foldKey } from '../tabular/text.js';
import type { Procedure } from './procedure.js';

/** A national code (1.001193) or, for a procedure without one, the commune's own code (XA-001). */
export const procedureCodePattern = /^(\d\.\d{6}|XA-\d{3})$/;

export const onlineLevels = ['toàn trình', 'một phần'] as const;

/** "Toàn trình", "DVC trực tuyến một phần", "" and "không" are all understood. */
function normalizeOnlineLevel(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const key = foldKey(value);
  if (key === '' || key === 'khong') return null;
  if (key.includes('toantrinh')) return 'toàn trình';
  if (key.includes('motphan')) return 'một phần';
  return value;
}

const code = z
  .string({ error: (issue) => (issue.input === undefined ? 'không được để trống' : 'phải là chữ') })
  .min(1, 'không được để trống')
  .refine((v) => procedureCodePattern.test(v), {
    error: (issue) => `mã «${String(issue.input)}» không đúng dạng 1.001193 (mã quốc gia) hoặc XA-001 (mã riêng của xã khi chưa có mã quốc gia)`,
  });

const longText = 4000;

/**
 * One procedure row as imported. Properties of columns the file does not have are undefined: a new procedure gets
 * the default, an existing one keeps its value.
 */
export const procedureRowSchema = z.object({
  code,
  name: requiredText(500),
  field: requiredText(200),
  documents: textList(longText).min(1, 'cần ít nhất một giấy tờ'),
  processingTime: requiredText(longText),
  fees: requiredText(longText),
  submitAt: requiredText(longText),
  onlineUrl: httpUrl.nullable().optional(),
  onlineLevel: z
    .preprocess(normalizeOnlineLevel, z.enum(onlineLevels, { error: 'phải là «toàn trình», «một phần» hoặc để trống' }).nullable())
    .optional(),
  legalBasis: textList(1000).optional(),
  aliases: textList(200).optional(),
  situations: textList(500).optional(),
  audience: optionalText(1000).optional(),
  source: optionalText(longText).optional(),
  active: yesNo.optional(),
});

export type ProcedureRow = z.infer<typeof procedureRowSchema>;

/** A complete procedure (content/procedures.json, JSON export): every property present. */
export const procedureSchema = procedureRowSchema.required();

/** Column layout of procedure files; the Vietnamese labels are what staff see in their spreadsheet. */
export const procedureColumns: readonly ColumnSpec<keyof Procedure>[] = [
  {
    key: 'code',
    label: 'Mã thủ tục',
    headers: ['Mã', 'Mã TTHC', 'Mã số', 'Mã số TTHC', 'Mã thủ tục hành chính'],
    kind: 'text',
    required: true,
    width: 12,
    // Excel stores a code typed as 1.001190 as the number 1.00119: national codes always have six decimals.
    fromNumber: (text) => (/^\d\.\d{1,6}$/.test(text) ? Number(text).toFixed(6) : text),
  },
  { key: 'name', label: 'Tên thủ tục', headers: ['Tên', 'Tên TTHC', 'Tên thủ tục hành chính'], kind: 'text', required: true, width: 40 },
  { key: 'field', label: 'Lĩnh vực', kind: 'text', required: true, width: 20 },
  { key: 'documents', label: 'Thành phần hồ sơ', headers: ['Hồ sơ', 'Giấy tờ', 'Thành phần, số lượng hồ sơ'], kind: 'list', required: true, width: 60 },
  { key: 'processingTime', label: 'Thời hạn giải quyết', headers: ['Thời gian giải quyết', 'Thời hạn'], kind: 'text', required: true, width: 30 },
  { key: 'fees', label: 'Phí, lệ phí', headers: ['Lệ phí', 'Phí', 'Phí lệ phí'], kind: 'text', required: true, width: 30 },
  { key: 'submitAt', label: 'Nơi nộp', headers: ['Nơi nộp hồ sơ', 'Cách thức thực hiện', 'Nơi tiếp nhận'], kind: 'text', required: true, width: 40 },
  { key: 'onlineUrl', label: 'Đường dẫn DVC trực tuyến', headers: ['Đường dẫn', 'Link', 'URL', 'Link DVC', 'Đường dẫn dịch vụ công'], kind: 'optionalText', link: true, width: 30 },
  { key: 'onlineLevel', label: 'Mức độ', headers: ['Mức độ DVC', 'Mức độ dịch vụ công', 'Mức độ trực tuyến'], kind: 'optionalText', width: 12 },
  { key: 'legalBasis', label: 'Căn cứ pháp lý', headers: ['Cơ sở pháp lý', 'Căn cứ'], kind: 'list', width: 40 },
  { key: 'aliases', label: 'Từ khóa', headers: ['Tên gọi khác', 'Từ khoá'], kind: 'list', width: 30 },
  { key: 'situations', label: 'Tình huống', headers: ['Tình huống của người dân', 'Tình huống thường gặp', 'Người dân hay hỏi'], kind: 'list', width: 50 },
  { key: 'audience', label: 'Đối tượng thực hiện', headers: ['Đối tượng', 'Dành cho', 'Người thực hiện'], kind: 'optionalText', width: 30 },
  { key: 'source', label: 'Nguồn', kind: 'optionalText', width: 30 },
  { key: 'active', label: 'Đang áp dụng', headers: ['Áp dụng', 'Hiệu lực', 'Còn hiệu lực'], kind: 'boolean', width: 12 },
];

/** Changes staff make to one procedure (admin form): any subset of the properties except the code. */
export const procedureChangesSchema = procedureRowSchema.omit({ code: true }).partial();
