/**
 * Writes ledger rows through the lead's real ledger functions (store, finish, enqueue, claim, retry, sent, final),
 * exactly as the inbox processor and the dispatcher do, so the roll-ups are kept by the real transitions.
 */
import type { Db } from '../../src/db/client.js';
import { finishInbound, storeInbound } from '../../src/domain/ledger/inbound.repo.js';
import { claimOutbound, enqueueOutbound, markFinal, markRetry, markSent } from '../../src/domain/ledger/outbox.repo.js';
import type { ChannelName } from '../../src/domain/messages.js';

const farFuture = new Date('2100-01-01T00:00:00Z');
const past = new Date('2000-01-01T00:00:00Z');

export interface Receive {
  channel: ChannelName;
  address: string;
  platformMessageId: string;
  at: Date;
  /** Default text; start/follow are visits and Get Started presses, no citizen message. */
  kind?: 'text' | 'choice' | 'start' | 'follow' | 'unsupported';
  outcome?: string;
  procedureCode?: string | null;
  field?: string | null;
}

/** A citizen message stored (maybe a re-delivery) and, when an outcome is given, processed. */
export async function receive(db: Db, r: Receive): Promise<{ id: number; duplicate: boolean }> {
  const stored = await storeInbound(
    db,
    { channel: r.channel, platformMessageId: r.platformMessageId, address: r.address, kind: r.kind ?? 'text', text: r.kind === 'start' || r.kind === 'follow' ? '' : 'câu hỏi', receivedAt: r.at },
    `ref-${r.channel}-${r.address}`,
  );
  if (r.outcome && !stored.duplicate) await finish(db, stored.id, r);
  return stored;
}

export async function finish(db: Db, id: number, r: Pick<Receive, 'outcome' | 'procedureCode' | 'field'>): Promise<void> {
  await db.$transaction((tx) => finishInbound(tx, id, { outcome: r.outcome!, procedureCode: r.procedureCode ?? null, field: r.field ?? null }));
}

export interface Send {
  channel: ChannelName;
  kind: 'reply' | 'post' | 'staff';
  topic?: string | null;
  at: Date;
  /** Tries before the outcome: attempts - 1 retries first. */
  attempts?: number;
  outcome: 'sent' | 'failed' | 'unconfirmed' | 'not_sent' | 'pending';
}

/** An outbound row written, claimed, retried and finished the way the dispatcher does it. Returns its id. */
export async function send(db: Db, s: Send): Promise<number> {
  const [id] = await db.$transaction((tx) =>
    enqueueOutbound(tx, [{ channel: s.channel, kind: s.kind, recipientRef: 'ref', address: 'addr', topic: s.topic ?? null, reply: { kind: 'text', text: 'Nội dung' } }]),
  );
  // The row is written when it is sent: a failed send then falls in the same period as its attempt.
  await db.outboundMessage.update({ where: { id: id! }, data: { createdAt: s.at } });
  if (s.outcome === 'pending') return id!;
  const attempts = s.attempts ?? 1;
  for (let a = 1; a <= attempts; a++) {
    const claimed = await claimOutbound(db, [id!], farFuture);
    if (claimed.length !== 1) throw new Error(`row ${id} not claimable`);
    if (a < attempts) await markRetry(db, id!, 'HTTP 503', past);
  }
  if (s.outcome === 'sent') await markSent(db, id!, `pm-${id}`, s.at);
  else await markFinal(db, id!, s.outcome, 'test');
  return id!;
}
