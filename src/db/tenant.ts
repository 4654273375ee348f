/**
 * One commune's view of the database: a Prisma client that adds `communeId` (and, for procedures, the commune's
 * `catalogId`) to every query of a commune-owned model, so a repository handed this client cannot read or write
 * another commune's rows even if it forgets to ask. Repositories keep taking a `Db`/`DbTx`; the composition root
 * decides which commune that client is for.
 *
 * Raw SQL is not rewritten: code that writes raw SQL reads the commune with {@link communeIdOf} and binds it.
 * Nested relation writes are not scoped either; none is used on commune-owned models (create children directly).
 */
import type { Db, DbTx } from './client.js';

/** The commune a scoped client works for. */
export interface Tenant {
  communeId: number;
  catalogId: number;
  slug: string;
}

/** Models whose rows belong to one commune through a `communeId` column. */
const communeOwned = new Set([
  'CommuneProfile',
  'ProcedureOverride',
  'ChannelAccount',
  'Hotline',
  'Conversation',
  'InboundMessage',
  'UnansweredQuestion',
  'OutboundMessage',
  'ChannelState',
  'ChannelToken',
  'Post',
  'ScheduledPost',
  'PostPlan',
  'DailyTally',
  'CitizenActivity',
  'ManualOutreach',
  'AuditLog',
  'StaffUser',
  'ConversationNote',
  'FeedbackItem',
  'FeedbackEvent',
  'FeedbackCounter',
  'SatisfactionRating',
  'CatalogChange',
  'RejectedEvent',
]);
/** Models whose rows belong to a catalog shared by communes. */
const catalogOwned = new Set(['Procedure']);

const whereOps = new Set([
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy',
  'update', 'updateMany', 'updateManyAndReturn', 'delete', 'deleteMany', 'upsert',
]);
const createOps = new Set(['create', 'upsert']);
const createManyOps = new Set(['createMany', 'createManyAndReturn']);

const tenants = new WeakMap<object, Tenant>();

type Args = Record<string, unknown>;

function scopeArgs(operation: string, args: Args | undefined, column: string, value: number, keepNullCommune = false): Args {
  const out: Args = { ...(args ?? {}) };
  if (whereOps.has(operation)) out.where = { ...((out.where as Args | undefined) ?? {}), [column]: value };
  if (createOps.has(operation)) {
    const key = operation === 'upsert' ? 'create' : 'data';
    const data = (out[key] as Args | undefined) ?? {};
    // The one exception: a staff user created with an explicit null commune is a province-level user.
    const provinceUser = keepNullCommune && data[column] === null;
    out[key] = provinceUser ? data : { ...data, [column]: value };
  }
  if (createManyOps.has(operation)) {
    const data = out.data as Args | Args[];
    out.data = Array.isArray(data) ? data.map((d) => ({ ...d, [column]: value })) : { ...data, [column]: value };
  }
  return out;
}

/** A client whose every commune-owned query is limited to `tenant`'s commune (and procedures to its catalog). */
export function scopeToCommune(db: Db, tenant: Tenant): Db {
  const scoped = db.$extends({
    client: { $tenant: () => tenant },
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          if (communeOwned.has(model)) return query(scopeArgs(operation, args as Args, 'communeId', tenant.communeId, model === 'StaffUser'));
          if (catalogOwned.has(model)) return query(scopeArgs(operation, args as Args, 'catalogId', tenant.catalogId));
          return query(args);
        },
      },
    },
  }) as unknown as Db;
  tenants.set(scoped, tenant);
  return scoped;
}

/** The tenant of a scoped client or of a transaction opened on one; undefined for the unscoped client. */
export function tenantOf(db: DbTx): Tenant | undefined {
  const own = tenants.get(db);
  if (own) return own;
  const read = (db as unknown as { $tenant?: () => Tenant }).$tenant;
  return typeof read === 'function' ? read() : undefined;
}

/**
 * The commune id for raw SQL on a scoped client. Throws on an unscoped client: a raw statement without a commune
 * would read or write every commune's rows.
 */
export function communeIdOf(db: DbTx): number {
  const tenant = tenantOf(db);
  if (!tenant) throw new Error('this query needs a commune-scoped database client (scopeToCommune)');
  return tenant.communeId;
}

/** The catalog id of a scoped client (see {@link communeIdOf}). */
export function catalogIdOf(db: DbTx): number {
  const tenant = tenantOf(db);
  if (!tenant) throw new Error('this query needs a commune-scoped database client (scopeToCommune)');
  return tenant.catalogId;
}
