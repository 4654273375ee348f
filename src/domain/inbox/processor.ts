/**
 * The inbound pipeline: store first (so the webhook can answer 200), process after, exactly once per platform
 * message. Processing runs the conversation engine and, in ONE transaction, queues the replies in the ledger,
 * saves the conversation context and marks the message processed; the dispatcher then sends the queued rows.
 * A crash at any point leaves rows that `recover()` picks up after restart.
 */
import type { Db } from '../../db/client.js';
import { encodePayload } from '../conversation/payloads.js';
import type { Logger } from '../logger.js';
import { foldText } from '../text/normalize.js';
import type { InboundMessage, RejectedInbound, Reply } from '../messages.js';
import { storeRejectedEvents } from '../ledger/rejected.repo.js';
import { admitInbound } from './admit.js';
import { citizenRef } from '../ledger/citizen.js';
import type { Dispatcher } from '../ledger/dispatcher.js';
import {
  claimInboundBatch,
  deserialiseInbound,
  failInbound,
  fileUnansweredQuestions,
  loadInboundWithConversations,
  saveConversationContext,
  saveConversationContexts,
  findUnprocessed,
  finishInboundBatch,
  storeInbound,
  storeInboundBatch,
  type InboundToStore,
  type StoredInbound,
} from '../ledger/inbound.repo.js';
import { enqueueOutbound, expireSending, findDueOutbound, type OutboundDraft } from '../ledger/outbox.repo.js';
import { sqlOf, type SqlRunner } from '../../db/sql.js';
import { GroupCommit } from './group-commit.js';
import { staffAlertDraft, type StaffAlertTarget } from './staff-alert.js';
import { acknowledgeClosing, outputWhileWithStaff } from './with-staff.js';
import { errorKind } from '../logger.js';

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

export type Responder = (input: { message: InboundMessage; context: unknown; conversationId?: number }) => EngineOutput | Promise<EngineOutput>;

/**
 * Receives normalized messages from a channel (and the verified events it could not normalize); resolves once
 * what can be stored is durably stored, and rejects only when one of these messages could not be (so the webhook
 * answers 5xx and the platform re-delivers). A bad event is kept as rejected and never fails its neighbours.
 */
export type InboundSink = (messages: InboundMessage[], rejected?: RejectedInbound[]) => Promise<void>;

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
  /** Tell a staff group when a citizen asks for a person (STAFF_TELEGRAM_CHAT_ID). */
  staffAlert?: StaffAlertTarget;
  /**
   * Backpressure: while more stored messages than this are not answered yet (engine, ledger, Send calls), a
   * webhook's answer (its messages already stored) waits for room, up to `maxAckWaitMs`. Acknowledging is cheap and
   * answering is not, so without it a busy process takes deliveries faster than it answers them and the queue (the
   * citizen's wait, and memory) grows for as long as the burst lasts; with it the platform slows its deliveries
   * instead. Default 64 messages, 2 s.
   */
  maxUnanswered?: number;
  maxAckWaitMs?: number;
}

export class InboxProcessor {
  private readonly chains = new Map<number, Promise<void>>();
  /** Inbound ids queued or running in this process's chains. */
  private readonly scheduled = new Set<number>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  /** Scheduled messages not answered yet (see InboxDeps.maxUnanswered). */
  private unanswered = 0;
  private roomWaiters: (() => void)[] = [];
  private readonly now: () => Date;

  /** Webhook stores arriving together share one transaction. */
  private readonly storing = new GroupCommit<InboundToStore, StoredInbound | StoreFailure>((items) => this.storeBatch(items));
  /** Messages of different conversations ready together are processed in one transaction. */
  private readonly processing = new GroupCommit<number, { dispatched: Promise<void> }>((ids) => this.processBatch(ids));

  constructor(private readonly deps: InboxDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The sink channels deliver into. Duplicates (re-deliveries) are stored once and processed once. */
  readonly accept: InboundSink = async (messages, rejected = []) => {
    const now = this.now();
    const refused = [...rejected];
    const admitted: InboundMessage[] = [];
    for (const message of messages) {
      const admission = admitInbound(message, now);
      if (admission.ok) admitted.push(admission.message);
      else refused.push({ channel: message.channel, reason: admission.reason, event: { platformMessageId: message.platformMessageId, address: message.address, kind: message.kind } });
    }
    if (refused.length > 0) {
      await storeRejectedEvents(this.deps.db, refused, now);
      for (const r of refused) this.deps.log.warn({ channel: r.channel, reason: r.reason }, 'webhook event refused; kept as a rejected event');
    }
    if (admitted.length === 0) return;
    const items = admitted.map((message) => ({ message, ref: citizenRef(this.deps.citizenSecret, message.channel, message.address) }));
    const stored = await this.storing.add(items);
    const failure = stored.find((s): s is StoreFailure => s instanceof StoreFailure);
    stored.forEach((s, i) => {
      if (s instanceof StoreFailure) return;
      const message = items[i]!.message;
      if (s.duplicate) {
        this.deps.log.info({ channel: message.channel, citizenRef: items[i]!.ref }, 'duplicate inbound ignored');
        return;
      }
      this.schedule(s.conversationId, s.id);
    });
    if (failure) throw failure.cause;
    await this.room();
  };

  /** Resolves when the engine and ledger have room again (or after maxAckWaitMs: the messages are stored anyway). */
  private room(): Promise<void> {
    if (this.unanswered <= (this.deps.maxUnanswered ?? 64)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.deps.maxAckWaitMs ?? 2_000);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.roomWaiters.push(done);
    });
  }

  private answered(): void {
    this.unanswered--;
    if (this.roomWaiters.length === 0) return;
    const free = (this.deps.maxUnanswered ?? 64) - this.unanswered;
    for (const w of this.roomWaiters.splice(0, Math.max(0, free))) w();
  }

  private async storeBatch(items: InboundToStore[]): Promise<(StoredInbound | StoreFailure)[]> {
    try {
      return await storeInboundBatch(this.deps.db, items);
    } catch (e) {
      // A concurrent writer (another instance) stored one of them first, or one of them cannot be stored: store one
      // by one, each idempotently, so one failure fails only the webhook that brought it.
      this.deps.log.debug({ size: items.length, cause: errorKind(e) }, 'batched inbound store failed; storing one by one');
      const out: (StoredInbound | StoreFailure)[] = [];
      for (const item of items) {
        try {
          out.push(await storeInbound(this.deps.db, item.message, item.ref));
        } catch (err) {
          this.deps.log.error({ channel: item.message.channel, citizenRef: item.ref, cause: errorKind(err) }, 'storing an inbound message failed');
          out.push(new StoreFailure(err));
        }
      }
      return out;
    }
  }

  /** Processes one message after the ones before it in the same conversation. */
  schedule(conversationId: number, inboundId: number): void {
    this.inFlight++;
    this.unanswered++;
    this.scheduled.add(inboundId);
    const previous = this.chains.get(conversationId) ?? Promise.resolve();
    const next = previous
      .then(() => this.process(inboundId))
      .catch((e: unknown) => this.deps.log.error({ inboundId, cause: errorKind(e) }, 'inbound processing crashed'))
      .finally(() => {
        this.answered();
        this.scheduled.delete(inboundId);
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

  /** Processes one stored message (claim, engine, ledger rows in one transaction, dispatch), batched with others. */
  async process(inboundId: number): Promise<void> {
    const [result] = await this.processing.add([inboundId]);
    await result!.dispatched;
  }

  private async processBatch(ids: number[]): Promise<{ dispatched: Promise<void> }[]> {
    const { db, log } = this.deps;
    const claimed = await claimInboundBatch(db, [...new Set(ids)]);
    const done = { dispatched: Promise.resolve() };
    if (claimed.length === 0) return ids.map(() => done);
    const rows = await loadInboundWithConversations(db, claimed);
    // Conversations run concurrently; messages of one conversation (possible when a restart's recovery meets new
    // deliveries) in order, each seeing the context and state the previous one left.
    const byConversation = new Map<number, typeof rows>();
    for (const row of rows.sort((a, b) => a.id - b.id)) {
      const list = byConversation.get(row.conversationId) ?? [];
      list.push(row);
      byConversation.set(row.conversationId, list);
    }
    const threads = await Promise.all(
      [...byConversation.values()].map(async (thread) => {
        const out: Work[] = [];
        let context: unknown = thread[0]!.conversation.context;
        let state = thread[0]!.conversation.state;
        for (const row of thread) {
          const message = deserialiseInbound(row.message);
          const previousContext = context;
          if (state !== 'bot') {
            out.push({ row, message, previousContext, output: outputWhileWithStaff(message, state, context) });
            continue;
          }
          try {
            const output = acknowledgeClosing(message, await this.deps.respond({ message, context, conversationId: row.conversation.id }), previousContext);
            out.push({ row, message, previousContext, output });
            context = output.context;
            if (output.handover) state = 'waiting_staff';
          } catch (e) {
            // The citizen still gets a polite answer and staff see the question; the context is left as it was.
            log.error({ inboundId: row.id, cause: errorKind(e) }, 'conversation engine failed; sent the apology reply');
            out.push({ row, message, previousContext, output: engineFailureOutput(context) });
          }
        }
        return out;
      }),
    );
    const work = threads.flat();
    let queued: number[] = [];
    try {
      queued = await sqlOf(db).transaction((q) => this.record(q, work));
    } catch (e) {
      // One bad message must not hold back the others: record them one by one, failing only the bad one.
      log.warn({ size: work.length, cause: errorKind(e) }, 'batched ledger write failed; writing one by one');
      queued = [];
      for (const w of work) {
        try {
          queued.push(...(await sqlOf(db).transaction((q) => this.record(q, [w]))));
        } catch (err) {
          await failInbound(db, w.row.id, errorKind(err));
          log.error({ inboundId: w.row.id, cause: errorKind(err) }, 'recording the engine output failed');
        }
      }
    }
    const dispatched = this.deps.dispatcher.dispatch(queued).catch((e: unknown) => log.error({ cause: errorKind(e) }, 'dispatch failed'));
    return ids.map(() => ({ dispatched }));
  }

  /**
   * For a batch of engine outputs, inside the caller's transaction: queues every reply (one INSERT), saves changed
   * conversation contexts, marks the messages processed and files unanswered questions. Returns the queued ids.
   */
  private async record(tx: SqlRunner, work: Work[]): Promise<number[]> {
    const now = this.now();
    const queued = await enqueueOutbound(
      tx,
      work.flatMap(({ row, message, output }): OutboundDraft[] =>
        output.replies.map((reply, seq) => ({
          channel: row.channel,
          kind: 'reply' as const,
          recipientRef: row.citizenRef,
          address: row.conversation.address,
          conversationId: row.conversation.id,
          inboundId: row.id,
          seq,
          procedureCode: output.procedureCode ?? null,
          field: output.field ?? null,
          reply,
          sendContext: { replyContext: message.replyContext, lastInboundAt: message.receivedAt.toISOString() },
        })),
      ).concat(this.alertsFor(work)),
      now,
    );
    // The last context of each conversation in the batch is the one to keep (messages of one conversation ran in order).
    const contexts = new Map<number, object>();
    for (const { row, output, previousContext } of work) {
      const context = (output.context ?? {}) as object;
      if (output.handover) {
        contexts.delete(row.conversation.id);
        await saveConversationContext(tx, row.conversation.id, context, now);
        continue;
      }
      // An unchanged context needs no write (JSON of the same engine output is stable).
      if (JSON.stringify(context) === JSON.stringify(previousContext ?? {})) continue;
      contexts.set(row.conversation.id, context);
    }
    await saveConversationContexts(tx, [...contexts].map(([conversationId, context]) => ({ conversationId, context })));
    await finishInboundBatch(tx, work.map(({ row, output }) => ({ id: row.id, ...output })), now);
    const unanswered = work.filter(({ message, output }) => output.outcome === 'unanswered' && message.text.trim() !== '');
    if (unanswered.length > 0) {
      await fileUnansweredQuestions(
        tx,
        unanswered.map(({ row, message }) => ({ inboundId: row.id, conversationId: row.conversation.id, channel: row.channel, text: message.text, folded: foldText(message.text) })),
        now,
      );
    }
    return queued;
  }

  private alertsFor(work: Work[]): OutboundDraft[] {
    const target = this.deps.staffAlert;
    if (!target) return [];
    return work
      .filter(({ output }) => output.handover)
      .map(({ row, message }) => staffAlertDraft(target, { conversationId: row.conversation.id, channel: row.channel, text: message.text }));
  }

  /** After a restart or on each tick: process what was stored but not processed, send what is due. */
  async recover(): Promise<{ inbound: number; outbound: number; unconfirmed: number }> {
    const { db } = this.deps;
    const now = this.now();
    const unconfirmed = await expireSending(db, now, this.deps.sendingLeaseMs ?? 120_000);
    const inboundIds = await findUnprocessed(db, now, this.deps.processingLeaseMs ?? 120_000);
    // Messages waiting in this process's conversation chains are not orphans: leave them to their chain.
    for (const id of inboundIds) if (!this.scheduled.has(id)) await this.process(id);
    const outboundIds = await findDueOutbound(db, now);
    await this.deps.dispatcher.dispatch(outboundIds);
    return { inbound: inboundIds.length, outbound: outboundIds.length, unconfirmed };
  }
}

/** One message of a batch that could not be stored (the others were). */
class StoreFailure {
  constructor(readonly cause: unknown) {}
}

interface Work {
  row: { id: number; channel: string; citizenRef: string; conversation: { id: number; address: string; state: string; context: unknown } };
  message: InboundMessage;
  /** The context the engine saw (the conversation's, or the one an earlier message of this batch left). */
  previousContext: unknown;
  output: EngineOutput;
}

/** What a citizen gets when the engine throws: an apology and the way to staff, filed as unanswered. */
export function engineFailureOutput(context: unknown): EngineOutput {
  return {
    replies: [
      {
        kind: 'choices',
        text: 'Xin lỗi, hệ thống đang gặp sự cố nên chưa trả lời được câu hỏi của bạn. Bạn vui lòng thử lại sau ít phút, hoặc chọn «Gặp cán bộ» để được hỗ trợ.',
        choices: [{ title: 'Gặp cán bộ', payload: encodePayload({ kind: 'staff' }) }],
      },
    ],
    context,
    outcome: 'unanswered',
    handover: false,
  };
}
