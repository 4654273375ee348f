/**
 * Messenger webhook: the GET verification handshake, then POSTs signed with X-Hub-Signature-256 (HMAC-SHA256 of the
 * raw bytes with the App Secret). A verified body is parsed with zod into InboundMessage[] and handed to the sink
 * in one call before the 200, so an acknowledged event is stored. Echoes, deliveries and reads are ignored.
 */
import { createHmac } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { InboundSink } from '../../domain/inbox/processor.js';
import type { Logger } from '../../domain/logger.js';
import type { InboundMessage, RejectedInbound } from '../../domain/messages.js';
import { LogOnce } from '../shared/log-once.js';
import { rawBody, safeEqual } from '../shared/raw-body.js';

/** Payload of the Get Started button (set by `npm run messenger:profile`). */
export const GET_STARTED_PAYLOAD = 'GET_STARTED';

const id = z.union([z.string().min(1), z.number().int().nonnegative().transform(String)]);

const messagingEvent = z.object({
  sender: z.object({ id }),
  recipient: z.object({ id }).optional(),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: z.string().min(1),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      attachments: z.array(z.unknown()).optional(),
    })
    .optional(),
  postback: z.object({ title: z.string().optional(), payload: z.string(), mid: z.string().optional() }).optional(),
});

const envelope = z.object({
  object: z.literal('page'),
  entry: z.array(
    z.object({
      id: id.optional(),
      time: z.number().optional(),
      // Each event is checked on its own: one unknown event kind must not drop its neighbours.
      messaging: z.array(z.unknown()).optional(),
    }),
  ),
});

export interface ParsedMessenger {
  messages: InboundMessage[];
  /** The same messages by the Page that received them (`entry.id`, else the event's recipient). */
  byPage: Map<string, InboundMessage[]>;
  /** The rejected events by the Page that received them: stored in that Page's commune. */
  rejectedByPage: Map<string, RejectedInbound[]>;
  ignored: number;
  /** Events of a verified body that could not be normalized, with the reason (kept, never failing the others). */
  rejected: RejectedInbound[];
}

/** Normalizes a verified Messenger webhook body; throws a ZodError when the envelope itself is malformed. */
export function parseMessengerBody(body: unknown, now: () => Date = () => new Date()): ParsedMessenger {
  const parsed = envelope.parse(body);
  const messages: InboundMessage[] = [];
  const rejected: RejectedInbound[] = [];
  const byPage = new Map<string, InboundMessage[]>();
  const rejectedByPage = new Map<string, RejectedInbound[]>();
  let ignored = 0;
  for (const entry of parsed.entry) {
    for (const raw of entry.messaging ?? []) {
      const event = messagingEvent.safeParse(raw);
      const page = entry.id ?? (raw as { recipient?: { id?: unknown } } | null)?.recipient?.id?.toString() ?? '';
      if (!event.success) {
        const issue = event.error.issues[0];
        const r: RejectedInbound = { channel: 'messenger', reason: `event has an unexpected shape: ${issue?.path.join('.') || '(event)'}: ${issue?.message ?? 'invalid'}`, event: raw };
        rejected.push(r);
        const list = rejectedByPage.get(page);
        if (list) list.push(r);
        else rejectedByPage.set(page, [r]);
        continue;
      }
      const message = toInbound(event.data, now);
      if (!message) {
        ignored++;
        continue;
      }
      messages.push(message);
      const list = byPage.get(page);
      if (list) list.push(message);
      else byPage.set(page, [message]);
    }
  }
  return { messages, byPage, rejectedByPage, ignored, rejected };
}

function toInbound(event: z.infer<typeof messagingEvent>, now: () => Date): InboundMessage | null {
  const address = event.sender.id;
  const receivedAt = event.timestamp !== undefined ? new Date(event.timestamp) : now();
  const base = { channel: 'messenger' as const, address, receivedAt };
  if (event.message) {
    const m = event.message;
    if (m.is_echo) return null;
    const text = (m.text ?? '').normalize('NFC');
    if (m.quick_reply) return { ...base, platformMessageId: m.mid, kind: 'choice', text, payload: m.quick_reply.payload };
    if (text.trim() !== '') return { ...base, platformMessageId: m.mid, kind: 'text', text };
    return { ...base, platformMessageId: m.mid, kind: 'unsupported', text: '' };
  }
  if (event.postback) {
    const p = event.postback;
    // Postbacks carry a mid since Graph v11; older ones are keyed by sender and time (what a re-delivery repeats).
    const platformMessageId = p.mid ?? `postback:${address}:${event.timestamp ?? receivedAt.getTime()}`;
    if (p.payload === GET_STARTED_PAYLOAD) return { ...base, platformMessageId, kind: 'start', text: '' };
    return { ...base, platformMessageId, kind: 'choice', text: (p.title ?? '').normalize('NFC'), payload: p.payload };
  }
  return null;
}

export interface MessengerWebhookOptions {
  /** The Meta app's secret: one app serves every commune's Page. */
  appSecret: string;
  verifyToken: string;
  log: Logger;
  /** The sink of the commune whose Page has this id; null for a Page no commune has. */
  route: (pageId: string) => InboundSink | null;
}

/**
 * The router mounted at /webhooks/messenger, for every Page of the app: each entry goes to its Page's commune.
 * Entries of unknown Pages are dropped and logged once per Page; a body with only unknown Pages is refused (403).
 */
export function messengerWebhook(options: MessengerWebhookOptions): Router {
  const { appSecret, verifyToken, log, route } = options;
  const unknownPages = new LogOnce();
  const router = Router();

  router.get('/', (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && typeof token === 'string' && safeEqual(token, verifyToken) && typeof challenge === 'string') {
      log.info({ channel: 'messenger' }, 'webhook verification handshake accepted');
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    log.warn({ channel: 'messenger', mode }, 'webhook verification handshake refused: wrong verify token or mode');
    res.status(403).type('text/plain').send('Forbidden');
  });

  router.post('/', rawBody('1mb'), async (req, res, next) => {
    try {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const refusal = checkSignature(req, raw, appSecret);
      if (refusal) {
        log.warn({ channel: 'messenger', status: refusal.status, ip: req.ip }, `webhook refused: ${refusal.reason}`);
        res.status(refusal.status).json({ error: 'invalid signature' });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        log.warn({ channel: 'messenger', bytes: raw.length }, 'webhook body is not JSON; ignored');
        res.status(400).json({ error: 'malformed JSON' });
        return;
      }
      let parsed: ParsedMessenger;
      try {
        parsed = parseMessengerBody(json);
      } catch (e) {
        log.warn({ channel: 'messenger', cause: e instanceof z.ZodError ? e.issues.slice(0, 3) : String(e) }, 'webhook body has an unexpected shape; ignored');
        res.status(400).json({ error: 'unexpected body' });
        return;
      }
      if (parsed.ignored > 0) log.debug({ channel: 'messenger', ignored: parsed.ignored }, 'non-message events ignored');
      const routed: [InboundSink, InboundMessage[], RejectedInbound[]][] = [];
      const unknown: string[] = [];
      for (const pageId of new Set([...parsed.byPage.keys(), ...parsed.rejectedByPage.keys()])) {
        const sink = route(pageId);
        if (sink) routed.push([sink, parsed.byPage.get(pageId) ?? [], parsed.rejectedByPage.get(pageId) ?? []]);
        else unknown.push(pageId);
      }
      for (const pageId of unknown) {
        if (unknownPages.first(pageId)) log.warn({ channel: 'messenger', pageId }, 'webhook event for a Page no commune has; refused (logged once per Page)');
      }
      if (routed.length === 0 && unknown.length > 0) {
        res.status(403).json({ error: 'unknown page' });
        return;
      }
      await Promise.all(routed.map(([sink, messages, rejected]) => sink(messages, rejected)));
      res.status(200).type('text/plain').send('EVENT_RECEIVED');
    } catch (e) {
      next(e);
    }
  });
  return router;
}

function checkSignature(req: Request, raw: Buffer, appSecret: string): { status: 401 | 403; reason: string } | null {
  const header = req.get('x-hub-signature-256');
  if (!header) return { status: 401, reason: 'missing X-Hub-Signature-256' };
  const expected = 'sha256=' + createHmac('sha256', appSecret).update(raw).digest('hex');
  if (!safeEqual(header.trim().toLowerCase(), expected)) return { status: 403, reason: 'X-Hub-Signature-256 does not match the body' };
  return null;
}
