/**
 * What the browser reads: the web chat conversation of one session, taken from the ledger. Bot and staff replies
 * are OutboundMessage rows the outlet marked sent; the citizen's own lines are InboundMessage rows. Every query is
 * scoped to the conversation of the session asking, so one session can never read another's messages.
 */
import type { Db } from '../../db/client.js';
import type { OutboundBody } from '../../domain/ledger/outbox.repo.js';
import type { Reply } from '../../domain/messages.js';
import { communeIdOf } from '../../db/tenant.js';

export const webchatChannel = 'webchat';

/** One reply as the browser renders it; `id` is the ledger row id and the feed's cursor. */
export interface FeedReply {
  id: number;
  reply: Reply;
  at: string;
}

export type HistoryItem = ({ from: 'bot' } & FeedReply) | { from: 'citizen'; id: number; text: string; at: string };

/** The conversation id of a web chat session, or null before its first message. */
export async function findConversationId(db: Db, session: string): Promise<number | null> {
  const row = await db.conversation.findUnique({
    where: { communeId_channel_address: { communeId: communeIdOf(db), channel: webchatChannel, address: session } },
    select: { id: true },
  });
  return row?.id ?? null;
}

/**
 * True while the conversation is with staff (waiting for them or answered by them): the page then shows no typing
 * dots, since no assistant answers at once.
 */
export async function isWithStaff(db: Db, conversationId: number | null): Promise<boolean> {
  if (conversationId === null) return false;
  const row = await db.conversation.findUnique({ where: { id: conversationId }, select: { state: true } });
  return row !== null && row.state !== 'bot';
}

/**
 * The rows a session may see: `sent` ones, and those this process has just handed over (`delivered`) while the
 * dispatcher has not yet recorded them as sent.
 */
function visible(delivered: number[]) {
  return delivered.length === 0 ? { status: 'sent' } : { OR: [{ status: 'sent' }, { status: 'sending', id: { in: delivered } }] };
}

/** Delivered replies of a conversation with a ledger id above `afterId`, oldest first. */
export async function findRepliesAfter(db: Db, conversationId: number, afterId: number, delivered: number[] = [], limit = 50): Promise<FeedReply[]> {
  const rows = await db.outboundMessage.findMany({
    where: { conversationId, channel: webchatChannel, id: { gt: afterId }, ...visible(delivered) },
    orderBy: { id: 'asc' },
    take: limit,
    select: { id: true, body: true, sentAt: true, createdAt: true },
  });
  return rows.map(toFeedReply);
}

/**
 * The last `limit` lines of a conversation (the citizen's and the replies), oldest first, and the reply cursor.
 * A reply is placed right after the message it answers (it may have been sent after the citizen's next message);
 * replies that answer nothing (staff) by the time they were sent.
 */
export async function findHistory(
  db: Db,
  conversationId: number,
  delivered: number[] = [],
  limit = 60,
): Promise<{ items: HistoryItem[]; cursor: number }> {
  const [inbound, outbound, last] = await Promise.all([
    db.inboundMessage.findMany({
      where: { conversationId },
      orderBy: { id: 'desc' },
      take: limit,
      select: { id: true, kind: true, text: true, receivedAt: true },
    }),
    db.outboundMessage.findMany({
      where: { conversationId, channel: webchatChannel, ...visible(delivered) },
      orderBy: { id: 'desc' },
      take: limit,
      select: { id: true, body: true, sentAt: true, createdAt: true, inboundId: true },
    }),
    db.outboundMessage.findFirst({
      where: { conversationId, channel: webchatChannel, ...visible(delivered) },
      orderBy: { id: 'desc' },
      select: { id: true },
    }),
  ]);
  const receivedAt = new Map(inbound.map((r) => [r.id, r.receivedAt.getTime()]));
  const keyed: { item: HistoryItem; time: number; rank: number }[] = [
    ...inbound
      .filter((r) => r.kind === 'text' || r.kind === 'choice')
      .map((r) => ({ item: { from: 'citizen' as const, id: r.id, text: r.text, at: r.receivedAt.toISOString() }, time: r.receivedAt.getTime(), rank: 0 })),
    ...outbound.map((r) => {
      const item = { from: 'bot' as const, ...toFeedReply(r) };
      const answered = r.inboundId === null ? undefined : receivedAt.get(r.inboundId);
      return { item, time: answered ?? Date.parse(item.at), rank: 1 };
    }),
  ];
  keyed.sort((a, b) => a.time - b.time || a.rank - b.rank || a.item.id - b.item.id);
  return { items: keyed.slice(-limit).map((k) => k.item), cursor: last?.id ?? 0 };
}

/** The commune's name for the chat header, when its profile is loaded. */
export async function findCommuneName(db: Db): Promise<string | null> {
  const profile = await db.communeProfile.findUnique({ where: { communeId: communeIdOf(db) }, select: { name: true } });
  return profile?.name ?? null;
}

function toFeedReply(r: { id: number; body: unknown; sentAt: Date | null; createdAt: Date }): FeedReply {
  return { id: r.id, reply: (r.body as OutboundBody).reply, at: (r.sentAt ?? r.createdAt).toISOString() };
}
