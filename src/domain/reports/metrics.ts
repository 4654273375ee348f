/**
 * What the daily roll-ups count, as pure functions from a ledger row to the roll-up keys it adds to. The ledger's
 * transitions (through tally-counters.repo.ts), `rebuildTallies` and the direct check all follow these definitions.
 */
import { localDayOf } from './period.js';

export const METRIC = {
  /** A post (tin bài) published, keyed by topic. */
  postSent: 'post_sent',
  /** A reply sent to a citizen by the bot. */
  replySent: 'reply_sent',
  /** A message sent by staff after a handover. */
  staffSent: 'staff_sent',
  /** A send that failed for good, keyed by kind; reported apart, never as sent. */
  sendFailed: 'send_failed',
  /** A citizen message stored (re-deliveries are not stored, so never counted). */
  inbound: 'inbound',
  /** A processed citizen message, keyed by outcome. */
  outcome: 'outcome',
  /** A processed citizen message about a procedure, keyed by procedure code. */
  procedure: 'procedure',
  /** A processed citizen message about a field (lĩnh vực), keyed by field. */
  field: 'field',
} as const;

export type Metric = (typeof METRIC)[keyof typeof METRIC];

/**
 * The inbound kinds that are a citizen's message: text, a button pressed, a photo or sticker. Opening the web
 * chat, Messenger's Get Started, Telegram's /start and a Zalo follow are stored (the bot greets in reply) but are
 * no citizen message: they count nowhere, not as a message, a citizen or an outcome.
 */
export const citizenMessageKinds = ['text', 'choice', 'unsupported'] as const;

export function isCitizenMessage(kind: string): boolean {
  return (citizenMessageKinds as readonly string[]).includes(kind);
}

/** One roll-up cell: a local day, a metric, a channel and a key ("" when the metric has none). */
export interface TallyKey {
  day: string;
  metric: Metric;
  channel: string;
  key: string;
}

/** The fields of an OutboundMessage that become `sent`. */
export interface SentRow {
  channel: string;
  kind: string;
  topic: string | null;
  sentAt: Date;
}

/** The fields of an OutboundMessage that becomes `failed`. The day is the day it was written (never changes). */
export interface FailedRow {
  channel: string;
  kind: string;
  createdAt: Date;
}

/** The fields of a stored InboundMessage. */
export interface InboundRow {
  channel: string;
  /** InboundMessage.kind: only citizen messages count (see citizenMessageKinds). */
  kind: string;
  citizenRef: string;
  receivedAt: Date;
}

/** The fields of an InboundMessage that matter once it has an outcome. Counted on the day it was received. */
export interface OutcomeRow {
  channel: string;
  kind: string;
  receivedAt: Date;
  outcome: string | null;
  procedureCode: string | null;
  field: string | null;
}

const SENT_METRIC: Record<string, Metric> = { post: METRIC.postSent, reply: METRIC.replySent, staff: METRIC.staffSent };

/** Keys a sent outbound row adds to; none for a kind the report does not know. */
export function sentKeys(row: SentRow): TallyKey[] {
  const metric = SENT_METRIC[row.kind];
  if (!metric) return [];
  const key = metric === METRIC.postSent ? (row.topic ?? '') : '';
  return [{ day: localDayOf(row.sentAt), metric, channel: row.channel, key }];
}

/** Keys a failed outbound row adds to; none for kinds the report does not count (channel test sends). */
export function failedKeys(row: FailedRow): TallyKey[] {
  if (!SENT_METRIC[row.kind]) return [];
  return [{ day: localDayOf(row.createdAt), metric: METRIC.sendFailed, channel: row.channel, key: row.kind }];
}

export function inboundKeys(row: InboundRow): TallyKey[] {
  if (!isCitizenMessage(row.kind)) return [];
  return [{ day: localDayOf(row.receivedAt), metric: METRIC.inbound, channel: row.channel, key: '' }];
}

export function outcomeKeys(row: OutcomeRow): TallyKey[] {
  if (row.outcome === null || !isCitizenMessage(row.kind)) return [];
  const day = localDayOf(row.receivedAt);
  const keys: TallyKey[] = [{ day, metric: METRIC.outcome, channel: row.channel, key: row.outcome }];
  // Ranked across channels, so kept without one: a quarter of the roll-up rows to read.
  if (row.procedureCode) keys.push({ day, metric: METRIC.procedure, channel: '', key: row.procedureCode });
  if (row.field) keys.push({ day, metric: METRIC.field, channel: '', key: row.field });
  return keys;
}
