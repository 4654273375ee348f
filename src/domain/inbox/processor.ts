/**
 * The inbound pipeline: store first (so the webhook can answer 200), process after, exactly once per platform
 * message. Processing runs the conversation engine and, in ONE transaction, queues the replies in the ledger,
 * saves the conversation context and marks the message processed; the dispatcher then sends the queued rows.
 * A crash at any point leaves rows that `recover()` picks up after restart.
 */
import type { Db } from '../../db/client.js';
import type { Logger } from '../logger.js';
import type { InboundMessage, Reply } from '../messages.js';
import { citizenRef } from '../ledger/citizen.js';
import type { Dispatcher } from '../ledger/dispatcher.js';
import { claimInbound, deserialiseInbound, failInbound, findUnprocessed, finishInbound, storeInbound } from '../ledger/inbound.repo.js';
import { enqueueOutbound, expireSending, findDueOutbound } from '../ledger/outbox.repo.js';

/** What the conversation engine decides for one message. */
export interface EngineOutput {
  replies: Reply[];
  /** The conversation's new context (JSON-serialisable). */
  context: unknown;
  outcome: string;
  procedureCode?: string | null;
  field?: string | null;
  /** The citizen asked for staff: the conversation now waits for them. */
  handover: boolean;
}

export type Responder = (input: { message: InboundMessage; context: unknown }) => EngineOutput | Promise<EngineOutput>;

/** Receives normalized messages from a channel; resolves once they are durably stored. */
export type InboundSink = (messages: InboundMessage[]) => Promise<void>;

export interface InboxDeps {
  db: Db;
  respond: Responder;
  dispatcher: Dispatcher;
  log: Logger;
  citizenSecret: string;
  now?: () => Date;
  /** A message in `processing` longer than this is assumed orphaned by a crash. */
  processingLeaseMs?: number;
  /** A row in `sending` longer than this becomes unconfirmed. */
  sendingLeaseMs?: number;
}

export class InboxProcessor {
  private readonly chains = new Map<number, Promise<void>>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly now: () => Date;

  constructor(private readonly deps: InboxDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The sink channels deliver into. Duplicates (re-deliveries) are stored once and processed once. */
  readonly accept: InboundSink = async (messages) => {
    for (const message of messages) {
      const stored = await storeInbound(this.deps.db, message, citizenRef(this.deps.citizenSecret, message.channel, message.address));
      if (stored.duplicate) {
        this.deps.log.info({ channel: message.channel, platformMessageId: message.platformMessageId }, 'duplicate inbound ignored');
        continue;
      }
      this.schedule(stored.conversationId, stored.id);
    }
  };

  /** Processes one message after the ones before it in the same conversation. */
  schedule(conversationId: number, inboundId: number): void {
    this.inFlight++;
    const previous = this.chains.get(conversationId) ?? Promise.resolve();
    const next = previous
      .then(() => this.process(inboundId))
      .catch((e: unknown) => this.deps.log.error({ inboundId, cause: String(e) }, 'inbound processing crashed'))
      .finally(() => {
        if (this.chains.get(conversationId) === next) this.chains.delete(conversationId);
        if (--this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    this.chains.set(conversationId, next);
  }

  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  async process(inboundId: number): Promise<void> {
    const { db, log } = this.deps;
    if (!(await claimInbound(db, inboundId))) return;
    const row = await db.inboundMessage.findUniqueOrThrow({ where: { id: inboundId }, include: { conversation: true } });
    const conversation = row.conversation;
    const message = deserialiseInbound(row.message);
    let output: EngineOutput;
    if (conversation.state !== 'bot') {
      output = { replies: [], context: conversation.context, outcome: 'to_staff', handover: false };
    } else {
      try {
        output = await this.deps.respond({ message, context: conversation.context });
      } catch (e) {
        await failInbound(db, inboundId, String(e));
        log.error({ inboundId, cause: String(e) }, 'conversation engine failed');
        return;
      }
    }
    const ids = await db.$transaction(async (tx) => {
      const queued = await enqueueOutbound(
        tx,
        output.replies.map((reply, seq) => ({
          channel: row.channel,
          kind: 'reply' as const,
          recipientRef: row.citizenRef,
          address: conversation.address,
          conversationId: conversation.id,
          inboundId,
          seq,
          procedureCode: output.procedureCode ?? null,
          field: output.field ?? null,
          reply,
          sendContext: { replyContext: message.replyContext, lastInboundAt: message.receivedAt.toISOString() },
        })),
      );
      await tx.conversation.update({
        where: { id: conversation.id },
        data: {
          context: (output.context ?? {}) as object,
          ...(output.handover ? { state: 'waiting_staff', handedOverAt: this.now() } : {}),
        },
      });
      await finishInbound(tx, inboundId, output);
      if (output.outcome === 'unanswered' && message.text.trim() !== '') {
        await tx.unansweredQuestion.create({
          data: { inboundId, conversationId: conversation.id, channel: row.channel, text: message.text, folded: foldForGrouping(message.text) },
        });
      }
      return queued;
    });
    await this.deps.dispatcher.dispatch(ids);
  }

  /** After a restart or on each tick: process what was stored but not processed, send what is due. */
  async recover(): Promise<{ inbound: number; outbound: number; unconfirmed: number }> {
    const { db } = this.deps;
    const now = this.now();
    const unconfirmed = await expireSending(db, now, this.deps.sendingLeaseMs ?? 120_000);
    const inboundIds = await findUnprocessed(db, now, this.deps.processingLeaseMs ?? 120_000);
    for (const id of inboundIds) await this.process(id);
    const outboundIds = await findDueOutbound(db, now);
    await this.deps.dispatcher.dispatch(outboundIds);
    return { inbound: inboundIds.length, outbound: outboundIds.length, unconfirmed };
  }
}

/** Lowercased, accent-free, single-spaced text, so alike unanswered questions group together. */
export function foldForGrouping(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
