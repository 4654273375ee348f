/**
 * Inbound messages: stored before the webhook answers (idempotent on the platform's message id), claimed for
 * processing, and finished in the same transaction that queues the replies.
 */
import type { Db, DbTx } from '../../db/client.js';
import { insertRows } from '../../db/insert-rows.js';
import { setColumnById } from '../../db/set-by-id.js';
import type { InboundMessage } from '../messages.js';
import { countInbound, countOutcome, TallyBatch } from '../reports/tally-counters.repo.js';
import { communeIdOf } from '../../db/tenant.js';

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
  const communeId = communeIdOf(db);
  const existing = await db.inboundMessage.findUnique({
    where: { communeId_channel_platformMessageId: { communeId, channel: message.channel, platformMessageId: message.platformMessageId } },
    select: { id: true, conversationId: true },
  });
  if (existing) return { ...existing, duplicate: true };
  try {
    return await db.$transaction(async (tx) => {
      const conversation = await tx.conversation.upsert({
        where: { communeId_channel_address: { communeId, channel: message.channel, address: message.address } },
        create: { communeId, channel: message.channel, address: message.address, citizenRef: ref, context: {}, lastInboundAt: message.receivedAt },
        update: { lastInboundAt: message.receivedAt },
        select: { id: true },
      });
      const row = await tx.inboundMessage.create({
        data: {
          communeId,
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
      await countInbound(tx, { channel: message.channel, kind: message.kind, citizenRef: ref, receivedAt: message.receivedAt });
      return { id: row.id, conversationId: conversation.id, duplicate: false };
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const row = await db.inboundMessage.findUniqueOrThrow({
      where: { communeId_channel_platformMessageId: { communeId, channel: message.channel, platformMessageId: message.platformMessageId } },
      select: { id: true, conversationId: true },
    });
    return { ...row, duplicate: true };
  }
}

export interface InboundToStore {
  message: InboundMessage;
  ref: string;
}

const keyOf = (m: { channel: string; platformMessageId: string }) => `${m.channel}\u0000${m.platformMessageId}`;

/**
 * Stores many inbound messages in ONE transaction (group commit), with the same outcome per message as
 * {@link storeInbound}: a message already stored, or repeated earlier in the batch, is reported as a duplicate.
 * Throws (and stores nothing) when a concurrent writer stored one of them first; callers then store one by one.
 */
export async function storeInboundBatch(db: Db, items: InboundToStore[]): Promise<StoredInbound[]> {
  const channels = [...new Set(items.map((i) => i.message.channel))];
  const communeId = communeIdOf(db);
  return db.$transaction(async (tx) => {
    const [existing, conversations] = await Promise.all([
      tx.inboundMessage.findMany({
        where: { OR: channels.map((channel) => ({ channel, platformMessageId: { in: items.filter((i) => i.message.channel === channel).map((i) => i.message.platformMessageId) } })) },
        select: { id: true, conversationId: true, channel: true, platformMessageId: true },
      }),
      tx.conversation.findMany({
        where: { OR: channels.map((channel) => ({ channel, address: { in: items.filter((i) => i.message.channel === channel).map((i) => i.message.address) } })) },
        select: { id: true, channel: true, address: true },
      }),
    ]);
    const stored = new Map<string, { id: number; conversationId: number }>(existing.map((e) => [keyOf(e), e]));
    const fresh: InboundToStore[] = [];
    const seen = new Set(stored.keys());
    for (const item of items) {
      const key = keyOf(item.message);
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(item);
    }
    const convKey = (channel: string, address: string) => `${channel}\u0000${address}`;
    const convIds = new Map(conversations.map((c) => [convKey(c.channel, c.address), c.id]));
    const latest = new Map<string, InboundToStore>();
    for (const item of fresh) {
      const k = convKey(item.message.channel, item.message.address);
      const prev = latest.get(k);
      if (!prev || prev.message.receivedAt <= item.message.receivedAt) latest.set(k, item);
    }
    const missing = [...latest.entries()].filter(([k]) => !convIds.has(k));
    if (missing.length > 0) {
      const now = new Date();
      const created = await insertRows(
        tx,
        'Conversation',
        ['communeId', 'channel', 'address', 'citizenRef', 'context', 'lastInboundAt', 'createdAt', 'updatedAt'],
        missing.map(([, i]) => ({ communeId, channel: i.message.channel, address: i.message.address, citizenRef: i.ref, context: '{}', lastInboundAt: i.message.receivedAt, createdAt: now, updatedAt: now })),
      );
      missing.forEach(([k], n) => convIds.set(k, created[n]!));
    }
    const seenAt = [...latest.entries()].filter(([k]) => !missing.some(([m]) => m === k)).map(([k, i]) => ({ id: convIds.get(k)!, value: i.message.receivedAt }));
    if (seenAt.length > 0) {
      await setColumnById(tx, 'Conversation', 'lastInboundAt', seenAt);
      await tx.conversation.updateMany({ where: { id: { in: seenAt.map((s) => s.id) } }, data: { updatedAt: new Date() } });
    }
    if (fresh.length > 0) {
      const ids = await insertRows(
        tx,
        'InboundMessage',
        ['communeId', 'channel', 'platformMessageId', 'conversationId', 'citizenRef', 'kind', 'text', 'payload', 'message', 'receivedAt'],
        fresh.map(({ message, ref }) => ({
          communeId,
          channel: message.channel,
          platformMessageId: message.platformMessageId,
          conversationId: convIds.get(convKey(message.channel, message.address))!,
          citizenRef: ref,
          kind: message.kind,
          text: message.text,
          payload: message.payload ?? null,
          message: JSON.stringify(serialiseInbound(message)),
          receivedAt: message.receivedAt,
        })),
      );
      fresh.forEach(({ message }, n) => stored.set(keyOf(message), { id: ids[n]!, conversationId: convIds.get(convKey(message.channel, message.address))! }));
      const tallies = new TallyBatch();
      for (const { message, ref } of fresh) tallies.inbound({ channel: message.channel, kind: message.kind, citizenRef: ref, receivedAt: message.receivedAt });
      await tallies.flush(tx);
    }
    const firstOf = new Set(fresh);
    return items.map((item) => {
      const row = stored.get(keyOf(item.message))!;
      return { id: row.id, conversationId: row.conversationId, duplicate: !firstOf.has(item) };
    });
  });
}

/** Claimed messages with their conversations, for processing. */
export async function loadInboundWithConversations(db: Db, ids: number[]) {
  return db.inboundMessage.findMany({ where: { id: { in: ids } }, include: { conversation: true } });
}

/** Saves the engine's new context; `handedOverAt` set: the conversation now waits for staff. */
export async function saveConversationContext(tx: DbTx, conversationId: number, context: object, handedOverAt: Date | null): Promise<void> {
  await tx.conversation.update({
    where: { id: conversationId },
    data: { context, ...(handedOverAt ? { state: 'waiting_staff', handedOverAt } : {}) },
    select: { id: true },
  });
}

/**
 * Saves the new contexts of many conversations that stay with the bot in ONE statement (a group commit's batch:
 * one Prisma update per message was a tenth of the ledger's CPU per answer). Handovers go through
 * {@link saveConversationContext}, which also changes the state.
 */
export async function saveConversationContexts(tx: DbTx, contexts: { conversationId: number; context: object }[]): Promise<void> {
  if (contexts.length === 0) return;
  await setColumnById(tx, 'Conversation', 'context', contexts.map((c) => ({ id: c.conversationId, value: JSON.stringify(c.context) })));
}

/** Files questions the bot could not answer, for staff (one INSERT for the batch). */
export async function fileUnansweredQuestions(
  tx: DbTx,
  rows: { inboundId: number; conversationId: number; channel: string; text: string; folded: string }[],
  at: Date,
): Promise<void> {
  const communeId = communeIdOf(tx);
  await insertRows(tx, 'UnansweredQuestion', ['communeId', 'inboundId', 'conversationId', 'channel', 'text', 'folded', 'createdAt'], rows.map((r) => ({ ...r, communeId, createdAt: at })));
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
    data: { status: 'processing', attempts: { increment: 1 }, claimedAt: new Date() },
  });
  return r.count === 1;
}

class PartialClaim extends Error {}

/**
 * Claims many received messages at once; returns the ids this caller won. One UPDATE claims them all; when some
 * were taken meanwhile (another worker or instance), it is rolled back and each is claimed on its own.
 */
export async function claimInboundBatch(db: Db, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  if (ids.length === 1) return (await claimInbound(db, ids[0]!)) ? ids : [];
  try {
    await db.$transaction(async (tx) => {
      const r = await tx.inboundMessage.updateMany({ where: { id: { in: ids }, status: 'received' }, data: { status: 'processing', attempts: { increment: 1 }, claimedAt: new Date() } });
      if (r.count !== ids.length) throw new PartialClaim();
    });
    return ids;
  } catch (e) {
    if (!(e instanceof PartialClaim)) throw e;
    const won: number[] = [];
    for (const id of ids) if (await claimInbound(db, id)) won.push(id);
    return won;
  }
}

/** Marks processed messages in few statements: one per distinct (outcome, procedure, field). */
export async function finishInboundBatch(
  tx: DbTx,
  results: { id: number; outcome: string; procedureCode?: string | null; field?: string | null }[],
  at: Date,
): Promise<void> {
  const groups = new Map<string, { ids: number[]; outcome: string; procedureCode: string | null; field: string | null }>();
  for (const r of results) {
    const key = JSON.stringify([r.outcome, r.procedureCode ?? null, r.field ?? null]);
    const g = groups.get(key) ?? { ids: [], outcome: r.outcome, procedureCode: r.procedureCode ?? null, field: r.field ?? null };
    g.ids.push(r.id);
    groups.set(key, g);
  }
  // What the rows held before, so a message re-processed after a crash is not counted twice.
  const before = await tx.inboundMessage.findMany({
    where: { id: { in: results.map((r) => r.id) } },
    select: { id: true, channel: true, kind: true, receivedAt: true, outcome: true, procedureCode: true, field: true },
  });
  for (const g of groups.values()) {
    await tx.inboundMessage.updateMany({
      where: { id: { in: g.ids } },
      data: { status: 'processed', outcome: g.outcome, procedureCode: g.procedureCode, field: g.field, processedAt: at },
    });
  }
  const tallies = new TallyBatch();
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const prev of before) {
    const r = byId.get(prev.id)!;
    const row = { channel: prev.channel, kind: prev.kind, receivedAt: prev.receivedAt, outcome: r.outcome, procedureCode: r.procedureCode ?? null, field: r.field ?? null };
    tallies.outcome(row, prev.outcome ? prev : null);
  }
  await tallies.flush(tx);
}

export async function finishInbound(
  tx: DbTx,
  id: number,
  result: { outcome: string; procedureCode?: string | null; field?: string | null },
): Promise<void> {
  const counted = { channel: true, kind: true, receivedAt: true, outcome: true, procedureCode: true, field: true } as const;
  const previous = await tx.inboundMessage.findUnique({ where: { id }, select: counted });
  const row = await tx.inboundMessage.update({
    where: { id },
    data: { status: 'processed', outcome: result.outcome, procedureCode: result.procedureCode ?? null, field: result.field ?? null, processedAt: new Date() },
    select: counted,
  });
  await countOutcome(tx, row, previous);
}

/**
 * Marks a message this worker was processing as failed. Only from `processing`: a worker that outlived its lease
 * (a stalled engine, a process presumed dead) must not overwrite what the worker that took over recorded.
 */
export async function failInbound(db: Db, id: number, error: string): Promise<void> {
  await db.inboundMessage.updateMany({ where: { id, status: 'processing' }, data: { status: 'failed', lastError: error.slice(0, 500) } });
}

/**
 * Messages stored but not processed: all `received`, and `processing` ones whose worker died, i.e. claimed longer
 * than the lease ago (counted from the claim, so a message picked up late is not taken from a live worker).
 */
export async function findUnprocessed(db: Db, now: Date, leaseMs: number, limit = 200): Promise<number[]> {
  await db.inboundMessage.updateMany({
    where: { status: 'processing', claimedAt: { lt: new Date(now.getTime() - leaseMs) } },
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
