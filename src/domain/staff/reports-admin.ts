/**
 * The periodic report as staff use it in the admin: suggested periods, and hand-recorded outreach with the audit
 * trail. Tallies and exports are the reports module's.
 */
import type { Db } from '../../db/client.js';
import { validateManualEntry, type ManualEntryInput, type StoredManualEntry } from '../reports/manual.js';
import { deleteManualEntry, insertManualEntry } from '../reports/manual.repo.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';

const ROMAN = ['I', 'II', 'III', 'IV'];

/** Periods staff usually report on, around `now` (Vietnam time): this and last quarter, half-year, year, month. */
export function suggestedPeriods(now: Date): { key: string; label: string }[] {
  const local = new Date(now.getTime() + 7 * 3_600_000);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  const q = Math.ceil(m / 3);
  const lastQ = q === 1 ? { y: y - 1, q: 4 } : { y, q: q - 1 };
  const h = m <= 6 ? 1 : 2;
  return [
    { key: `${y}-${String(m).padStart(2, '0')}`, label: `Tháng ${m}/${y}` },
    { key: `${y}-Q${q}`, label: `Quý ${ROMAN[q - 1]}/${y}` },
    { key: `${lastQ.y}-Q${lastQ.q}`, label: `Quý ${ROMAN[lastQ.q - 1]}/${lastQ.y}` },
    { key: `${y}-H${h}`, label: `6 tháng ${h === 1 ? 'đầu' : 'cuối'} năm ${y}` },
    { key: `${y}-9M`, label: `9 tháng năm ${y}` },
    { key: `${y}`, label: `Năm ${y}` },
  ];
}

export async function addManualEntry(db: Db, input: ManualEntryInput, who: string): Promise<StoredManualEntry> {
  const entry = validateManualEntry(input);
  return db.$transaction(async (tx) => {
    const stored = await insertManualEntry(tx, entry);
    await recordAudit(tx, { who, action: 'report.manual_add', entity: 'manual_outreach', entityId: stored.id, detail: { date: entry.date, channel: entry.channel, count: entry.count } });
    return stored;
  });
}

export async function removeManualEntry(db: Db, id: number, who: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const removed = await deleteManualEntry(tx, id);
    if (!removed) throw new StaffError('Mục ghi nhận này không còn (có thể đã được xoá).');
    await recordAudit(tx, { who, action: 'report.manual_delete', entity: 'manual_outreach', entityId: id, detail: { date: removed.date, channel: removed.channel, count: removed.count } });
  });
}
