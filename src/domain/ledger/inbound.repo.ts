/**
 * Inbound messages: stored before the webhook answers (idempotent on the platform's message id), claimed for
 * processing, and finished in the same transaction that queues the replies.
 */
import type { Db, DbTx } from '../../db/client.js';
import { asDate, asJson, asNumber, communeOf, runnerOf, sqlOf, type SqlTarget } from '../../db/sql.js';
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
 * Plain SQL (sql.ts): this runs for every webhook.
 */
export async function storeInboundBatch(db: Db, items: InboundToStore[]): Promise<StoredInbound[]> {
  const channels = [...new Set(items.map((i) => i.message.channel))];
  return sqlOf(db).transaction(async (q) => {
    const communeId = communeOf(q);
    const existing: { id: number; conversationId: number; channel: string; platformMessageId: string }[] = [];
    const conversations: { id: number; channel: string; address: string }[] = [];
    for (const channel of channels) {
      const mine = items.filter((i) => i.message.channel === channel);
      existing.push(
        ...(await q.all<{ id: number; conversationId: number; channel: string; platformMessageId: string }>(
          'SELECT "id", "conversationId", "channel", "platformMessageId" FROM "InboundMessage" WHERE "communeId" = ? AND "channel" = ? AND "platformMessageId" IN (?*)',
          [communeId, channel, mine.map((i) => i.message.platformMessageId)],
        )),
      );
      conversations.push(
        ...(await q.all<{ id: number; channel: string; address: string }>(
          'SELECT "id", "channel", "address" FROM "Conversation" WHERE "communeId" = ? AND "channel" = ? AND "address" IN (?*)',
          [communeId, channel, [...new Set(mine.map((i) => i.message.address))]],
        )),
      );
    }
    const stored = new Map<string, { id: number; conversationId: number }>(existing.map((e) => [keyOf(e), { id: asNumber(e.id), conversationId: asNumber(e.conversationId) }]));
    const fresh: InboundToStore[] = [];
    const seen = new Set(stored.keys());
    for (const item of items) {
      const key = keyOf(item.message);
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(item);
    }
    const convKey = (channel: string, address: string) => `${channel}\u0000${address}`;
    const convIds = new Map(conversations.map((c) => [convKey(c.channel, c.address), asNumber(c.id)]));
    const latest = new Map<string, InboundToStore>();
    for (const item of fresh) {
      const k = convKey(item.message.channel, item.message.address);
      const prev = latest.get(k);
      if (!prev || prev.message.receivedAt <= item.message.receivedAt) latest.set(k, item);
    }
    const missing = [...latest.entries()].filter(([k]) => !convIds.has(k));
    const now = new Date();
    if (missing.length > 0) {
      const created = await q.insert<{ id: number }>(
        'INSERT INTO "Conversation" ("communeId", "channel", "address", "citizenRef", "context", "lastInboundAt", "createdAt", "updatedAt")',
        missing.map(([, i]) => [communeId, i.message.channel, i.message.address, i.ref, '{}', i.message.receivedAt, now, now]),
        'RETURNING "id"',
      );
      // Ids of one multi-row INSERT ascend in row order (AUTOINCREMENT on SQLite, a sequence on PostgreSQL).
      const ids = created.map((r) => asNumber(r.id)).sort((a, b) => a - b);
      missing.forEach(([k], n) => convIds.set(k, ids[n]!));
    }
    const created = new Set(missing.map(([k]) => k));
    const seenAt = [...latest.entries()].filter(([k]) => !created.has(k)).map(([k, i]) => ({ id: convIds.get(k)!, value: i.message.receivedAt }));
    if (seenAt.length > 0) {
      await q.setById('Conversation', 'lastInboundAt', seenAt);
      await q.run('UPDATE "Conversation" SET "updatedAt" = ? WHERE "id" IN (?*) AND ~"communeId" = ?', [now, seenAt.map((s) => s.id), communeId]);
    }
    if (fresh.length > 0) {
      const inserted = await q.insert<{ id: number }>(
        'INSERT INTO "InboundMessage" ("communeId", "channel", "platformMessageId", "conversationId", "citizenRef", "kind", "text", "payload", "message", "receivedAt")',
        fresh.map(({ message, ref }) => [
          communeId,
          message.channel,
          message.platformMessageId,
          convIds.get(convKey(message.channel, message.address))!,
          ref,
          message.kind,
          message.text,
          message.payload ?? null,
          JSON.stringify(serialiseInbound(message)),
          message.receivedAt,
        ]),
        'RETURNING "id"',
      );
      const ids = inserted.map((r) => asNumber(r.id)).sort((a, b) => a - b);
      fresh.forEach(({ message }, n) => stored.set(keyOf(message), { id: ids[n]!, conversationId: convIds.get(convKey(message.channel, message.address))! }));
      const tallies = new TallyBatch();
      for (const { message, ref } of fresh) tallies.inbound({ channel: message.channel, kind: message.kind, citizenRef: ref, receivedAt: message.receivedAt });
      await tallies.flush(q);
    }
    const firstOf = new Set(fresh);
    return items.map((item) => {
      const row = stored.get(keyOf(item.message))!;
      return { id: row.id, conversationId: row.conversationId, duplicate: !firstOf.has(item) };
    });
  });
}

/** A claimed message with its conversation, for processing. */
export interface InboundForProcessing {
  id: number;
  channel: string;
  citizenRef: string;
  /** The normalized message as stored (see {@link deserialiseInbound}). */
  message: unknown;
  conversationId: number;
  conversation: { id: number; address: string; state: string; context: unknown };
}

/** Claimed messages with their conversations, for processing (one SELECT). */
export async function loadInboundWithConversations(db: Db, ids: number[]): Promise<InboundForProcessing[]> {
  if (ids.length === 0) return [];
  const q = sqlOf(db);
  const rows = await q.all<{ id: number; channel: string; citizenRef: string; message: unknown; conversationId: number; address: string; state: string; context: unknown }>(
    'SELECT i."id", i."channel", i."citizenRef", i."message", i."conversationId", c."address", c."state", c."context" FROM "InboundMessage" i JOIN "Conversation" c ON c."id" = i."conversationId" WHERE i."id" IN (?*) AND ~i."communeId" = ?',
    [ids, communeOf(q)],
  );
  return rows.map((r) => ({
    id: asNumber(r.id),
    channel: r.channel,
    citizenRef: r.citizenRef,
    message: asJson(r.message),
    conversationId: asNumber(r.conversationId),
    conversation: { id: asNumber(r.conversationId), address: r.address, state: r.state, context: asJson(r.context) },
  }));
}

/** Saves the engine's new context; `handedOverAt` set: the conversation now waits for staff. */
export async function saveConversationContext(tx: SqlTarget, conversationId: number, context: object, handedOverAt: Date | null): Promise<void> {
  const q = runnerOf(tx);
  const now = new Date();
  if (handedOverAt) {
    await q.run('UPDATE "Conversation" SET "context" = ?, "state" = \'waiting_staff\', "handedOverAt" = ?, "updatedAt" = ? WHERE "id" = ? AND ~"communeId" = ?', [
      JSON.stringify(context),
      handedOverAt,
      now,
      conversationId,
      communeOf(q),
    ]);
  } else {
    await q.run('UPDATE "Conversation" SET "context" = ?, "updatedAt" = ? WHERE "id" = ? AND ~"communeId" = ?', [JSON.stringify(context), now, conversationId, communeOf(q)]);
  }
}

/**
 * Saves the new contexts of many conversations that stay with the bot (a group commit's batch: one Prisma update per
 * message was a tenth of the ledger's CPU per answer). Handovers go through {@link saveConversationContext}, which
 * also changes the state.
 */
export async function saveConversationContexts(tx: SqlTarget, contexts: { conversationId: number; context: object }[]): Promise<void> {
  if (contexts.length === 0) return;
  await runnerOf(tx).setById('Conversation', 'context', contexts.map((c) => ({ id: c.conversationId, value: JSON.stringify(c.context) })));
}

/** Files questions the bot could not answer, for staff (one INSERT for the batch). */
export async function fileUnansweredQuestions(
  tx: SqlTarget,
  rows: { inboundId: number; conversationId: number; channel: string; text: string; folded: string }[],
  at: Date,
): Promise<void> {
  const q = runnerOf(tx);
  const communeId = communeOf(q);
  await q.insert(
    'INSERT INTO "UnansweredQuestion" ("communeId", "inboundId", "conversationId", "channel", "text", "folded", "createdAt")',
    rows.map((r) => [communeId, r.inboundId, r.conversationId, r.channel, r.text, r.folded, at]),
  );
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

/**
 * Claims many received messages at once; returns the ids this caller won (one UPDATE … RETURNING: rows another
 * worker or instance took meanwhile are simply not returned).
 */
export async function claimInboundBatch(db: Db, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const q = sqlOf(db);
  const won = await q.all<{ id: number }>(
    'UPDATE "InboundMessage" SET "status" = \'processing\', "attempts" = "attempts" + 1, "claimedAt" = ? WHERE "id" IN (?*) AND ~"status" = \'received\' AND ~"communeId" = ? RETURNING "id"',
    [new Date(), ids, communeOf(q)],
  );
  const mine = new Set(won.map((r) => asNumber(r.id)));
  return ids.filter((id) => mine.has(id));
}

/** Marks processed messages inside the caller's transaction, and counts their outcomes in the roll-ups. */
export async function finishInboundBatch(
  tx: SqlTarget,
  results: { id: number; outcome: string; procedureCode?: string | null; field?: string | null }[],
  at: Date,
): Promise<void> {
  if (results.length === 0) return;
  const q = runnerOf(tx);
  const communeId = communeOf(q);
  // What the rows held before, so a message re-processed after a crash is not counted twice.
  const before = await q.all<{ id: number; channel: string; kind: string; receivedAt: unknown; outcome: string | null; procedureCode: string | null; field: string | null }>(
    'SELECT "id", "channel", "kind", "receivedAt", "outcome", "procedureCode", "field" FROM "InboundMessage" WHERE "id" IN (?*) AND ~"communeId" = ?',
    [results.map((r) => r.id), communeId],
  );
  // One statement per distinct (outcome, procedure, field).
  const groups = new Map<string, { ids: number[]; outcome: string; procedureCode: string | null; field: string | null }>();
  for (const r of results) {
    const key = JSON.stringify([r.outcome, r.procedureCode ?? null, r.field ?? null]);
    const g = groups.get(key) ?? { ids: [], outcome: r.outcome, procedureCode: r.procedureCode ?? null, field: r.field ?? null };
    g.ids.push(r.id);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    await q.run('UPDATE "InboundMessage" SET "status" = \'processed\', "outcome" = ?, "procedureCode" = ?, "field" = ?, "processedAt" = ? WHERE "id" IN (?*) AND ~"communeId" = ?', [
      g.outcome,
      g.procedureCode,
      g.field,
      at,
      g.ids,
      communeId,
    ]);
  }
  const tallies = new TallyBatch();
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const prev of before) {
    const r = byId.get(asNumber(prev.id))!;
    const receivedAt = asDate(prev.receivedAt);
    const row = { channel: prev.channel, kind: prev.kind, receivedAt, outcome: r.outcome, procedureCode: r.procedureCode ?? null, field: r.field ?? null };
    tallies.outcome(row, prev.outcome ? { ...prev, receivedAt, outcome: prev.outcome } : null);
  }
  await tallies.flush(q);
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
