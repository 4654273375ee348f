/**
 * The report's figures computed straight from ledger rows, without the roll-ups. Pure and slow (it looks at every
 * row): it exists to check that the roll-ups, kept by the ledger's transitions or rebuilt, say the same thing.
 */
import { satisfactionFromRows, shapeFeedback, type FeedbackRow, type RatingRow } from './feedback-figures.js';
import { failedKeys, inboundKeys, isCitizenMessage, outcomeKeys, sentKeys, type TallyKey } from './metrics.js';
import type { ManualSum } from './manual.repo.js';
import { localDayOf, type Period } from './period.js';
import type { RollupSum } from './rollups.repo.js';
import { shapeTallies, type Tallies } from './tallies.js';

export interface LedgerOutboundRow {
  channel: string;
  kind: string;
  status: string;
  topic: string | null;
  sentAt: Date | null;
  createdAt: Date;
}

export interface LedgerInboundRow {
  channel: string;
  kind: string;
  citizenRef: string;
  receivedAt: Date;
  outcome: string | null;
  procedureCode: string | null;
  field: string | null;
}

export interface ManualRow {
  date: string;
  channel: string;
  topic: string | null;
  count: number;
}

export function talliesFromLedgerRows(
  period: Period,
  rows: { outbound: LedgerOutboundRow[]; inbound: LedgerInboundRow[]; manual: ManualRow[]; feedback?: FeedbackRow[]; ratings?: RatingRow[]; now?: Date },
  names: { procedureNames: ReadonlyMap<string, string>; communeName: string | null },
): Tallies {
  const now = rows.now ?? new Date();
  const asOf = now < period.end ? now : period.end;
  const inPeriod = (day: string) => day >= period.firstDay && day <= period.lastDay;
  const cells = new Map<string, RollupSum>();
  const add = (k: TallyKey) => {
    if (!inPeriod(k.day)) return;
    const id = JSON.stringify([k.metric, k.channel, k.key]);
    const cell = cells.get(id) ?? { metric: k.metric, channel: k.channel, key: k.key, count: 0 };
    cell.count += 1;
    cells.set(id, cell);
  };
  for (const o of rows.outbound) {
    if (o.status === 'sent' && o.sentAt) sentKeys({ ...o, sentAt: o.sentAt }).forEach(add);
    if (o.status === 'failed') failedKeys(o).forEach(add);
  }
  const citizens = new Map<string, Set<string>>();
  for (const i of rows.inbound) {
    inboundKeys(i).forEach(add);
    outcomeKeys(i).forEach(add);
    if (isCitizenMessage(i.kind) && inPeriod(localDayOf(i.receivedAt))) {
      const set = citizens.get(i.channel) ?? new Set<string>();
      set.add(i.citizenRef);
      citizens.set(i.channel, set);
    }
  }
  const manual = new Map<string, ManualSum>();
  for (const m of rows.manual) {
    if (!inPeriod(m.date)) continue;
    const id = JSON.stringify([m.channel, m.topic]);
    const cell = manual.get(id) ?? { channel: m.channel, topic: m.topic, count: 0 };
    cell.count += m.count;
    manual.set(id, cell);
  }
  return shapeTallies(period, {
    rollups: [...cells.values()],
    citizens: [...citizens].map(([channel, set]) => ({ channel, citizens: set.size })),
    manual: [...manual.values()],
    ...names,
    feedback: shapeFeedback(rows.feedback ?? [], period, asOf),
    satisfaction: satisfactionFromRows(rows.ratings ?? [], period, names.procedureNames),
  });
}
