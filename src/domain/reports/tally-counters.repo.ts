/**
 * Keeps the daily roll-ups in step with the ledger. The ledger calls these INSIDE the transaction that changes what
 * counts, so a roll-up never disagrees with the rows: a rolled-back write rolls its count back too, and a
 * re-delivered webhook (unique violation) aborts before anything is counted.
 *
 * Writes are single `INSERT … ON CONFLICT` statements (SQLite and PostgreSQL alike): two transactions counting the
 * same cell never raise a unique violation that would abort the ledger write.
 */
import { join, sqltag } from '@prisma/client/runtime/client';
import type { DbTx } from '../../db/client.js';
import { activityBuckets, localDayOf } from './period.js';
import { failedKeys, inboundKeys, isCitizenMessage, outcomeKeys, sentKeys, type FailedRow, type InboundRow, type OutcomeRow, type SentRow, type TallyKey } from './metrics.js';
import { communeIdOf } from '../../db/tenant.js';

async function add(tx: DbTx, key: TallyKey, delta: number): Promise<void> {
  await tx.$executeRaw`INSERT INTO "DailyTally" ("communeId", "day", "metric", "channel", "key", "count")
    VALUES (${communeIdOf(tx)}, ${key.day}, ${key.metric}, ${key.channel}, ${key.key}, ${delta})
    ON CONFLICT ("communeId", "day", "metric", "channel", "key") DO UPDATE SET "count" = "DailyTally"."count" + excluded."count"`;
}

/** Call when an outbound row becomes `sent` (and only then: once per row). */
export async function countSent(tx: DbTx, row: SentRow): Promise<void> {
  for (const key of sentKeys(row)) await add(tx, key, 1);
}

/**
 * Roll-up changes of a batch of ledger writes (the inbox's and dispatcher's group commits), added up in memory so
 * each roll-up cell is written once per batch with its total. Flush inside the batch's transaction.
 */
export class TallyBatch {
  private readonly cells = new Map<string, { key: TallyKey; delta: number }>();
  private readonly activity = new Map<string, { bucket: string; citizenRef: string; channel: string }>();

  private bump(keys: TallyKey[], delta: number): void {
    for (const key of keys) {
      const id = `${key.day}\u0000${key.metric}\u0000${key.channel}\u0000${key.key}`;
      const cell = this.cells.get(id);
      if (cell) cell.delta += delta;
      else this.cells.set(id, { key, delta });
    }
  }

  sent(row: SentRow): this {
    this.bump(sentKeys(row), 1);
    return this;
  }

  inbound(row: InboundRow): this {
    this.bump(inboundKeys(row), 1);
    if (!isCitizenMessage(row.kind)) return this;
    for (const bucket of activityBuckets(localDayOf(row.receivedAt))) {
      this.activity.set(`${bucket}\u0000${row.citizenRef}\u0000${row.channel}`, { bucket, citizenRef: row.citizenRef, channel: row.channel });
    }
    return this;
  }

  outcome(row: OutcomeRow, previous?: OutcomeRow | null): this {
    if (previous) this.bump(outcomeKeys(previous), -1);
    this.bump(outcomeKeys(row), 1);
    return this;
  }

  /** Writes the batch in one multi-row statement per table (cells and activity are already unique per batch). */
  async flush(tx: DbTx): Promise<void> {
    const communeId = communeIdOf(tx);
    const cells = [...this.cells.values()].filter((c) => c.delta !== 0);
    for (let i = 0; i < cells.length; i += 500) {
      const rows = cells.slice(i, i + 500).map(({ key, delta }) => sqltag`(${communeId}, ${key.day}, ${key.metric}, ${key.channel}, ${key.key}, ${delta})`);
      await tx.$executeRaw`INSERT INTO "DailyTally" ("communeId", "day", "metric", "channel", "key", "count") VALUES ${join(rows, ', ')}
        ON CONFLICT ("communeId", "day", "metric", "channel", "key") DO UPDATE SET "count" = "DailyTally"."count" + excluded."count"`;
    }
    const activity = [...this.activity.values()];
    for (let i = 0; i < activity.length; i += 500) {
      const rows = activity.slice(i, i + 500).map((a) => sqltag`(${communeId}, ${a.bucket}, ${a.citizenRef}, ${a.channel})`);
      await tx.$executeRaw`INSERT INTO "CitizenActivity" ("communeId", "bucket", "citizenRef", "channel") VALUES ${join(rows, ', ')} ON CONFLICT DO NOTHING`;
    }
    this.cells.clear();
    this.activity.clear();
  }
}

/** Like countSent for a batch: identical roll-up cells are added once with their total. */
export async function countSentMany(tx: DbTx, rows: readonly SentRow[]): Promise<void> {
  const batch = new TallyBatch();
  for (const row of rows) batch.sent(row);
  await batch.flush(tx);
}

/** Call when an outbound row becomes `failed` for good. Failed sends are reported apart, never as sent. */
export async function countFailed(tx: DbTx, row: FailedRow): Promise<void> {
  for (const key of failedKeys(row)) await add(tx, key, 1);
}

/** Call if a failed row is ever put back to pending (a staff "send again"): it no longer counts as failed. */
export async function uncountFailed(tx: DbTx, row: FailedRow): Promise<void> {
  for (const key of failedKeys(row)) await add(tx, key, -1);
}

/** Call right after an inbound row is created (in the transaction that creates it). */
export async function countInbound(tx: DbTx, row: InboundRow): Promise<void> {
  for (const key of inboundKeys(row)) await add(tx, key, 1);
  if (!isCitizenMessage(row.kind)) return;
  for (const bucket of activityBuckets(localDayOf(row.receivedAt))) {
    await tx.$executeRaw`INSERT INTO "CitizenActivity" ("communeId", "bucket", "citizenRef", "channel")
      VALUES (${communeIdOf(tx)}, ${bucket}, ${row.citizenRef}, ${row.channel}) ON CONFLICT DO NOTHING`;
  }
}

/**
 * Call when an inbound row gets its outcome. Pass what the row held before (`previous`) when it may already have had
 * one (re-processing after a crash): the old outcome, procedure and field are taken back so nothing counts twice.
 */
export async function countOutcome(tx: DbTx, row: OutcomeRow, previous?: OutcomeRow | null): Promise<void> {
  if (previous) for (const key of outcomeKeys(previous)) await add(tx, key, -1);
  for (const key of outcomeKeys(row)) await add(tx, key, 1);
}
