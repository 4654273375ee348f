/**
 * Plain SQL for the message path (webhook → store → engine → ledger → Send API), beside Prisma.
 *
 * Why: under the shared harness's load, Prisma's client runtime, its better-sqlite3 adapter (which prepares every
 * statement anew) and the garbage they leave were about 60 % of the service's CPU per answer, for statements that
 * SQLite itself runs in a few microseconds. The path's statements go through a {@link SqlRunner} instead:
 * - on a client made by `createDb`, the direct runner: the SQLite connection Prisma's adapter opened, with prepared
 *   statements cached, under the same lock as Prisma's queries (so neither runs inside the other's transaction);
 *   on PostgreSQL the same `pg` pool Prisma uses, with named (server-side prepared) statements;
 * - on anything else (an interactive Prisma transaction, a client made elsewhere), a runner over Prisma's raw
 *   queries, so a repository function written once works inside a caller's `$transaction` too.
 *
 * SQL is written once for both databases: `?` placeholders (numbered for PostgreSQL), double-quoted identifiers,
 * and `IN (?*)` for a list bound as ONE parameter (SQLite: `json_each`, PostgreSQL: `= ANY`), so a statement's text
 * does not change with the list's length and stays prepared. `~"column"` (or `~alias."column"`) marks a condition SQLite must not use an
 * index for (it becomes `+"column"`; plain on PostgreSQL): beside `"id" IN (?*)`, SQLite's planner otherwise scans
 * the whole `status` index (every pending row) instead of looking the few ids up, which cost 85 µs per claim
 * instead of 11 µs on a table of 3,400 rows. Values are stored as Prisma stores them (DateTime as
 * ISO text with `+00:00` on SQLite and UTC `timestamp(3)` on PostgreSQL, booleans as 0/1 on SQLite, Json as text),
 * so Prisma reads these rows back unchanged. Readers use {@link asDate}, {@link asJson} and {@link asNumber}, which
 * accept what either database and either runner returns.
 */
import type { Db, DbTx } from './client.js';
import { tenantOf } from './tenant.js';

export type SqlValue = string | number | boolean | Date | null;
/** A scalar, or a list for an `IN (?*)` placeholder. */
export type SqlParam = SqlValue | readonly (string | number)[];
export type Row = Record<string, unknown>;

export interface SqlRunner {
  readonly provider: 'sqlite' | 'postgresql';
  /** The commune of the scoped client this runner came from (see tenant.ts): raw SQL binds it itself. */
  readonly communeId?: number;
  /** Rows of a SELECT or of a statement with RETURNING. */
  all<T = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /**
   * `head VALUES (…), (…) tail` for many rows (`head` names the table and columns; `tail` may hold ON CONFLICT and
   * RETURNING). One cached statement per row on direct SQLite (cheaper than parsing a long one), one multi-row
   * statement elsewhere (one round trip). Returns the RETURNING rows, in row order.
   */
  insert<T = Row>(head: string, rows: readonly (readonly SqlValue[])[], tail?: string): Promise<T[]>;
  /** Sets `column` to a value per id in `table` (identifiers are code constants). Returns the rows changed. */
  setById(table: string, column: string, values: readonly { id: number; value: SqlValue }[]): Promise<number>;
}

export interface SqlDatabase extends SqlRunner {
  /** Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

const identifier = /^[A-Za-z_]\w*$/;
function checkIdentifiers(...names: string[]): void {
  for (const n of names) if (!identifier.test(n)) throw new Error(`bad identifier ${n}`);
}

/** Date (or ISO text) → what the column holds. */
const sqliteDate = (d: Date) => d.toISOString().replace('Z', '+00:00');
const pgDate = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');

/** A DateTime column's value as a Date (SQLite: ISO text; PostgreSQL direct: parsed as UTC; Prisma: a Date). */
export function asDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  return new Date(String(v));
}

export function asDateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : asDate(v);
}

/** A Json column's value (SQLite: text; PostgreSQL: parsed jsonb). */
export function asJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

export function asNumber(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

// ---------------------------------------------------------------------------------------------------------------
// Direct SQLite: the adapter's own better-sqlite3 connection.

/** What the SQLite adapter wrapper shares with the direct runner: the connection and the lock around it. */
export interface SqliteGate {
  /** Set when Prisma's adapter connects (better-sqlite3 `Database`). */
  client: SqliteClientLike | null;
  acquire(): Promise<() => void>;
  /** The lock at once when it is free, else null. */
  tryAcquire(): (() => void) | null;
}

/** The part of better-sqlite3's Database and Statement used here. */
export interface SqliteClientLike {
  prepare(sql: string): SqliteStatementLike;
}
interface SqliteStatementLike {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}

const listMarker = /IN \(\?\*\)/g;

/** `~"column"` or `~alias."column"`. */
const noIndexMarker = /~((?:\w+\.)?")/g;

function sqliteText(sql: string): string {
  return sql.replace(listMarker, 'IN (SELECT value FROM json_each(?))').replace(noIndexMarker, '+$1');
}

function sqliteValue(p: SqlParam): unknown {
  if (p instanceof Date) return sqliteDate(p);
  if (typeof p === 'boolean') return p ? 1 : 0;
  if (Array.isArray(p)) return JSON.stringify(p);
  return p;
}

class SqliteStatements {
  private readonly cache = new Map<string, SqliteStatementLike>();
  constructor(private readonly client: SqliteClientLike) {}

  get(sql: string): SqliteStatementLike {
    let st = this.cache.get(sql);
    if (!st) {
      st = this.client.prepare(sqliteText(sql));
      // Statement texts are code constants, so the cache stays small; the bound guards against a caller that
      // builds texts from data.
      if (this.cache.size >= 500) this.cache.clear();
      this.cache.set(sql, st);
    }
    return st;
  }
}

/** Runs statements on the connection; the caller holds the gate. */
class SqliteRunner implements SqlRunner {
  readonly provider = 'sqlite' as const;
  constructor(private readonly statements: SqliteStatements) {}

  allSync<T>(sql: string, params: readonly SqlParam[] = []): T[] {
    return this.statements.get(sql).all(...params.map(sqliteValue)) as T[];
  }

  runSync(sql: string, params: readonly SqlParam[] = []): number {
    const st = this.statements.get(sql);
    if (st.reader) return st.all(...params.map(sqliteValue)).length;
    return st.run(...params.map(sqliteValue)).changes;
  }

  async all<T = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.allSync<T>(sql, params);
  }

  async run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.runSync(sql, params);
  }

  async insert<T = Row>(head: string, rows: readonly (readonly SqlValue[])[], tail = ''): Promise<T[]> {
    return this.insertSync<T>(head, rows, tail);
  }

  async setById(table: string, column: string, values: readonly { id: number; value: SqlValue }[]): Promise<number> {
    return this.setByIdSync(table, column, values);
  }

  insertSync<T = Row>(head: string, rows: readonly (readonly SqlValue[])[], tail = ''): T[] {
    if (rows.length === 0) return [];
    const sql = `${head} VALUES (${rows[0]!.map(() => '?').join(', ')}) ${tail}`;
    const st = this.statements.get(sql);
    const out: T[] = [];
    for (const row of rows) {
      const values = row.map(sqliteValue);
      if (st.reader) out.push(...(st.all(...values) as T[]));
      else st.run(...values);
    }
    return out;
  }

  setByIdSync(table: string, column: string, values: readonly { id: number; value: SqlValue }[]): number {
    checkIdentifiers(table, column);
    let changed = 0;
    for (const v of values) changed += this.runSync(`UPDATE "${table}" SET "${column}" = ? WHERE "id" = ?`, [v.value, v.id]);
    return changed;
  }
}

/** The direct runner of a SQLite client (see {@link SqliteGate}). */
export function directSqlite(gate: SqliteGate, connect: () => Promise<void>): SqlDatabase {
  let runner: SqliteRunner | null = null;
  let client: SqliteClientLike | null = null;
  const current = (): SqliteRunner | null => {
    if (!gate.client) return null;
    if (gate.client !== client) {
      client = gate.client;
      runner = new SqliteRunner(new SqliteStatements(client));
    }
    return runner;
  };
  const ready = async (): Promise<SqliteRunner> => {
    if (!gate.client) await connect();
    const r = current();
    if (!r) throw new Error('the SQLite connection is not open');
    return r;
  };
  /** A statement outside any transaction: at once when the lock is free (SQLite answers synchronously), else queued. */
  const single = async <T>(fn: (r: SqliteRunner) => T): Promise<T> => {
    const r = current();
    const release = r ? gate.tryAcquire() : null;
    if (r && release) {
      try {
        return fn(r);
      } finally {
        release();
      }
    }
    const waited = await ready();
    const later = await gate.acquire();
    try {
      return fn(waited);
    } finally {
      later();
    }
  };
  return {
    provider: 'sqlite',
    all: <T>(sql: string, params?: readonly SqlParam[]) => single((r) => r.allSync<T>(sql, params)),
    run: (sql, params) => single((r) => r.runSync(sql, params)),
    insert: <T>(head: string, rows: readonly (readonly SqlValue[])[], tail?: string) => single((r) => r.insertSync<T>(head, rows, tail)),
    setById: (table, column, values) => single((r) => r.setByIdSync(table, column, values)),
    async transaction(fn) {
      const r = await ready();
      const release = gate.tryAcquire() ?? (await gate.acquire());
      try {
        r.runSync('BEGIN');
        try {
          const result = await fn(r);
          r.runSync('COMMIT');
          return result;
        } catch (e) {
          try {
            r.runSync('ROLLBACK');
          } catch {
            /* the failure already ended the transaction */
          }
          throw e;
        }
      } finally {
        release();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Direct PostgreSQL: the pool Prisma's adapter uses.

/** The part of a `pg` Pool and PoolClient used here. */
export interface PgQueryable {
  query(config: { text: string; values?: unknown[]; name?: string; types?: unknown }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}
export interface PgPoolLike extends PgQueryable {
  connect(): Promise<PgQueryable & { release(err?: Error | boolean): void }>;
}
export interface PgTypesLike {
  getTypeParser(oid: number, format?: string): unknown;
}

const pgTexts = new Map<string, { text: string; name: string }>();

/** `?` → `$n`, `IN (?*)` → `= ANY($n)`; a stable name so each connection prepares a statement once. */
function pgStatement(sql: string): { text: string; name: string } {
  let s = pgTexts.get(sql);
  if (!s) {
    let n = 0;
    const text = sql.replace(listMarker, '= ANY(?)').replace(noIndexMarker, '$1').replace(/\?/g, () => `$${++n}`);
    s = { text, name: `cchc_${pgTexts.size.toString(36)}` };
    if (pgTexts.size < 2000) pgTexts.set(sql, s);
    else s = { text, name: '' };
  }
  return s;
}

function pgValue(p: SqlParam): unknown {
  if (p instanceof Date) return pgDate(p);
  return p;
}

/** `timestamp` (OID 1114) as UTC text → Date; everything else as pg parses it. */
function pgTypes(base: PgTypesLike): PgTypesLike {
  return {
    getTypeParser(oid: number, format?: string) {
      if (oid === 1114) return (v: string) => new Date(`${v.replace(' ', 'T')}Z`);
      return base.getTypeParser(oid, format);
    },
  };
}

class PgRunner implements SqlRunner {
  readonly provider = 'postgresql' as const;
  constructor(
    private readonly q: PgQueryable,
    private readonly types: PgTypesLike,
  ) {}

  async all<T = Row>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    const { text, name } = pgStatement(sql);
    const r = await this.q.query({ text, values: params.map(pgValue), ...(name ? { name } : {}), types: this.types });
    return r.rows as T[];
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    const { text, name } = pgStatement(sql);
    const r = await this.q.query({ text, values: params.map(pgValue), ...(name ? { name } : {}), types: this.types });
    return r.rowCount ?? 0;
  }

  async insert<T = Row>(head: string, rows: readonly (readonly SqlValue[])[], tail = ''): Promise<T[]> {
    if (rows.length === 0) return [];
    let n = 0;
    const values = rows.map((row) => `(${row.map(() => `$${++n}`).join(', ')})`).join(', ');
    // Multi-row texts vary with the row count: unnamed (parsed each time), not prepared.
    const r = await this.q.query({ text: `${head} VALUES ${values} ${tail}`, values: rows.flat().map(pgValue), types: this.types });
    return r.rows as T[];
  }

  async setById(table: string, column: string, values: readonly { id: number; value: SqlValue }[]): Promise<number> {
    if (values.length === 0) return 0;
    checkIdentifiers(table, column);
    if (values.length === 1) return this.run(`UPDATE "${table}" SET "${column}" = ? WHERE "id" = ?`, [values[0]!.value, values[0]!.id]);
    let n = 0;
    const cases = values.map(() => `WHEN $${++n} THEN $${++n}`).join(' ');
    const ids = values.map(() => `$${++n}`).join(', ');
    const r = await this.q.query({
      // The ELSE branch gives PostgreSQL the column's type for the untyped THEN parameters.
      text: `UPDATE "${table}" SET "${column}" = CASE "id" ${cases} ELSE "${column}" END WHERE "id" IN (${ids})`,
      values: [...values.flatMap((v) => [v.id, pgValue(v.value)]), ...values.map((v) => v.id)],
      types: this.types,
    });
    return r.rowCount ?? 0;
  }
}

export function directPg(pool: PgPoolLike, baseTypes: PgTypesLike): SqlDatabase {
  const types = pgTypes(baseTypes);
  const runner = new PgRunner(pool, types);
  return {
    provider: 'postgresql',
    all: (sql, params) => runner.all(sql, params),
    run: (sql, params) => runner.run(sql, params),
    insert: (head, rows, tail) => runner.insert(head, rows, tail),
    setById: (table, column, values) => runner.setById(table, column, values),
    async transaction(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query({ text: 'BEGIN' });
        try {
          const result = await fn(new PgRunner(client, types));
          await client.query({ text: 'COMMIT' });
          return result;
        } catch (e) {
          await client.query({ text: 'ROLLBACK' }).catch(() => (broken = true));
          throw e;
        }
      } finally {
        client.release(broken);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Over Prisma's raw queries: for interactive transactions and clients not made by createDb.

type RawCapable = Pick<DbTx, '$queryRawUnsafe' | '$executeRawUnsafe'>;

class PrismaRunner implements SqlRunner {
  readonly communeId?: number;
  constructor(
    private readonly q: RawCapable,
    readonly provider: 'sqlite' | 'postgresql',
  ) {
    const communeId = tenantOf(q as DbTx)?.communeId;
    if (communeId !== undefined) this.communeId = communeId;
  }

  private text(sql: string): string {
    return this.provider === 'sqlite' ? sqliteText(sql) : pgStatement(sql).text;
  }

  private values(params: readonly SqlParam[]): unknown[] {
    return params.map((p) => (Array.isArray(p) ? (this.provider === 'sqlite' ? JSON.stringify(p) : p) : p));
  }

  async all<T = Row>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.q.$queryRawUnsafe<T[]>(this.text(sql), ...this.values(params));
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    return this.q.$executeRawUnsafe(this.text(sql), ...this.values(params));
  }

  async insert<T = Row>(head: string, rows: readonly (readonly SqlValue[])[], tail = ''): Promise<T[]> {
    if (rows.length === 0) return [];
    let n = 0;
    const mark = () => (this.provider === 'sqlite' ? '?' : `$${++n}`);
    const values = rows.map((row) => `(${row.map(mark).join(', ')})`).join(', ');
    const sql = `${head} VALUES ${values} ${tail}`;
    const flat = rows.flat();
    if (/\bRETURNING\b/i.test(tail)) return this.q.$queryRawUnsafe<T[]>(sql, ...flat);
    await this.q.$executeRawUnsafe(sql, ...flat);
    return [];
  }

  async setById(table: string, column: string, values: readonly { id: number; value: SqlValue }[]): Promise<number> {
    if (values.length === 0) return 0;
    checkIdentifiers(table, column);
    let n = 0;
    const mark = () => (this.provider === 'sqlite' ? '?' : `$${++n}`);
    const cases = values.map(() => `WHEN ${mark()} THEN ${mark()}`).join(' ');
    const ids = values.map(mark).join(', ');
    return this.q.$executeRawUnsafe(
      `UPDATE "${table}" SET "${column}" = CASE "id" ${cases} ELSE "${column}" END WHERE "id" IN (${ids})`,
      ...values.flatMap((v) => [v.id, v.value]),
      ...values.map((v) => v.id),
    );
  }
}

const direct = new WeakMap<object, SqlDatabase>();
const providers = new WeakMap<object, 'sqlite' | 'postgresql'>();

/** Called by createDb: `db`'s statements may take the direct runner. */
export function registerSql(db: Db, sql: SqlDatabase): void {
  direct.set(db, sql);
  providers.set(db, sql.provider);
}

function scopedRunner<T extends SqlRunner>(runner: T, communeId: number): T {
  const scoped = Object.create(runner) as T;
  Object.defineProperty(scoped, 'communeId', { value: communeId, enumerable: true });
  return scoped;
}

function scopedDatabase(d: SqlDatabase, communeId: number): SqlDatabase {
  const scoped = scopedRunner(d, communeId);
  scoped.transaction = (fn) => d.transaction((tx) => fn(scopedRunner(tx, communeId)));
  return scoped;
}

/**
 * Marks a client derived from `base` (a commune-scoped client, see tenant.ts) as using `base`'s database through the
 * direct runner, with its commune.
 */
export function shareSql(derived: object, base: object, communeId?: number): void {
  const d = direct.get(base);
  if (d) direct.set(derived, communeId === undefined ? d : scopedDatabase(d, communeId));
  const p = providers.get(base);
  if (p) providers.set(derived, p);
}

/** The commune a runner's statements are for; throws for an unscoped one (its raw SQL would touch every commune). */
export function communeOf(q: SqlRunner): number {
  if (q.communeId === undefined) throw new Error('this query needs a commune-scoped database client (scopeToCommune)');
  return q.communeId;
}

function providerOfClient(db: object): 'sqlite' | 'postgresql' {
  const known = providers.get(db);
  if (known) return known;
  const name = (db as { _engineConfig?: { activeProvider?: string } })._engineConfig?.activeProvider ?? (db as { _activeProvider?: string })._activeProvider;
  return name === 'postgresql' ? 'postgresql' : 'sqlite';
}

/**
 * The SQL database behind a client: the direct runner for a client made by createDb, else one over Prisma's raw
 * queries (with `$transaction` when it is a full client).
 */
export function sqlOf(db: Db): SqlDatabase {
  const d = direct.get(db);
  if (d) return d;
  const provider = providerOfClient(db);
  const runner = new PrismaRunner(db, provider);
  return {
    provider,
    ...(runner.communeId !== undefined ? { communeId: runner.communeId } : {}),
    all: (sql, params) => runner.all(sql, params),
    run: (sql, params) => runner.run(sql, params),
    insert: (head, rows, tail) => runner.insert(head, rows, tail),
    setById: (table, column, values) => runner.setById(table, column, values),
    transaction: (fn) => db.$transaction((tx) => fn(new PrismaRunner(tx, provider))),
  };
}

/** A runner inside a caller's interactive Prisma transaction (or on a client, outside any transaction). */
export function sqlIn(tx: DbTx): SqlRunner {
  const d = direct.get(tx);
  if (d) return d;
  return new PrismaRunner(tx, providerOfClient(tx));
}

/** What repository functions of the message path take: a client, a caller's Prisma transaction, or a runner. */
export type SqlTarget = DbTx | SqlRunner;

function isRunner(t: SqlTarget): t is SqlRunner {
  return typeof (t as Partial<SqlRunner>).setById === 'function' && typeof (t as Partial<SqlRunner>).insert === 'function';
}

/** The runner for a target: itself when it is one, else {@link sqlIn}. */
export function runnerOf(t: SqlTarget): SqlRunner {
  return isRunner(t) ? t : sqlIn(t);
}
