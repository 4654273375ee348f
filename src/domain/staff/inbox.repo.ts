/** The staff inbox: conversations, those waiting for staff first, and one conversation's thread from the ledger. */
import type { Db } from '../../db/client.js';
import type { OutboundBody } from '../ledger/outbox.repo.js';

export interface ConversationSummary {
  id: number;
  channel: string;
  state: string;
  lastInboundAt: Date | null;
  handedOverAt: Date | null;
  updatedAt: Date;
  lastText: string | null;
  /** The officer it is assigned to, by name; null: anyone. */
  assignee: string | null;
}

const stateOrder: Record<string, number> = { waiting_staff: 0, staff: 1, bot: 2 };

/** Conversations waiting for staff first, then those staff are handling, then the rest; newest first in each. */
export async function listConversations(db: Db, filter: { state?: string; assignedToId?: number; take?: number } = {}): Promise<ConversationSummary[]> {
  const rows = await db.conversation.findMany({
    where: {
      ...(filter.state ? { state: filter.state } : {}),
      ...(filter.assignedToId !== undefined ? { assignedToId: filter.assignedToId } : {}),
    },
    orderBy: [{ lastInboundAt: 'desc' }, { id: 'desc' }],
    take: filter.take ?? 100,
    select: {
      id: true, channel: true, state: true, lastInboundAt: true, handedOverAt: true, updatedAt: true,
      inbound: { orderBy: { id: 'desc' }, take: 1, select: { text: true } },
      assignedTo: { select: { username: true, displayName: true } },
    },
  });
  return rows
    .map(({ inbound, assignedTo, ...c }) => ({ ...c, lastText: inbound[0]?.text ?? null, assignee: assignedTo ? (assignedTo.displayName ?? assignedTo.username) : null }))
    .sort((a, b) => (stateOrder[a.state] ?? 3) - (stateOrder[b.state] ?? 3));
}


export interface ThreadItem {
  direction: 'in' | 'out';
  /** For outbound: reply | staff | post. */
  kind: string;
  text: string;
  at: Date;
  /** Outbound delivery status and error, shown to staff. */
  status?: string;
  error?: string | null;
  /** The officer named on a staff reply. */
  author?: string;
}

export interface ConversationThread {
  id: number;
  channel: string;
  state: string;
  citizenRef: string;
  lastInboundAt: Date | null;
  handedOverAt: Date | null;
  assignedToId: number | null;
  items: ThreadItem[];
}

/** One conversation with its last `take` messages in both directions, oldest first. */
export async function conversationThread(db: Db, id: number, take = 200): Promise<ConversationThread | null> {
  const c = await db.conversation.findUnique({ where: { id } });
  if (!c) return null;
  const [inbound, outbound] = await Promise.all([
    db.inboundMessage.findMany({ where: { conversationId: id }, orderBy: { id: 'desc' }, take, select: { text: true, kind: true, receivedAt: true } }),
    db.outboundMessage.findMany({
      where: { conversationId: id },
      orderBy: { id: 'desc' },
      take,
      select: { kind: true, text: true, body: true, createdAt: true, status: true, lastError: true },
    }),
  ]);
  const items: ThreadItem[] = [
    ...inbound.map((m) => ({ direction: 'in' as const, kind: m.kind, text: m.text, at: m.receivedAt })),
    ...outbound.map((m) => {
      const reply = (m.body as Partial<OutboundBody> | null)?.reply;
      const author = reply?.kind === 'text' ? reply.author : undefined;
      // Staff read the message itself; the officer's name goes into the line under it.
      const text = author && m.text.startsWith(`${author}:\n`) ? m.text.slice(author.length + 2) : m.text;
      return { direction: 'out' as const, kind: m.kind, text, at: m.createdAt, status: m.status, error: m.lastError, ...(author ? { author } : {}) };
    }),
  ].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.direction === 'in' ? -1 : 1));
  return {
    id: c.id, channel: c.channel, state: c.state, citizenRef: c.citizenRef,
    lastInboundAt: c.lastInboundAt, handedOverAt: c.handedOverAt, assignedToId: c.assignedToId, items: items.slice(-take),
  };
}
