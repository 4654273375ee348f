/** The hotline directory (đường dây nóng) as staff edit it. */
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { isPhoneNumber } from '../hotlines/hotline.schema.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';
import { communeIdOf } from '../../db/tenant.js';

export interface HotlineRow {
  id: number;
  key: string;
  name: string;
  number: string;
  purpose: string;
  hours: string | null;
  isExample: boolean;
  sortOrder: number;
}

export function listHotlines(db: Db): Promise<HotlineRow[]> {
  return db.hotline.findMany({ orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }] });
}

const text = (label: string, max: number) =>
  z.string().transform((v) => v.normalize('NFC').trim()).pipe(z.string().min(1, `Vui lòng nhập ${label}.`).max(max, `${label} dài quá ${max} ký tự.`));

const hotlineInput = z.object({
  name: text('tên đơn vị', 200),
  number: z
    .string()
    .transform((v) => v.trim())
    .pipe(z.string().refine(isPhoneNumber, 'Số điện thoại chỉ gồm chữ số, khoảng trắng, dấu chấm, ngoặc, từ 3 đến 15 chữ số (ví dụ 0203 3825 111).')),
  purpose: text('nội dung tiếp nhận', 500),
  hours: z.string().transform((v) => v.normalize('NFC').trim() || null),
  isExample: z.boolean(),
  sortOrder: z.coerce.number().int('Thứ tự phải là số nguyên.').min(0).max(9999),
});
export type HotlineInput = z.input<typeof hotlineInput>;

function parse(input: HotlineInput) {
  const r = hotlineInput.safeParse(input);
  if (!r.success) {
    // Each message also goes beside its field, so the form can re-render with the values kept.
    const fields: Record<string, string> = {};
    for (const i of r.error.issues) {
      const name = String(i.path[0] ?? '');
      if (name) fields[name] = fields[name] ? `${fields[name]} ${i.message}` : i.message;
    }
    throw new StaffError(r.error.issues.map((i) => i.message).join(' '), fields);
  }
  return r.data;
}

function keyFor(name: string): string {
  const base = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `${base || 'duong-day'}-${Date.now().toString(36)}`;
}

export async function saveHotline(db: Db, id: number | null, input: HotlineInput, who: string): Promise<number> {
  const data = parse(input);
  return db.$transaction(async (tx) => {
    if (id === null) {
      const row = await tx.hotline.create({ data: { ...data, communeId: communeIdOf(tx), key: keyFor(data.name) } });
      await recordAudit(tx, { who, action: 'hotline.create', entity: 'hotline', entityId: row.id, detail: data });
      return row.id;
    }
    const before = await tx.hotline.findUnique({ where: { id } });
    if (!before) throw new StaffError('Không tìm thấy số đường dây nóng này.');
    await tx.hotline.update({ where: { id }, data });
    await recordAudit(tx, { who, action: 'hotline.update', entity: 'hotline', entityId: id, detail: { before: { name: before.name, number: before.number }, after: data } });
    return id;
  });
}

export async function deleteHotline(db: Db, id: number, who: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.hotline.findUnique({ where: { id } });
    if (!before) throw new StaffError('Không tìm thấy số đường dây nóng này.');
    await tx.hotline.delete({ where: { id } });
    await recordAudit(tx, { who, action: 'hotline.delete', entity: 'hotline', entityId: id, detail: { name: before.name, number: before.number } });
  });
}
