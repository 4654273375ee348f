/**
 * The web chat's HTTP surface, mounted at /chat:
 *   GET  /chat                 the page (phone-first), /chat/chat.js, /chat/chat.css, /chat/widget.js
 *   POST /chat/api/session     → { session }                 a new signed session id
 *   POST /chat/api/messages    { session, id, text } | { session, id, payload, title } | { session, event: 'start' }
 *                              → 202 once stored (idempotent on id)
 *   POST /chat/api/replies     { session, after, wait } → { replies, cursor, withStaff }   long poll on the ledger
 *   POST /chat/api/history     { session } → { items, cursor, withStaff }                   the conversation so far
 * `withStaff`: the conversation is with staff, so the page shows no typing dots (nobody answers at once).
 * Replies come from the ledger, not from the POST: staff answers after a handover and replies sent after a
 * restart arrive the same way as the bot's immediate ones. Errors are JSON with a Vietnamese `error`.
 */
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { InboundSink } from '../../domain/inbox/processor.js';
import { errorKind, type Logger } from '../../domain/logger.js';
import { findCommuneName, findConversationId, findHistory, findRepliesAfter, isWithStaff } from './feed.repo.js';
import { historyQuerySchema, messageProblemText, messageSchemaFor, repliesQuerySchema, toInboundMessage } from './inbound.js';
import { allowEmbedding, loadAssets, renderChatPage } from './page.js';
import { TokenBuckets } from './rate-limit.js';
import { sessionTag, type SessionIds } from './session.js';
import type { DeliveredRows } from './send.js';
import type { ReplySignal } from './signal.js';

export interface WebchatRouterDeps {
  db: Db;
  log: Logger;
  sink: InboundSink;
  sessions: SessionIds;
  signal: ReplySignal;
  delivered: DeliveredRows;
  embedOrigins: readonly string[];
  /** Per-session message bucket; per-IP session bucket (tests tighten them). */
  limits?: { messages?: TokenBuckets; sessions?: TokenBuckets; history?: TokenBuckets };
  /** How often a waiting poll re-reads the ledger without a signal (replies sent by another instance). */
  recheckMs?: number;
}

const text = {
  badRequest: 'Yêu cầu không hợp lệ. Xin vui lòng tải lại trang và thử lại.',
  badSession: 'Phiên trò chuyện không hợp lệ hoặc đã hết hạn. Xin vui lòng tải lại trang.',
  tooFast: 'Bạn gửi hơi nhanh. Xin vui lòng chờ vài giây rồi gửi tiếp.',
  historyTooOften: 'Cuộc trò chuyện được tải lại quá nhiều lần. Xin vui lòng chờ vài giây rồi thử lại.',
  tooManySessions: 'Có quá nhiều phiên trò chuyện mới từ địa chỉ này. Xin vui lòng thử lại sau ít phút.',
  tooLarge: 'Tin nhắn dài quá. Xin vui lòng rút gọn câu hỏi và gửi lại.',
  failed: 'Đã có lỗi xảy ra. Xin vui lòng thử lại sau.',
} as const;

/** A refusal the router renders as JSON: status, Vietnamese text for the citizen, English for the log. */
class ChatApiError extends Error {
  constructor(
    readonly status: number,
    readonly publicMessage: string,
    readonly code: string,
    logMessage: string,
  ) {
    super(logMessage);
  }
}

/** The widget script with the commune's name written in, so the button and the chat window name the commune. */
async function widgetNamingCommune(script: Buffer, db: Db): Promise<string> {
  const name = await findCommuneName(db);
  // JSON is a JavaScript literal; "<" escaped so the name can never close a script element.
  return script.toString('utf8').replace('/*COMMUNE_NAME*/null', JSON.stringify(name).replace(/</g, '\\u003c'));
}

export function createWebchatRouter(deps: WebchatRouterDeps): Router {
  const { db, log, sink, sessions, signal, delivered } = deps;
  const messageBuckets = deps.limits?.messages ?? new TokenBuckets({ capacity: 8, refillPerSecond: 1 / 3 });
  // Generous: a one-stop desk's or a school's citizens may all come from one NAT address.
  const sessionBuckets = deps.limits?.sessions ?? new TokenBuckets({ capacity: 60, refillPerSecond: 1 / 5 });
  // A page load or a tab coming back reads the history once or twice; a script hammering it reads the database.
  const historyBuckets = deps.limits?.history ?? new TokenBuckets({ capacity: 10, refillPerSecond: 1 / 2 });
  const recheckMs = deps.recheckMs ?? 5_000;
  const assets = loadAssets();
  const router = express.Router();

  router.get('/', async (req, res) => {
    allowEmbedding(res, deps.embedOrigins);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(renderChatPage({ communeName: await findCommuneName(db), base: req.baseUrl, embedded: req.query.embed === '1' }));
  });

  for (const [name, asset] of assets) {
    router.get(`/${name}`, async (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=300');
      // widget.js is loaded by the commune website, another origin: helmet's same-origin CORP would block it.
      if (name === 'widget.js') {
        res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
        res.type(asset.type).send(await widgetNamingCommune(asset.body, db));
        return;
      }
      res.type(asset.type).send(asset.body);
    });
  }

  const api = express.Router();
  api.use(express.json({ limit: '16kb' }));
  router.use('/api', api);

  api.post('/session', (req, res) => {
    if (!sessionBuckets.take(req.ip ?? 'unknown')) throw new ChatApiError(429, text.tooManySessions, 'rate_limited', 'too many new web chat sessions from one address');
    res.setHeader('Cache-Control', 'no-store');
    res.json({ session: sessions.issue() });
  });

  api.post('/messages', async (req, res) => {
    const body = parse(messageSchemaFor(req.body), req.body, 'message');
    requireSession(body.session);
    if (!messageBuckets.take(body.session)) {
      throw new ChatApiError(429, text.tooFast, 'rate_limited', `web chat session ${sessionTag(body.session)} sends too fast`);
    }
    const message = toInboundMessage(body, new Date());
    if (typeof message === 'string') {
      throw new ChatApiError(400, messageProblemText[message], message, `web chat message refused: ${message}`);
    }
    await sink([message]);
    res.status(202).json({ ok: true });
  });

  api.post('/replies', async (req, res) => {
    const query = parse(repliesQuerySchema, req.body, 'replies query');
    requireSession(query.session);
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    // A session keeps at most a few polls open; more (many tabs, a buggy client) are answered at once.
    const waitMs = signal.waiting(query.session) >= 3 ? 0 : query.wait * 1000;
    const deadline = Date.now() + waitMs;
    let conversationId: number | null = null;
    for (;;) {
      const mark = signal.mark();
      conversationId ??= await findConversationId(db, query.session);
      const replies = conversationId === null ? [] : await findRepliesAfter(db, conversationId, query.after, delivered.idsFor(query.session));
      const left = deadline - Date.now();
      if (replies.length > 0 || left <= 0 || aborted.signal.aborted || signal.isClosed) {
        res.setHeader('Cache-Control', 'no-store');
        // Stopping: free the socket now instead of leaving it keep-alive, so the server closes at once.
        if (signal.isClosed) res.setHeader('Connection', 'close');
        res.json({ replies, cursor: replies.at(-1)?.id ?? query.after, withStaff: await isWithStaff(db, conversationId) });
        return;
      }
      await signal.wait(query.session, Math.min(left, recheckMs), aborted.signal, mark);
    }
  });

  api.post('/history', async (req, res) => {
    const query = parse(historyQuerySchema, req.body, 'history query');
    requireSession(query.session);
    if (!historyBuckets.take(query.session)) {
      throw new ChatApiError(429, text.historyTooOften, 'rate_limited', `web chat session ${sessionTag(query.session)} reads its history too often`);
    }
    const conversationId = await findConversationId(db, query.session);
    res.setHeader('Cache-Control', 'no-store');
    const history = conversationId === null ? { items: [], cursor: 0 } : await findHistory(db, conversationId, delivered.idsFor(query.session));
    res.json({ ...history, withStaff: await isWithStaff(db, conversationId) });
  });

  api.use((_req, _res) => {
    throw new ChatApiError(404, text.badRequest, 'not_found', 'unknown web chat API path');
  });

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    if (err instanceof ChatApiError) {
      log.warn({ path: req.originalUrl, status: err.status, code: err.code, cause: err.message }, 'web chat request refused');
      res.status(err.status).json({ error: err.publicMessage, code: err.code });
      return;
    }
    const e = err as { status?: number; type?: string; message?: string };
    if (e.status === 413) {
      log.warn({ path: req.originalUrl, status: 413 }, 'web chat body too large');
      res.status(413).json({ error: text.tooLarge, code: 'too_large' });
      return;
    }
    if (e.status !== undefined && e.status < 500) {
      log.warn({ path: req.originalUrl, status: e.status, type: e.type, cause: e.message }, 'web chat request unreadable');
      res.status(400).json({ error: text.badRequest, code: 'bad_request' });
      return;
    }
    log.error({ path: req.originalUrl, cause: errorKind(err) }, 'web chat request failed');
    if (!res.headersSent) res.status(500).json({ error: text.failed, code: 'failed' });
  };
  router.use(onError);

  function requireSession(session: string): void {
    if (!sessions.verify(session)) throw new ChatApiError(401, text.badSession, 'session', 'web chat session id not issued by this service');
  }

  return router;
}

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ChatApiError(400, text.badRequest, 'bad_request', `invalid web chat ${what}: ${issue?.path.join('.') || '(body)'} ${issue?.message ?? ''}`);
  }
  return result.data;
}
