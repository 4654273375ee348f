/**
 * Reads what the engine knows from the database: the active catalog, the hotline directory and the commune profile.
 */
import type { DbTx } from '../../db/client.js';
import type { CommuneProfile, Hotline, Procedure } from '../procedures/procedure.js';
import { ProcedureIndex } from '../procedures/search.js';
import type { Language } from '../text/language.js';
import type { Knowledge } from './engine.js';

function textList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Active procedures in code order. */
export async function loadProcedures(db: DbTx): Promise<Procedure[]> {
  const rows = await db.procedure.findMany({ where: { active: true }, orderBy: { id: 'asc' } });
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    field: r.field,
    documents: textList(r.documents),
    processingTime: r.processingTime,
    fees: r.fees,
    submitAt: r.submitAt,
    onlineUrl: r.onlineUrl,
    onlineLevel: r.onlineLevel,
    legalBasis: textList(r.legalBasis),
    aliases: textList(r.aliases),
    source: r.source,
    active: r.active,
  }));
}

export async function loadHotlines(db: DbTx): Promise<Hotline[]> {
  const rows = await db.hotline.findMany({ orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }] });
  return rows.map((r) => ({ key: r.key, name: r.name, number: r.number, purpose: r.purpose, hours: r.hours, isExample: r.isExample, sortOrder: r.sortOrder }));
}

export async function loadProfile(db: DbTx): Promise<CommuneProfile | null> {
  const r = await db.communeProfile.findUnique({ where: { id: 1 } });
  return r ? { name: r.name, address: r.address, workingHours: r.workingHours, website: r.website, portalUrl: r.portalUrl, email: r.email, note: r.note } : null;
}

/** Loads everything the engine needs and builds the search index. */
export async function loadKnowledge(db: DbTx, language: Language): Promise<Knowledge> {
  const [procedures, hotlines, profile] = await Promise.all([loadProcedures(db), loadHotlines(db), loadProfile(db)]);
  return { index: ProcedureIndex.build(procedures, language), procedures, hotlines, profile };
}
