/** Procedure rows in the database: the catalog's only Prisma queries. */
import type { Db, DbTx } from '../../db/client.js';
import type { Procedure } from './procedure.js';
import type { ProcedureRow } from './procedure.schema.js';
import type { ProcedureOverrideInput } from './effective.js';
import { catalogIdOf } from '../../db/tenant.js';

/** Interactive transactions get room for a few thousand rows on a slow disk (Prisma's default is 5 s). */
export const bulkTransactionOptions = { maxWait: 10_000, timeout: 120_000 } as const;

type ProcedureRecord = Awaited<ReturnType<Db['procedure']['findFirstOrThrow']>>;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function toProcedure(r: ProcedureRecord): Procedure {
  return {
    code: r.code,
    name: r.name,
    field: r.field,
    documents: stringList(r.documents),
    processingTime: r.processingTime,
    fees: r.fees,
    submitAt: r.submitAt,
    onlineUrl: r.onlineUrl,
    onlineLevel: r.onlineLevel,
    legalBasis: stringList(r.legalBasis),
    aliases: stringList(r.aliases),
    situations: stringList(r.situations),
    audience: r.audience,
    source: r.source,
    active: r.active,
  };
}

/** Procedures citizens can be told about, by code. */
export async function listActiveProcedures(db: DbTx): Promise<Procedure[]> {
  return (await db.procedure.findMany({ where: { active: true }, orderBy: { code: 'asc' } })).map(toProcedure);
}

/** Every procedure, active or not, in file order for exports. */
export async function listAllProcedures(db: DbTx): Promise<Procedure[]> {
  return (await db.procedure.findMany({ orderBy: { id: 'asc' } })).map(toProcedure);
}

export async function countProcedures(db: DbTx): Promise<number> {
  return db.procedure.count();
}

export async function getProcedureByCode(db: DbTx, code: string): Promise<Procedure | null> {
  const r = await db.procedure.findUnique({ where: { catalogId_code: { catalogId: catalogIdOf(db), code } } });
  return r ? toProcedure(r) : null;
}

/** Which of these codes already exist. */
export async function existingProcedureCodes(db: DbTx, codes: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  // Chunked: PostgreSQL and SQLite both cap the number of bound parameters in one query.
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await db.procedure.findMany({ where: { code: { in: codes.slice(i, i + 500) } }, select: { code: true } });
    for (const r of rows) found.add(r.code);
  }
  return found;
}

/** Only the properties a row gives (undefined = column absent from the file = keep the stored value). */
function definedChanges(row: ProcedureRow) {
  const { code: _code, ...rest } = row;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}

/**
 * Creates or updates rows inside the caller's transaction. A new procedure gets the defaults for absent columns
 * (no link, no aliases or situations, active); an existing one keeps them.
 */
export async function upsertProceduresIn(tx: DbTx, rows: readonly ProcedureRow[]): Promise<{ created: number; updated: number }> {
  const existing = await existingProcedureCodes(
    tx,
    rows.map((r) => r.code),
  );
  const catalogId = catalogIdOf(tx);
  let updated = 0;
  const fresh: ProcedureRow[] = [];
  for (const row of rows) {
    if (existing.has(row.code)) {
      await tx.procedure.update({ where: { catalogId_code: { catalogId, code: row.code } }, data: definedChanges(row) });
      updated++;
    } else fresh.push(row);
  }
  // One statement per 500 new rows: the initial seed and large first imports are one round trip, not hundreds.
  for (let i = 0; i < fresh.length; i += 500) {
    await tx.procedure.createMany({
      data: fresh.slice(i, i + 500).map((row) => ({
        catalogId,
        code: row.code,
        name: row.name,
        field: row.field,
        documents: row.documents,
        processingTime: row.processingTime,
        fees: row.fees,
        submitAt: row.submitAt,
        onlineUrl: row.onlineUrl ?? null,
        onlineLevel: row.onlineLevel ?? null,
        legalBasis: row.legalBasis ?? [],
        aliases: row.aliases ?? [],
        situations: row.situations ?? [],
        audience: row.audience ?? null,
        source: row.source ?? null,
        active: row.active ?? true,
      })),
    });
  }
  const created = fresh.length;
  return { created, updated };
}

/** Creates or updates many procedures in ONE transaction: all are written or none. */
export async function upsertProcedures(db: Db, rows: readonly ProcedureRow[]): Promise<{ created: number; updated: number }> {
  return db.$transaction((tx) => upsertProceduresIn(tx, rows), bulkTransactionOptions);
}

/** Changes some properties of one procedure (aliases included); null when the code does not exist. */
export async function updateProcedure(
  db: DbTx,
  code: string,
  changes: Partial<Omit<Procedure, 'code'>>,
): Promise<Procedure | null> {
  const data = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const result = await db.procedure.updateMany({ where: { code }, data });
  if (result.count === 0) return null;
  return getProcedureByCode(db, code);
}

/** Takes a procedure out of (or back into) what citizens are told; false when the code does not exist. */
export async function setProcedureActive(db: DbTx, code: string, active: boolean): Promise<boolean> {
  return (await db.procedure.updateMany({ where: { code }, data: { active } })).count > 0;
}

/**
 * What identifies the current contents of the client's catalog: row count and latest change. Communes sharing a
 * catalog compare it to reuse the index another commune already built (see SharedCatalogs).
 */
export async function catalogFingerprint(db: DbTx): Promise<string> {
  const r = await db.procedure.aggregate({ _count: { _all: true }, _max: { updatedAt: true, id: true } });
  return `${r._count._all}:${r._max.id ?? 0}:${r._max.updatedAt?.getTime() ?? 0}`;
}

/** The client's commune's overrides of its catalog's procedures (see procedures/effective.ts). */
export async function listProcedureOverrides(db: DbTx): Promise<ProcedureOverrideInput[]> {
  const rows = await db.procedureOverride.findMany({ include: { procedure: { select: { code: true } } }, orderBy: { id: 'asc' } });
  return rows.map((r) => ({
    code: r.procedure.code,
    submitAt: r.submitAt,
    processingTime: r.processingTime,
    fees: r.fees,
    onlineUrl: r.onlineUrl,
    audience: r.audience,
    extraAliases: stringList(r.extraAliases),
    extraSituations: stringList(r.extraSituations),
    inactive: r.inactive,
  }));
}
