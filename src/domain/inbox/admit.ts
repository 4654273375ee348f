/**
 * The last check before a normalized message is stored, the same for every channel: what the service cannot answer
 * safely is refused (kept as a rejected event with the reason), what it can repair is repaired.
 * - An address or message id with a lone UTF-16 surrogate, a NUL, or absurd length is refused: stored, it would be
 *   rewritten (U+FFFD) and the reply would go to a different id.
 * - A timestamp that is not a date, or outside a sane window around the receive time, becomes the receive time
 *   (an invalid date used to fail the whole batch's insert).
 * - Text and payload lose NULs (PostgreSQL cannot store them) and lone surrogates become U+FFFD.
 */
import type { InboundMessage } from '../messages.js';

/** How far in the past a platform timestamp may be (re-deliveries come for days) and in the future (clock skew). */
export const timestampWindow = { pastMs: 30 * 24 * 3_600_000, futureMs: 60 * 60_000 };

const maxIdLength = 512;
const maxTextLength = 20_000;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why an id cannot be used to answer, or null when it can. */
function idProblem(what: string, id: unknown): string | null {
  if (typeof id !== 'string' || id === '') return `${what} is empty`;
  if (id.length > maxIdLength) return `${what} is longer than ${maxIdLength} characters`;
  if (loneSurrogate.test(id)) return `${what} contains a lone UTF-16 surrogate`;
  if (id.includes('\u0000')) return `${what} contains a NUL character`;
  return null;
}

function cleanText(text: string): string {
  const wellFormed = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD').replaceAll('\u0000', '');
  return wellFormed.length > maxTextLength ? wellFormed.slice(0, maxTextLength) : wellFormed;
}

export type Admission = { ok: true; message: InboundMessage } | { ok: false; reason: string };

export function admitInbound(message: InboundMessage, now: Date): Admission {
  const problem = idProblem('sender address', message.address) ?? idProblem('platform message id', message.platformMessageId);
  if (problem) return { ok: false, reason: problem };
  const at = message.receivedAt instanceof Date ? message.receivedAt.getTime() : NaN;
  const sane = Number.isFinite(at) && at >= now.getTime() - timestampWindow.pastMs && at <= now.getTime() + timestampWindow.futureMs;
  const replyContext = message.replyContext
    ? Object.fromEntries(Object.entries(message.replyContext).map(([k, v]) => [k, cleanText(String(v))]))
    : undefined;
  return {
    ok: true,
    message: {
      ...message,
      text: cleanText(message.text),
      ...(message.payload !== undefined ? { payload: cleanText(message.payload) } : {}),
      ...(replyContext ? { replyContext } : {}),
      receivedAt: sane ? message.receivedAt : now,
    },
  };
}
