/**
 * The procedure catalog as staff browse and edit it: search by code, name, field, alias or situation (accent-insensitive),
 * view, and edit with validation. Edits are audited with the fields that changed.
 */
import { trackCatalogChanges } from '../content/catalog-update-post.js';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { foldText } from '../text/normalize.js';
import { isHttpUrl } from '../tabular/fields.js';
import type { Procedure } from '../procedures/procedure.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';
import { tenantOf } from '../../db/tenant.js';
import { listProcedureOverrides } from '../procedures/catalog.repo.js';
import { effectiveProcedure } from '../procedures/effective.js';
import { setProcedureOverride } from './overrides.repo.js';

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

type Row = Awaited<ReturnType<Db['procedure']['findFirstOrThrow']>>;

function toProcedure(r: Row): Procedure & { id: number; updatedAt: Date } {
  return {
    id: r.id, code: r.code, name: r.name, field: r.field, documents: strings(r.documents), processingTime: r.processingTime,
    fees: r.fees, submitAt: r.submitAt, onlineUrl: r.onlineUrl, onlineLevel: r.onlineLevel, legalBasis: strings(r.legalBasis),
    aliases: strings(r.aliases), situations: strings(r.situations), audience: r.audience, source: r.source, active: r.active, updatedAt: r.updatedAt,
  };
}

export type ProcedureView = ReturnType<typeof toProcedure>;

export async function searchProcedures(db: Db, query: string, field?: string): Promise<ProcedureView[]> {
  const rows = await db.procedure.findMany({ where: field ? { field } : {}, orderBy: [{ field: 'asc' }, { name: 'asc' }] });
  const q = foldText(query);
  const all = rows.map(toProcedure);
  if (q === '') return all;
  const words = q.split(' ');
  return all.filter((p) => {
    const hay = foldText([p.code, p.name, p.field, ...p.aliases, ...p.situations].join(' ')) + ' ' + p.code;
    return words.every((w) => hay.includes(w));
  });
}

export async function procedureFields(db: Db): Promise<string[]> {
  const rows = await db.procedure.findMany({ distinct: ['field'], select: { field: true }, orderBy: { field: 'asc' } });
  return rows.map((r) => r.field);
}

export async function getProcedure(db: Db, code: string): Promise<ProcedureView | null> {
  const r = await db.procedure.findFirst({ where: { code } });
  return r ? toProcedure(r) : null;
}

/**
 * Whether the client's commune shares its procedure catalog with other communes (a province installation): then
 * its staff change their own commune's values only (overrides), never the shared rows.
 */
export async function catalogIsShared(db: Db): Promise<boolean> {
  const tenant = tenantOf(db);
  if (!tenant) return false;
  return (await db.commune.count({ where: { catalogId: tenant.catalogId } })) > 1;
}

/** The procedure as the client's commune answers it: the catalog's row under the commune's override. */
export async function getEffectiveProcedure(db: Db, code: string): Promise<(ProcedureView & { overridden: boolean }) | null> {
  const base = await getProcedure(db, code);
  if (!base) return null;
  const override = tenantOf(db) ? (await listProcedureOverrides(db)).find((o) => o.code === code) : undefined;
  if (!override) return { ...base, overridden: false };
  return { ...base, ...effectiveProcedure(base, override), active: base.active && !override.inactive, overridden: true };
}

/** Fields of the shared catalog that only the province changes. */
const provinceFields = ['name', 'field', 'documents', 'legalBasis', 'onlineLevel'] as const;
const provinceOnly = 'Trường này thuộc danh mục chung của tỉnh; xã chỉ đổi nơi nộp, thời hạn, phí, đường dẫn, đối tượng, thêm tên gọi, tình huống hoặc ngừng thực hiện.';

/**
 * A commune's edit of a procedure of a shared catalog, saved as its override: local values that differ from the
 * catalog's, added aliases and situations, and «not offered here». Changing a province field is refused.
 */
async function saveLocalEdit(db: Db, code: string, data: z.output<typeof editInput>, who: string): Promise<void> {
  const base = await getProcedure(db, code);
  if (!base) throw new StaffError(`Không có thủ tục mã “${code}”.`);
  const fields: Record<string, string> = {};
  for (const k of provinceFields) if (JSON.stringify(base[k]) !== JSON.stringify(data[k])) fields[k] = provinceOnly;
  const extra = (key: 'aliases' | 'situations') => {
    const known = new Set(base[key].map((x) => x.toLowerCase()));
    const given = new Set(data[key].map((x) => x.toLowerCase()));
    if (base[key].some((x) => !given.has(x.toLowerCase()))) fields[key] = 'Không xoá được tên gọi, tình huống của danh mục chung; chỉ thêm được của xã.';
    return data[key].filter((x) => !known.has(x.toLowerCase()));
  };
  const extraAliases = extra('aliases');
  const extraSituations = extra('situations');
  if (Object.keys(fields).length > 0) throw new StaffError(Object.values(fields)[0]!, fields);
  const local = (k: 'submitAt' | 'processingTime' | 'fees' | 'onlineUrl' | 'audience') => (data[k] !== base[k] ? data[k] : null);
  await setProcedureOverride(
    db,
    code,
    { submitAt: local('submitAt'), processingTime: local('processingTime'), fees: local('fees'), onlineUrl: local('onlineUrl'), audience: local('audience'), extraAliases, extraSituations, inactive: !data.active },
    who,
  );
}

const lines = z.string().transform((v) =>
  v
    .normalize('NFC')
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*[-•]\s*/, '').trim())
    .filter((l) => l !== ''),
);
const required = (label: string, max: number) =>
  z.string().transform((v) => v.normalize('NFC').trim()).pipe(z.string().min(1, `Vui lòng nhập ${label}.`).max(max, `${label} dài quá ${max} ký tự.`));
const optional = z.string().transform((v) => v.normalize('NFC').trim() || null);

const editInput = z.object({
  name: required('tên thủ tục', 500),
  field: required('lĩnh vực', 200),
  documents: lines.pipe(z.array(z.string()).min(1, 'Vui lòng nhập ít nhất một giấy tờ trong thành phần hồ sơ.')),
  processingTime: required('thời hạn giải quyết', 500),
  fees: required('phí, lệ phí (ghi “Không” nếu miễn phí)', 500),
  submitAt: required('nơi nộp hồ sơ', 500),
  onlineUrl: optional.pipe(
    z.string().max(2000, 'Địa chỉ dịch vụ công trực tuyến dài quá 2000 ký tự.').refine(isHttpUrl, 'Địa chỉ dịch vụ công trực tuyến phải bắt đầu bằng https:// (hoặc http://) và không có dấu cách.').nullable(),
  ),
  onlineLevel: z.enum(['', 'toàn trình', 'một phần'], 'Mức độ trực tuyến chỉ là “toàn trình”, “một phần” hoặc để trống.').transform((v) => v || null),
  legalBasis: lines,
  aliases: lines.pipe(z.array(z.string().max(200, 'Mỗi tên gọi khác tối đa 200 ký tự.'))),
  situations: lines.pipe(z.array(z.string().max(500, 'Mỗi tình huống tối đa 500 ký tự.'))),
  audience: optional.pipe(z.string().max(1000, 'Đối tượng thực hiện dài quá 1000 ký tự.').nullable()),
  active: z.boolean(),
});
export type ProcedureEdit = z.input<typeof editInput>;

/**
 * Saves staff edits to one procedure; throws StaffError naming each field to fix. On a catalog shared by several
 * communes, commune staff's edits become their commune's override (`asProvince`: the province's own edit of the row).
 */
export async function updateProcedure(db: Db, code: string, input: ProcedureEdit, who: string, options: { asProvince?: boolean } = {}): Promise<void> {
  const r = editInput.safeParse(input);
  if (!r.success) {
    const fields: Record<string, string> = {};
    for (const i of r.error.issues) {
      const name = String(i.path[0] ?? '');
      fields[name] = fields[name] ? `${fields[name]} ${i.message}` : i.message;
    }
    throw new StaffError(r.error.issues.map((i) => i.message).join(' '), fields);
  }
  const data = r.data;
  if (!options.asProvince && (await catalogIsShared(db))) return saveLocalEdit(db, code, data, who);
  // A change of an official field (or of «active») is drafted into the day's catalog-update post.
  await trackCatalogChanges(db, { source: 'edit', who }, () => db.$transaction(async (tx) => {
    const before = await tx.procedure.findFirst({ where: { code } });
    if (!before) throw new StaffError(`Không có thủ tục mã “${code}”.`);
    const old = toProcedure(before) as unknown as Record<string, unknown>;
    const changed = Object.keys(data).filter((k) => JSON.stringify(old[k]) !== JSON.stringify((data as Record<string, unknown>)[k]));
    await tx.procedure.update({ where: { id: before.id }, data });
    await recordAudit(tx, { who, action: 'procedure.update', entity: 'procedure', entityId: code, detail: { changed } });
  }));
}
