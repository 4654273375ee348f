/**
 * The statistics of a report period: tin bài published (by the service and recorded by hand), replies, citizen
 * messages, outcomes, most asked procedures and fields, handovers, failed sends. Shaping is pure (`shapeTallies`);
 * `computeTallies` reads the daily roll-ups and hand-recorded entries and shapes them.
 */
import type { DbTx } from '../../db/client.js';
import { channelLabel, CHANNEL_ORDER, kindLabel, outcomeLabel, OUTCOME_ORDER, outletLabel, OUTLET_ORDER, serviceOutlet, topicLabel } from './labels.js';
import { sumManualEntries, type ManualSum } from './manual.repo.js';
import { METRIC } from './metrics.js';
import { periodPhrase, type Period } from './period.js';
import { findCommuneName, findProcedureNames } from './report-context.repo.js';
import { loadDistinctCitizens, loadRollups, type CitizenCount, type RollupSum } from './rollups.repo.js';

/** A named count. */
export interface CountRow {
  key: string;
  label: string;
  count: number;
}

/** Tin bài of one outlet or topic: published by the service, recorded by hand, and both. */
export interface PostRow {
  key: string;
  label: string;
  service: number;
  manual: number;
  total: number;
}

export interface InboundChannelRow {
  key: string;
  label: string;
  messages: number;
  citizens: number;
}

export interface ProcedureRow {
  code: string;
  /** From the catalog; the code itself when the procedure is no longer there. */
  name: string;
  count: number;
}

/** Every figure of a report period. Plain data: JSON as is. */
export interface Tallies {
  period: { key: string; label: string; phrase: string; firstDay: string; lastDay: string; start: string; end: string };
  /** "UBND xã …", or "UBND xã" when the commune profile is missing. */
  authority: string;
  posts: { byOutlet: PostRow[]; byTopic: PostRow[]; service: number; manual: number; total: number };
  replies: { byChannel: CountRow[]; total: number };
  inbound: { byChannel: InboundChannelRow[]; messages: number; citizens: number };
  /** `referrals`: questions outside the commune's remit, answered with where to go (never counted as a procedure). */
  questions: { answered: number; choices: number; unanswered: number; referrals: number; byOutcome: CountRow[] };
  topProcedures: ProcedureRow[];
  topFields: CountRow[];
  staff: { handovers: number; replies: number; repliesByChannel: CountRow[] };
  /** Sends that failed for good: reported apart, never counted as sent. */
  failed: { byChannel: CountRow[]; byKind: CountRow[]; total: number };
}

/** What shapeTallies needs, as read from the database (or computed from ledger rows). */
export interface TallyInputs {
  rollups: RollupSum[];
  citizens: CitizenCount[];
  manual: ManualSum[];
  procedureNames: ReadonlyMap<string, string>;
  communeName: string | null;
}

export const TOP_LIMIT = 10;

const sum = (values: Iterable<number>) => {
  let total = 0;
  for (const v of values) total += v;
  return total;
};

function rank(order: readonly string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

/** Adds `count` under `key` of the map. */
function bump(map: Map<string, number>, key: string, count: number): void {
  map.set(key, (map.get(key) ?? 0) + count);
}

function countRows(map: Map<string, number>, label: (key: string) => string, order: readonly string[]): CountRow[] {
  return [...map]
    .filter(([, count]) => count !== 0)
    .map(([key, count]) => ({ key, label: label(key), count }))
    .sort((a, b) => rank(order, a.key) - rank(order, b.key) || a.key.localeCompare(b.key));
}

function postRows(service: Map<string, number>, manual: Map<string, number>, label: (key: string) => string, byOrder?: readonly string[]): PostRow[] {
  const keys = new Set([...service.keys(), ...manual.keys()]);
  return [...keys]
    .map((key) => {
      const s = service.get(key) ?? 0;
      const m = manual.get(key) ?? 0;
      return { key, label: label(key), service: s, manual: m, total: s + m };
    })
    .filter((r) => r.total !== 0)
    .sort((a, b) =>
      byOrder ? rank(byOrder, a.key) - rank(byOrder, b.key) || a.key.localeCompare(b.key) : b.total - a.total || a.label.localeCompare(b.label, 'vi'),
    );
}

function top(map: Map<string, number>): [string, number][] {
  return [...map]
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_LIMIT);
}

/** Shapes roll-up sums, citizen counts and hand-recorded sums into the report's figures. Pure. */
export function shapeTallies(period: Period, inputs: TallyInputs): Tallies {
  const by = (metric: string) => inputs.rollups.filter((r) => r.metric === metric);
  const tally = (metric: string, keyOf: (r: RollupSum) => string) => {
    const map = new Map<string, number>();
    for (const r of by(metric)) bump(map, keyOf(r), r.count);
    return map;
  };

  const serviceByOutlet = tally(METRIC.postSent, (r) => serviceOutlet(r.channel));
  const serviceByTopic = tally(METRIC.postSent, (r) => r.key);
  const manualByOutlet = new Map<string, number>();
  const manualByTopic = new Map<string, number>();
  for (const m of inputs.manual) {
    bump(manualByOutlet, m.channel, m.count);
    bump(manualByTopic, m.topic ?? '', m.count);
  }
  const servicePosts = sum(serviceByOutlet.values());
  const manualPosts = sum(manualByOutlet.values());

  const replies = tally(METRIC.replySent, (r) => r.channel);
  const inboundMessages = tally(METRIC.inbound, (r) => r.channel);
  const citizens = new Map(inputs.citizens.map((c) => [c.channel, c.citizens]));
  const inboundChannels = [...new Set([...inboundMessages.keys(), ...citizens.keys()])]
    .map((key) => ({ key, label: channelLabel(key), messages: inboundMessages.get(key) ?? 0, citizens: citizens.get(key) ?? 0 }))
    .filter((r) => r.messages !== 0 || r.citizens !== 0)
    .sort((a, b) => rank(CHANNEL_ORDER, a.key) - rank(CHANNEL_ORDER, b.key) || a.key.localeCompare(b.key));

  const outcomes = tally(METRIC.outcome, (r) => r.key);
  const staffReplies = tally(METRIC.staffSent, (r) => r.channel);
  const failedByChannel = tally(METRIC.sendFailed, (r) => r.channel);
  const failedByKind = tally(METRIC.sendFailed, (r) => r.key);

  return {
    period: {
      key: period.key,
      label: period.label,
      phrase: periodPhrase(period),
      firstDay: period.firstDay,
      lastDay: period.lastDay,
      start: period.start.toISOString(),
      end: period.end.toISOString(),
    },
    authority: authorityName(inputs.communeName),
    posts: {
      byOutlet: postRows(serviceByOutlet, manualByOutlet, outletLabel, OUTLET_ORDER),
      byTopic: postRows(serviceByTopic, manualByTopic, topicLabel),
      service: servicePosts,
      manual: manualPosts,
      total: servicePosts + manualPosts,
    },
    replies: { byChannel: countRows(replies, channelLabel, CHANNEL_ORDER), total: sum(replies.values()) },
    inbound: {
      byChannel: inboundChannels,
      messages: sum(inboundMessages.values()),
      citizens: sum(citizens.values()),
    },
    questions: {
      answered: outcomes.get('answered') ?? 0,
      choices: outcomes.get('choices') ?? 0,
      unanswered: outcomes.get('unanswered') ?? 0,
      referrals: outcomes.get('referral') ?? 0,
      byOutcome: countRows(outcomes, outcomeLabel, OUTCOME_ORDER),
    },
    topProcedures: top(tally(METRIC.procedure, (r) => r.key)).map(([code, count]) => ({ code, name: inputs.procedureNames.get(code) ?? code, count })),
    topFields: top(tally(METRIC.field, (r) => r.key)).map(([key, count]) => ({ key, label: key, count })),
    staff: {
      handovers: outcomes.get('handover') ?? 0,
      replies: sum(staffReplies.values()),
      repliesByChannel: countRows(staffReplies, channelLabel, CHANNEL_ORDER),
    },
    failed: {
      byChannel: countRows(failedByChannel, channelLabel, CHANNEL_ORDER),
      byKind: countRows(failedByKind, kindLabel, ['post', 'reply', 'staff']),
      total: sum(failedByChannel.values()),
    },
  };
}

/**
 * "UBND xã Tân Phú" from the profile's name, whether it was entered as "Tân Phú", "Xã Tân Phú" or "phường …";
 * "UBND xã" when there is no profile.
 */
export function authorityName(communeName: string | null): string {
  const name = communeName?.normalize('NFC').trim();
  if (!name) return 'UBND xã';
  const m = /^(xã|phường|thị trấn)\s+(.+)$/iu.exec(name);
  if (m) return `UBND ${m[1]!.toLowerCase()} ${m[2]}`;
  return /^(ubnd|ủy ban|uỷ ban)/iu.test(name) ? name : `UBND xã ${name}`;
}

/** The procedure codes worth naming: the most asked ones of the roll-ups. */
export function topProcedureCodes(rollups: RollupSum[]): string[] {
  const map = new Map<string, number>();
  for (const r of rollups) if (r.metric === METRIC.procedure) bump(map, r.key, r.count);
  return top(map).map(([code]) => code);
}

/**
 * The figures of a period from the daily roll-ups and the hand-recorded entries. Reads a bounded amount whatever the
 * ledger's size: one roll-up row per day, metric, channel and key.
 * @example const t = await computeTallies(db, parsePeriod('2024-H1')); t.posts.total
 */
export async function computeTallies(db: DbTx, period: Period): Promise<Tallies> {
  const [rollups, citizens, manual, communeName] = await Promise.all([
    loadRollups(db, period.firstDay, period.lastDay),
    loadDistinctCitizens(db, period.firstDay, period.lastDay),
    sumManualEntries(db, period.firstDay, period.lastDay),
    findCommuneName(db),
  ]);
  const procedureNames = await findProcedureNames(db, topProcedureCodes(rollups));
  return shapeTallies(period, { rollups, citizens, manual, procedureNames, communeName });
}
