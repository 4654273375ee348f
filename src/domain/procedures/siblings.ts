/**
 * Sibling procedures (khai sinh / đăng ký lại khai sinh / khai sinh có yếu tố nước ngoài / bản sao / lưu động…) are
 * told apart by qualifiers (content/language/qualifiers.json): a procedure has the qualifiers whose marks its name
 * carries; a message has those whose citizen wording it uses. A qualifier the message names moves the choice to the
 * sibling that has it; a qualifier the message does not name counts slightly against the sibling that has it, so
 * the plain procedure comes first and close siblings are offered with their one-line difference.
 */
import type { Token } from '../text/normalize.js';
import { longestMatch, type Language, type Qualifier } from '../text/language.js';
import type { Procedure } from './procedure.js';

/** Added to a hit that has a qualifier the message names (scores stay in [0, 1]). */
const namedBonus = 0.12;
/** Taken from a hit that lacks a qualifier the message names while another hit has it. */
const missingPenalty = 0.12;
/** Taken from a hit whose qualifier the message does not name. */
const unnamedPenalty = 0.08;

function containsRun(haystack: readonly Token[], needle: readonly Token[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k]!.fold !== needle[k]!.fold) continue outer;
    return true;
  }
  return false;
}

/** The qualifiers a procedure's name carries. */
export function procedureQualifiers(nameTokens: readonly Token[], qualifiers: readonly Qualifier[]): Set<string> {
  const keys = new Set<string>();
  for (const q of qualifiers) if (q.marks.some((m) => containsRun(nameTokens, m))) keys.add(q.key);
  return keys;
}

/** The qualifiers a message names (accent-aware, unaccented typing matches). */
export function messageQualifiers(tokens: readonly Token[], language: Language): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const m = longestMatch(language.qualifierWords, tokens, i);
    if (!m) continue;
    for (const v of m.values) keys.add(v);
    i += m.length - 1;
  }
  return keys;
}

export interface Scored {
  procedure: Procedure;
  score: number;
}

/** Re-scores hits by the message's qualifiers and sorts them again (stable for equal scores). */
export function applyQualifiers<H extends Scored>(hits: readonly H[], named: ReadonlySet<string>, qualifiersOf: (code: string) => ReadonlySet<string>): H[] {
  const anyHas = new Set<string>();
  for (const h of hits) for (const q of qualifiersOf(h.procedure.code)) anyHas.add(q);
  if (anyHas.size === 0) return [...hits];
  const rescored = hits.map((h, i) => {
    const own = qualifiersOf(h.procedure.code);
    let score = h.score;
    for (const q of named) {
      if (own.has(q)) score += namedBonus;
      else if (anyHas.has(q)) score -= missingPenalty;
    }
    for (const q of own) if (!named.has(q)) score -= unnamedPenalty;
    return { hit: { ...h, score: Math.round(Math.max(0, Math.min(1, score)) * 1000) / 1000 }, i };
  });
  rescored.sort((a, b) => b.hit.score - a.hit.score || a.i - b.i);
  return rescored.map((r) => r.hit);
}

/** One line telling a procedure apart from its offered siblings, or null when nothing distinguishes it. */
export function differenceLine(procedure: Procedure, qualifiersOf: (code: string) => ReadonlySet<string>, language: Language, others: readonly Procedure[]): string | null {
  const own = qualifiersOf(procedure.code);
  const lines = language.qualifiers.filter((q) => own.has(q.key)).map((q) => q.difference);
  if (lines.length > 0) return lines.join('; ');
  const siblingsQualified = others.some((o) => o.code !== procedure.code && qualifiersOf(o.code).size > 0);
  if (procedure.audience) return shorten(procedure.audience, 90);
  return siblingsQualified ? 'trường hợp thông thường' : null;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 10))}…`;
}
