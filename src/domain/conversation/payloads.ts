/**
 * Button payloads the engine writes into choices and reads back when a citizen presses one. Short ASCII, at most
 * 64 bytes (Telegram's callback_data limit).
 */
import type { Facet } from '../text/language.js';
import { facetNames } from '../text/language.js';
import { foldText } from '../text/normalize.js';

export type Payload =
  | { kind: 'procedure'; code: string }
  | { kind: 'facet'; facet: Facet; code: string }
  | { kind: 'menu' }
  | { kind: 'fields' }
  | { kind: 'field'; id: string; page: number }
  | { kind: 'hotline' }
  | { kind: 'hours' }
  | { kind: 'online' }
  | { kind: 'staff' };

export const maxPayloadBytes = 64;

/** Stable short id of a field name (its text can exceed the payload limit). */
export function fieldId(field: string): string {
  let h = 0x811c9dc5;
  for (const ch of foldText(field)) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

export function encodePayload(p: Payload): string {
  switch (p.kind) {
    case 'procedure':
      return `proc:${p.code}`;
    case 'facet':
      return `facet:${p.facet}:${p.code}`;
    case 'field':
      return p.page > 0 ? `field:${p.id}:${p.page}` : `field:${p.id}`;
    default:
      return p.kind;
  }
}

/** Parses a payload this engine wrote; null for anything else. */
export function decodePayload(raw: string | undefined): Payload | null {
  if (!raw) return null;
  const [head, a, b] = raw.split(':');
  switch (head) {
    case 'proc':
      return a ? { kind: 'procedure', code: raw.slice(5) } : null;
    case 'facet':
      return a && b && (facetNames as readonly string[]).includes(a) ? { kind: 'facet', facet: a as Facet, code: raw.slice(7 + a.length) } : null;
    case 'field':
      return a ? { kind: 'field', id: a, page: Number.parseInt(b ?? '0', 10) || 0 } : null;
    case 'menu':
    case 'fields':
    case 'hotline':
    case 'hours':
    case 'online':
    case 'staff':
      return { kind: head };
    default:
      return null;
  }
}
