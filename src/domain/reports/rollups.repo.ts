/**
 * Reads the daily roll-ups for a period and rebuilds them from the ledger.
 */
import type { Db, DbTx } from '../../db/client.js';
import { Prisma } from '../../generated/sqlite/client.js';
import { communeIdOf } from '../../db/tenant.js';
import { citizenMessageKinds, METRIC } from './metrics.js';
import { coverBuckets, localMidnight, nextDay } from './period.js';

/** Only citizen messages count (see citizenMessageKinds): a web chat visit or a Get Started is none. */
const citizenKinds = Prisma.join([...citizenMessageKinds]);

/** One summed roll-up cell over a period. */
export interface RollupSum {
  metric: string;
  channel: string;
  key: string;
  count: number;
}

/** Distinct citizens over a period, per channel. */
export interface CitizenCount {
  channel: string;
  citizens: number;
}

/** Sums every roll-up cell of the local days firstDay…lastDay (inclusive). */
export async function loadRollups(db: DbTx, firstDay: string, lastDay: string): Promise<RollupSum[]> {
  const rows = await db.$queryRaw<{ metric: string; channel: string; key: string; n: bigint | number | string }[]>`
    SELECT "metric", "channel", "key", SUM("count") AS n FROM "DailyTally"
    WHERE "communeId" = ${communeIdOf(db)} AND "day" >= ${firstDay} AND "day" <= ${lastDay}
    GROUP BY "metric", "channel", "key"`;
  return rows.map((r) => ({ metric: r.metric, channel: r.channel, key: r.key, count: Number(r.n) })).filter((r) => r.count !== 0);
}

/**
 * Distinct citizens who wrote during firstDay…lastDay, per channel, from the fewest whole activity buckets that cover
 * the period. A citizen ref is keyed by channel and address (see ledger/citizen.ts), so refs of two channels never
 * coincide and the total is the sum of the channels.
 */
export async function loadDistinctCitizens(db: DbTx, firstDay: string, lastDay: string): Promise<CitizenCount[]> {
  const buckets = coverBuckets(firstDay, lastDay);
  const rows = await db.$queryRaw<{ channel: string; n: bigint | number }[]>`
    SELECT "channel", COUNT(DISTINCT "citizenRef") AS n FROM "CitizenActivity"
    WHERE "communeId" = ${communeIdOf(db)} AND "bucket" IN (${Prisma.join(buckets)})
    GROUP BY "channel"`;
  return rows.map((r) => ({ channel: r.channel, citizens: Number(r.n) }));
}

function providerOf(db: Db): 'sqlite' | 'postgresql' {
  return (db as unknown as { _activeProvider?: string })._activeProvider === 'postgresql' ? 'postgresql' : 'sqlite';
}

/** SQL giving the local (UTC+7) day "YYYY-MM-DD" of a UTC timestamp column. */
function localDaySql(provider: 'sqlite' | 'postgresql', column: string): Prisma.Sql {
  return provider === 'sqlite'
    ? Prisma.raw(`date("${column}", '+7 hours')`)
    : Prisma.raw(`to_char("${column}" + interval '7 hours', 'YYYY-MM-DD')`);
}

const EARLIEST_DAY = '1970-01-01';
const LATEST_DAY = '2999-12-31';

/**
 * Recomputes the roll-ups of the local days fromDay…toDay (default: all) from the ledger, in one transaction:
 * for a first deployment over an existing ledger, after a repair, or to build them after a bulk load.
 * Returns the number of roll-up rows written.
 */
export async function rebuildTallies(db: Db, fromDay: string = EARLIEST_DAY, toDay: string = LATEST_DAY): Promise<number> {
  const provider = providerOf(db);
  const communeId = communeIdOf(db);
  const start = localMidnight(fromDay);
  const end = localMidnight(nextDay(toDay));
  const day = (column: string) => localDaySql(provider, column);
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`DELETE FROM "DailyTally" WHERE "communeId" = ${communeId} AND "day" >= ${fromDay} AND "day" <= ${toDay}`;
      let written = 0;
      written += await tx.$executeRaw`INSERT INTO "DailyTally" ("communeId", "day", "metric", "channel", "key", "count")
        SELECT CAST(${communeId} AS INTEGER), ${day('sentAt')}, CASE "kind" WHEN 'post' THEN ${METRIC.postSent} WHEN 'reply' THEN ${METRIC.replySent} ELSE ${METRIC.staffSent} END,
          "channel", CASE WHEN "kind" = 'post' THEN COALESCE("topic", '') ELSE '' END, COUNT(*)
        FROM "OutboundMessage"
        WHERE "communeId" = ${communeId} AND "status" = 'sent' AND "kind" IN ('post', 'reply', 'staff') AND "sentAt" >= ${start} AND "sentAt" < ${end}
        GROUP BY 1, 2, 3, 4, 5`;
      written += await tx.$executeRaw`INSERT INTO "DailyTally" ("communeId", "day", "metric", "channel", "key", "count")
        SELECT CAST(${communeId} AS INTEGER), ${day('createdAt')}, ${METRIC.sendFailed}, "channel", "kind", COUNT(*)
        FROM "OutboundMessage"
        WHERE "communeId" = ${communeId} AND "status" = 'failed' AND "kind" IN ('post', 'reply', 'staff') AND "createdAt" >= ${start} AND "createdAt" < ${end}
        GROUP BY 1, 2, 3, 4, 5`;
      written += await tx.$executeRaw`INSERT INTO "DailyTally" ("communeId", "day", "metric", "channel", "key", "count")
        SELECT CAST(${communeId} AS INTEGER), ${day('receivedAt')}, ${METRIC.inbound}, "channel", '', COUNT(*)
        FROM "InboundMessage"
        WHERE "communeId" = ${communeId} AND "kind" IN (${citizenKinds}) AND "receivedAt" >= ${start} AND "receivedAt" < ${end}
        GROUP BY 1, 2, 3, 4, 5`;
      written += await tx.$executeRaw`INSERT INTO "DailyTally" ("communeId", "day", "metric", "channel", "key", "count")
        SELECT CAST(${communeId} AS INTEGER), ${day('receivedAt')}, ${METRIC.outcome}, "channel", "outcome", COUNT(*)
        FROM "InboundMessage"
        WHERE "communeId" = ${communeId} AND "kind" IN (${citizenKinds}) AND "outcome" IS NOT NULL AND "receivedAt" >= ${start} AND "receivedAt" < ${end}
        GROUP BY 1, 2, 3, 4, 5`;
      written += await tx.$executeRaw`INSERT INTO "DailyTally" ("communeId", "day", "metric", "channel", "key", "count")
        SELECT CAST(${communeId} AS INTEGER), ${day('receivedAt')}, ${METRIC.procedure}, '', "procedureCode", COUNT(*)
        FROM "InboundMessage"
        WHERE "communeId" = ${communeId} AND "kind" IN (${citizenKinds}) AND "outcome" IS NOT NULL AND "procedureCode" IS NOT NULL AND "procedureCode" <> ''
          AND "receivedAt" >= ${start} AND "receivedAt" < ${end}
        GROUP BY 1, 2, 3, 4, 5`;
      written += await tx.$executeRaw`INSERT INTO "DailyTally" ("communeId", "day", "metric", "channel", "key", "count")
        SELECT CAST(${communeId} AS INTEGER), ${day('receivedAt')}, ${METRIC.field}, '', "field", COUNT(*)
        FROM "InboundMessage"
        WHERE "communeId" = ${communeId} AND "kind" IN (${citizenKinds}) AND "outcome" IS NOT NULL AND "field" IS NOT NULL AND "field" <> ''
          AND "receivedAt" >= ${start} AND "receivedAt" < ${end}
        GROUP BY 1, 2, 3, 4, 5`;
      written += await rebuildCitizenActivity(tx, provider, communeId, fromDay.slice(0, 4), toDay.slice(0, 4));
      return written;
    },
    { timeout: 60 * 60_000, maxWait: 60_000 },
  );
}

/**
 * Recomputes the citizen activity of whole years fromYear…toYear (a year, quarter or month bucket holds days outside
 * a partial range, so the years around it are redone whole).
 */
async function rebuildCitizenActivity(tx: DbTx, provider: 'sqlite' | 'postgresql', communeId: number, fromYear: string, toYear: string): Promise<number> {
  const start = localMidnight(`${fromYear}-01-01`);
  const end = localMidnight(`${Number(toYear) + 1}-01-01`);
  const afterLast = String(Number(toYear) + 1);
  await tx.$executeRaw`DELETE FROM "CitizenActivity" WHERE "communeId" = ${communeId} AND "bucket" >= ${fromYear} AND "bucket" < ${afterLast}`;
  const day = localDaySql(provider, 'receivedAt');
  let written = await tx.$executeRaw`INSERT INTO "CitizenActivity" ("communeId", "bucket", "citizenRef", "channel")
    SELECT CAST(${communeId} AS INTEGER), ${day}, "citizenRef", MIN("channel") FROM "InboundMessage"
    WHERE "communeId" = ${communeId} AND "kind" IN (${citizenKinds}) AND "receivedAt" >= ${start} AND "receivedAt" < ${end}
    GROUP BY 1, 2, 3`;
  // Months, quarters and years from the day buckets just written (far fewer rows than the ledger).
  const quarter = Prisma.raw(`substr("bucket", 1, 4) || '-Q' || CAST((CAST(substr("bucket", 6, 2) AS INTEGER) + 2) / 3 AS TEXT)`);
  for (const bucket of [Prisma.raw('substr("bucket", 1, 7)'), quarter, Prisma.raw('substr("bucket", 1, 4)')]) {
    written += await tx.$executeRaw`INSERT INTO "CitizenActivity" ("communeId", "bucket", "citizenRef", "channel")
      SELECT CAST(${communeId} AS INTEGER), ${bucket}, "citizenRef", MIN("channel") FROM "CitizenActivity"
      WHERE "communeId" = ${communeId} AND length("bucket") = 10 AND "bucket" >= ${fromYear} AND "bucket" < ${afterLast}
      GROUP BY 1, 2, 3`;
  }
  return written;
}
