/** The staff inbox: conversations, those waiting for staff first, and one conversation's thread from the ledger. */
import type { Db } from '../../db/client.js';

export interface ConversationSummary {
  id: number;
  channel: string;
  state: string;
  lastInboundAt: Date | null;
  handedOverAt: Date | null;
  updatedAt: Date;
  lastText: string | null;
}

const stateOrder: Record<string, number> = { waiting_staff: 0, staff: 1, bot: 2 };

/** Conversations waiting for staff first, then those staff are handling, then the rest; newest first in each. */
export async function listConversations(db: Db, filter: { state?: string; take?: number } = {}): Promise<ConversationSummary[]> {
  const rows = await db.conversation.findMany({
    where: filter.state ? { state: filter.state } : {},
    orderBy: [{ lastInboundAt: 'desc' }, { id: 'desc' }],
    take: filter.take ?? 100,
    select: {
      id: true, channel: true, state: true, lastInboundAt: true, handedOverAt: true, updatedAt: true,
      inbound: { orderBy: { id: 'desc' }, take: 1, select: { text: true } },
    },
  });
  return rows
    .map(({ inbound, ...c }) => ({ ...c, lastText: inbound[0]?.text ?? null }))
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
}

export interface ConversationThread {
  id: number;
  channel: string;
  state: string;
  citizenRef: string;
  lastInboundAt: Date | null;
  handedOverAt: Date | null;
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
      select: { kind: true, text: true, createdAt: true, status: true, lastError: true },
    }),
  ]);
  const items: ThreadItem[] = [
    ...inbound.map((m) => ({ direction: 'in' as const, kind: m.kind, text: m.text, at: m.receivedAt })),
    ...outbound.map((m) => ({ direction: 'out' as const, kind: m.kind, text: m.text, at: m.createdAt, status: m.status, error: m.lastError })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.direction === 'in' ? -1 : 1));
  return {
    id: c.id, channel: c.channel, state: c.state, citizenRef: c.citizenRef,
    lastInboundAt: c.lastInboundAt, handedOverAt: c.handedOverAt, items: items.slice(-take),
  };
}
