/**
 * Zalo OA webhook. X-ZEvent-Signature is `mac=` + hex SHA-256 (a plain hash) of app_id + raw body + timestamp (from
 * the body) + OA secret key. That formula is disputed between sources; only it is accepted, and when it fails the
 * other published variants are tried purely to log which one would have matched, so a real event settles it.
 * Ids and timestamps are long numeric strings and stay strings.
 */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { InboundSink } from '../../domain/inbox/processor.js';
import type { Logger } from '../../domain/logger.js';
import type { InboundMessage } from '../../domain/messages.js';
import { LogOnce } from '../shared/log-once.js';
import { rawBody, safeEqual } from '../shared/raw-body.js';
import type { ChoiceMemory } from './choice-memory.js';

/** A numeric id as Zalo sends it: a string; a number only when it is exactly representable. */
const longId = z.union([z.string().regex(/^\d{1,30}$/), z.number().refine(Number.isSafeInteger, 'id beyond 2^53 sent as a JSON number').transform(String)]);

/** Events the bot answers; every other event is acknowledged and ignored, whatever its shape. */
const handledEvents = new Set(['user_send_text', 'anonymous_send_text', 'user_send_image', 'follow']);

const envelope = z.object({ event_name: z.string() });

const event = z.object({
  event_name: z.string(),
  app_id: longId.optional(),
  oa_id: longId.optional(),
  timestamp: longId,
  sender: z.object({ id: longId }).optional(),
  recipient: z.object({ id: longId }).optional(),
  follower: z.object({ id: longId }).optional(),
  message: z
    .object({
      msg_id: z.string().min(1),
      text: z.string().optional(),
      attachments: z.array(z.unknown()).optional(),
    })
    .optional(),
});
export type ZaloEvent = z.infer<typeof event>;

export interface SignatureKeys {
  appId: string;
  oaId?: string;
  oaSecretKey: string;
  appSecret?: string;
}

/** The documented signature: mac= + sha256(app_id + rawBody + timestamp + OA secret key). */
export function zaloSignature(first: string, raw: Buffer, timestamp: string, last: string): string {
  return 'mac=' + createHash('sha256').update(first).update(raw).update(timestamp).update(last).digest('hex');
}

/** The body's timestamp as the signer saw it ('' when the body has none or is not JSON). */
export function timestampOf(raw: Buffer): string {
  try {
    const ts = (JSON.parse(raw.toString('utf8')) as { timestamp?: unknown } | null)?.timestamp;
    return ts === undefined || ts === null ? '' : String(ts);
  } catch {
    return '';
  }
}

/** Which disputed variant would have matched a refused signature, for the log (never accepted). */
export function matchingVariant(keys: SignatureKeys, raw: Buffer, timestamp: string, header: string): string | null {
  const firsts: [string, string | undefined][] = [['app_id', keys.appId], ['oa_id', keys.oaId]];
  const lasts: [string, string | undefined][] = [['OA secret key', keys.oaSecretKey], ['app secret', keys.appSecret]];
  for (const [fName, f] of firsts) {
    for (const [lName, l] of lasts) {
      if (f === undefined || l === undefined || (f === keys.appId && l === keys.oaSecretKey)) continue;
      if (safeEqual(header, zaloSignature(f, raw, timestamp, l))) return `${fName} first, ${lName} last`;
    }
  }
  if (safeEqual(header, zaloSignature(keys.appId, raw, '', keys.oaSecretKey))) return 'app_id first, OA secret key last, without the timestamp';
  return null;
}

/** Normalizes one verified Zalo event; null for events the bot does not answer. */
export function toInbound(e: ZaloEvent, choices?: ChoiceMemory): InboundMessage | null {
  const receivedAt = new Date(Number(e.timestamp));
  const at = Number.isFinite(receivedAt.getTime()) ? receivedAt : new Date();
  if (e.event_name === 'follow' && e.follower) {
    return { channel: 'zalo', platformMessageId: `follow:${e.follower.id}:${e.timestamp}`, address: e.follower.id, kind: 'follow', text: '', receivedAt: at };
  }
  if (!e.sender || !e.message) return null;
  const base = { channel: 'zalo' as const, platformMessageId: e.message.msg_id, address: e.sender.id, receivedAt: at, replyContext: { msg_id: e.message.msg_id } };
  if (e.event_name === 'user_send_text' || e.event_name === 'anonymous_send_text') {
    const text = (e.message.text ?? '').normalize('NFC');
    // An oa.query.show button comes back as the user's text: map it to the choice it was sent for.
    const payload = choices?.lookup(e.sender.id, text);
    return payload !== undefined ? { ...base, kind: 'choice', text, payload } : { ...base, kind: 'text', text };
  }
  if (e.event_name === 'user_send_image') return { ...base, kind: 'unsupported', text: (e.message.text ?? '').normalize('NFC') };
  return null;
}

/** The commune an OA's events go to: its inbox and the buttons its channel sent. */
export interface ZaloRoute {
  sink: InboundSink;
  choices?: ChoiceMemory;
}

export interface ZaloWebhookOptions {
  /** The Zalo app's keys: one app serves every commune's OA. */
  keys: SignatureKeys;
  log: Logger;
  /** The commune whose OA has this id; null for an OA no commune has. */
  route: (oaId: string) => ZaloRoute | null;
}

/** The OA an event was sent to: `oa_id` (follow events), else the recipient of a user's message. */
export function oaIdOf(e: ZaloEvent): string {
  return e.oa_id ?? e.recipient?.id ?? '';
}

/**
 * The router mounted at /webhooks/zalo, for every OA of the app: a verified event goes to its OA's commune; an
 * event for an OA no commune has is refused (403) and logged once per OA.
 */
export function zaloWebhook(options: ZaloWebhookOptions): Router {
  const { keys, log, route } = options;
  const unknownOas = new LogOnce();
  const router = Router();
  router.post('/', rawBody('1mb'), async (req, res, next) => {
    try {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const header = req.get('x-zevent-signature')?.trim();
      if (!header) {
        log.warn({ channel: 'zalo', ip: req.ip }, 'webhook refused: missing X-ZEvent-Signature');
        res.status(401).json({ error: 'missing signature' });
        return;
      }
      const timestamp = timestampOf(raw);
      if (!safeEqual(header, zaloSignature(keys.appId, raw, timestamp, keys.oaSecretKey))) {
        const variant = matchingVariant(keys, raw, timestamp, header);
        log.warn(
          { channel: 'zalo', ip: req.ip, timestampFound: timestamp !== '', wouldMatch: variant },
          variant
            ? `webhook refused: X-ZEvent-Signature does not match sha256(app_id + body + timestamp + OA secret key); the variant "${variant}" would match (not accepted; check the signature formula)`
            : `webhook refused: X-ZEvent-Signature does not match sha256(app_id + body + timestamp + OA secret key)${timestamp === '' ? ' (the body has no timestamp)' : ''}, nor any known variant (wrong secret or forged)`,
        );
        res.status(403).json({ error: 'invalid signature' });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        log.warn({ channel: 'zalo', bytes: raw.length }, 'webhook body is not JSON; ignored');
        res.status(400).json({ error: 'malformed JSON' });
        return;
      }
      const kind = envelope.safeParse(json);
      if (kind.success && !handledEvents.has(kind.data.event_name)) {
        log.debug({ channel: 'zalo', event: kind.data.event_name }, 'event ignored');
        res.status(200).json({ ok: true });
        return;
      }
      const parsed = event.safeParse(json);
      if (!parsed.success) {
        log.warn({ channel: 'zalo', cause: parsed.error.issues.slice(0, 3) }, 'webhook body has an unexpected shape; ignored');
        res.status(400).json({ error: 'unexpected body' });
        return;
      }
      const oaId = oaIdOf(parsed.data);
      const target = route(oaId);
      if (!target) {
        if (unknownOas.first(oaId)) log.warn({ channel: 'zalo', oaId }, 'webhook event for an OA no commune has; refused (logged once per OA)');
        res.status(403).json({ error: 'unknown OA' });
        return;
      }
      const message = toInbound(parsed.data, target.choices);
      if (message) await target.sink([message]);
      else log.debug({ channel: 'zalo', event: parsed.data.event_name }, 'event ignored');
      res.status(200).json({ ok: true });
    } catch (e) {
      next(e);
    }
  });
  return router;
}
