/**
 * A commune's local changes to its province's shared procedures (ProcedureOverride rows): where to submit, hours,
 * fees set by HĐND tỉnh, the online link, who it is for, extra aliases and situations, "we do not offer it". The
 * shared row is never changed here, so the other communes on the catalog keep the province's values. Takes a
 * commune-scoped client: the override belongs to that client's commune.
 */
import type { Db } from '../../db/client.js';
import { communeIdOf } from '../../db/tenant.js';
import type { ProcedureOverrideInput } from '../procedures/effective.js';
import { listProcedureOverrides } from '../procedures/catalog.repo.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';

/** What may be set; `undefined` leaves a field as it is, `null` or '' clears it (back to the catalog's value). */
export interface OverrideChange {
  submitAt?: string | null;
  processingTime?: string | null;
  fees?: string | null;
  onlineUrl?: string | null;
  audience?: string | null;
  extraAliases?: string[] | null;
  extraSituations?: string[] | null;
  inactive?: boolean;
}

const maxText = 2_000;

function text(value: string | null | undefined, label: string): string | null | undefined {
  if (value === undefined) return undefined;
  const v = (value ?? '').normalize('NFC').trim();
  if (v.length > maxText) throw new StaffError(`${label} dài quá ${maxText} ký tự.`);
  return v === '' ? null : v;
}

function list(value: string[] | null | undefined): string[] | null | undefined {
  if (value === undefined) return undefined;
  const out = [...new Set((value ?? []).map((s) => s.normalize('NFC').trim()).filter((s) => s !== ''))];
  if (out.some((s) => s.length > 200)) throw new StaffError('Mỗi cách gọi hoặc tình huống dài tối đa 200 ký tự.');
  return out.length === 0 ? null : out;
}

/** Sets (merges) the commune's override of one procedure of its catalog; returns the override as now stored. */
export async function setProcedureOverride(db: Db, code: string, change: OverrideChange, who: string): Promise<ProcedureOverrideInput> {
  const communeId = communeIdOf(db);
  const procedure = await db.procedure.findFirst({ where: { code: code.trim() }, select: { id: true, code: true } });
  if (!procedure) throw new StaffError(`Không có thủ tục mã “${code}” trong danh mục của xã.`);
  if (change.onlineUrl && !/^https?:\/\/\S+$/i.test(change.onlineUrl.trim())) throw new StaffError('Đường dẫn dịch vụ công phải bắt đầu bằng http:// hoặc https://.');
  const data = {
    submitAt: text(change.submitAt, 'Nơi nộp'),
    processingTime: text(change.processingTime, 'Thời hạn giải quyết'),
    fees: text(change.fees, 'Phí, lệ phí'),
    onlineUrl: text(change.onlineUrl, 'Đường dẫn'),
    audience: text(change.audience, 'Đối tượng'),
    extraAliases: list(change.extraAliases),
    extraSituations: list(change.extraSituations),
    inactive: change.inactive,
  };
  const defined = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as Record<string, unknown>;
  // Json columns take Prisma's JsonNull-free form: a cleared list is stored as an empty array.
  for (const k of ['extraAliases', 'extraSituations']) if (k in defined && defined[k] === null) defined[k] = [];
  await db.$transaction(async (tx) => {
    await tx.procedureOverride.upsert({
      where: { communeId_procedureId: { communeId, procedureId: procedure.id } },
      create: { communeId, procedureId: procedure.id, ...defined },
      update: defined,
    });
    await recordAudit(tx, { who, action: 'procedure.override', entity: 'procedure', entityId: procedure.code, detail: { changed: Object.keys(defined) } });
  });
  return (await listProcedureOverrides(db)).find((o) => o.code === procedure.code)!;
}

/** Removes the commune's override of a procedure: it answers with the catalog's values again. */
export async function clearProcedureOverride(db: Db, code: string, who: string): Promise<boolean> {
  const procedure = await db.procedure.findFirst({ where: { code: code.trim() }, select: { id: true, code: true } });
  if (!procedure) throw new StaffError(`Không có thủ tục mã “${code}” trong danh mục của xã.`);
  return db.$transaction(async (tx) => {
    const r = await tx.procedureOverride.deleteMany({ where: { procedureId: procedure.id } });
    if (r.count > 0) await recordAudit(tx, { who, action: 'procedure.override.clear', entity: 'procedure', entityId: procedure.code, detail: {} });
    return r.count > 0;
  });
}
