/**
 * Inbound messages: stored before the webhook answers (idempotent on the platform's message id), claimed for
 * processing, and finished in the same transaction that queues the replies.
 */
import type { Db, DbTx } from '../../db/client.js';
import type { InboundMessage } from '../messages.js';
import { countInbound, countOutcome } from '../reports/tally-counters.repo.js';

export interface StoredInbound {
  id: number;
  conversationId: number;
  duplicate: boolean;
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === 'P2002';
}

/** Stores one inbound message and its conversation. A re-delivery (same channel + platform id) stores nothing. */
export async function storeInbound(db: Db, message: InboundMessage, ref: string): Promise<StoredInbound> {
  const existing = await db.inboundMessage.findUnique({
    where: { channel_platformMessageId: { channel: message.channel, platformMessageId: message.platformMessageId } },
    select: { id: true, conversationId: true },
  });
  if (existing) return { ...existing, duplicate: true };
  try {
    return await db.$transaction(async (tx) => {
      const conversation = await tx.conversation.upsert({
        where: { channel_address: { channel: message.channel, address: message.address } },
        create: { channel: message.channel, address: message.address, citizenRef: ref, context: {}, lastInboundAt: message.receivedAt },
        update: { lastInboundAt: message.receivedAt },
        select: { id: true },
      });
      const row = await tx.inboundMessage.create({
        data: {
          channel: message.channel,
          platformMessageId: message.platformMessageId,
          conversationId: conversation.id,
          citizenRef: ref,
          kind: message.kind,
          text: message.text,
          payload: message.payload ?? null,
          message: serialiseInbound(message),
          receivedAt: message.receivedAt,
        },
        select: { id: true },
      });
      await countInbound(tx, { channel: message.channel, citizenRef: ref, receivedAt: message.receivedAt });
      return { id: row.id, conversationId: conversation.id, duplicate: false };
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const row = await db.inboundMessage.findUniqueOrThrow({
      where: { channel_platformMessageId: { channel: message.channel, platformMessageId: message.platformMessageId } },
      select: { id: true, conversationId: true },
    });
    return { ...row, duplicate: true };
  }
}

export function serialiseInbound(m: InboundMessage): object {
  return { ...m, receivedAt: m.receivedAt.toISOString() };
}

export function deserialiseInbound(json: unknown): InboundMessage {
  const m = json as InboundMessage & { receivedAt: string };
  return { ...m, receivedAt: new Date(m.receivedAt) };
}

/** Claims a received message for processing; false when another worker or instance has it. */
export async function claimInbound(db: Db, id: number): Promise<boolean> {
  const r = await db.inboundMessage.updateMany({
    where: { id, status: 'received' },
    data: { status: 'processing', attempts: { increment: 1 } },
  });
  return r.count === 1;
}

export async function finishInbound(
  tx: DbTx,
  id: number,
  result: { outcome: string; procedureCode?: string | null; field?: string | null },
): Promise<void> {
  const counted = { channel: true, receivedAt: true, outcome: true, procedureCode: true, field: true } as const;
  const previous = await tx.inboundMessage.findUnique({ where: { id }, select: counted });
  const row = await tx.inboundMessage.update({
    where: { id },
    data: { status: 'processed', outcome: result.outcome, procedureCode: result.procedureCode ?? null, field: result.field ?? null, processedAt: new Date() },
    select: counted,
  });
  await countOutcome(tx, row, previous);
}

export async function failInbound(db: Db, id: number, error: string): Promise<void> {
  await db.inboundMessage.update({ where: { id }, data: { status: 'failed', lastError: error.slice(0, 500) } });
}

/** Messages stored but not processed: all `received`, and `processing` ones whose worker died (lease expired). */
export async function findUnprocessed(db: Db, now: Date, leaseMs: number, limit = 200): Promise<number[]> {
  await db.inboundMessage.updateMany({
    where: { status: 'processing', receivedAt: { lt: new Date(now.getTime() - leaseMs) } },
    data: { status: 'received' },
  });
  const rows = await db.inboundMessage.findMany({
    where: { status: 'received' },
    orderBy: { id: 'asc' },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
