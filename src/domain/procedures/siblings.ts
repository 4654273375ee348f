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
  for (const q of language.qualifiers) if (keys.has(q.key)) for (const other of q.outranks) keys.delete(other);
  return keys;
}

/** Words a procedure name starts with that say nothing about which procedure it is ("Thủ tục đăng ký…", "Cấp…"). */
const genericName = new Set(['thu', 'tuc', 'dang', 'ky', 'ki', 'cap', 'viec']);

function residue(nameTokens: readonly Token[], qualifiers: readonly Qualifier[], own: ReadonlySet<string>): Set<string> {
  const folds = nameTokens.map((t) => t.fold);
  const drop = new Array<boolean>(folds.length).fill(false);
  for (const q of qualifiers) {
    if (!own.has(q.key)) continue;
    for (const mark of q.marks) {
      outer: for (let i = 0; i + mark.length <= folds.length; i++) {
        for (let k = 0; k < mark.length; k++) if (folds[i + k] !== mark[k]!.fold) continue outer;
        for (let k = 0; k < mark.length; k++) drop[i + k] = true;
      }
    }
  }
  return new Set(folds.filter((f, i) => !drop[i] && !genericName.has(f) && /\p{L}/u.test(f)));
}

/**
 * Procedures of one family: what remains of one's name once its qualifier marks and generic words are taken out is
 * contained in what remains of the other's ("Đăng ký lại khai tử" and "Thủ tục đăng ký khai tử có yếu tố nước
 * ngoài" are both "khai tử"). Built from the catalog's names, so any commune's catalog gets its own families.
 */
export class SiblingFamilies {
  private readonly residues: { code: string; field: string | undefined; rest: Set<string>; words: Set<string>; qualified: boolean }[];
  private readonly at = new Map<string, number>();
  private readonly byRest = new Map<string, number[]>();
  private readonly byWord = new Map<string, number[]>();
  /** Families are found on demand, per procedure, and kept: a catalog of thousands costs nothing until asked. */
  private readonly found = new Map<string, readonly string[]>();

  constructor(
    procedures: readonly { code: string; field?: string; nameTokens: readonly Token[]; qualifiers: ReadonlySet<string> }[],
    qualifiers: readonly Qualifier[],
  ) {
    this.residues = procedures.map((p) => {
      const rest = residue(p.nameTokens, qualifiers, p.qualifiers);
      // A name that is all qualifier ("Gia hạn tạm trú") is compared by its whole name.
      const words = rest.size >= 2 ? rest : residue(p.nameTokens, [], new Set());
      return { code: p.code, field: p.field, rest, words, qualified: p.qualifiers.size > 0 };
    });
    this.residues.forEach((r, i) => {
      this.at.set(r.code, i);
      for (const f of r.rest) (this.byRest.get(f) ?? this.byRest.set(f, []).get(f)!).push(i);
      for (const f of r.words) (this.byWord.get(f) ?? this.byWord.set(f, []).get(f)!).push(i);
    });
  }

  /** Codes of the procedures of the same family (not including this one), in catalog order. */
  of(code: string): readonly string[] {
    const known = this.found.get(code);
    if (known) return known;
    const i = this.at.get(code);
    if (i === undefined) return [];
    const r = this.residues[i]!;
    const members = new Set<number>();
    // What remains of the smaller name is contained in what remains of the larger one.
    const inRest = new Map<number, number>();
    for (const f of r.rest) for (const j of this.byRest.get(f)!) inRest.set(j, (inRest.get(j) ?? 0) + 1);
    for (const [j, n] of inRest) {
      const other = this.residues[j]!.rest;
      const small = Math.min(other.size, r.rest.size);
      if (small >= 2 && n === small) members.add(j);
    }
    // …or, in one field, names sharing two syllables beyond the qualifiers ("tạm ngừng kinh doanh… hộ kinh doanh"
    // and "đăng ký thành lập hộ kinh doanh").
    if (r.field !== undefined) {
      const inWords = new Map<number, number>();
      for (const f of r.words) for (const j of this.byWord.get(f)!) if (this.residues[j]!.field === r.field) inWords.set(j, (inWords.get(j) ?? 0) + 1);
      for (const [j, n] of inWords) if (n >= 2) members.add(j);
    }
    // Two plain procedures are never siblings of each other.
    const list = [...members].filter((j) => j !== i && (r.qualified || this.residues[j]!.qualified)).sort((x, y) => x - y).map((j) => this.residues[j]!.code);
    this.found.set(code, list);
    return list;
  }
}

/** Gap below the hit a sibling is brought in at, before the qualifiers move the choice. */
const siblingGap = 0.02;

/**
 * A qualifier the message names brings in the sibling that has it, even when the search did not rank that sibling
 * ("bác tôi quốc tịch Mỹ mất ở quê": the search finds khai tử; its sibling with a foreign element is the answer).
 */
export function addNamedSiblings<H extends Scored>(hits: readonly H[], named: ReadonlySet<string>, qualifiersOf: (code: string) => ReadonlySet<string>, families: SiblingFamilies, byCode: (code: string) => Procedure | undefined, look = 3): H[] {
  if (named.size === 0) return [...hits];
  const out = [...hits];
  const at = new Map(hits.map((h, i) => [h.procedure.code, i]));
  for (const hit of hits.slice(0, look)) {
    const own = qualifiersOf(hit.procedure.code);
    for (const code of families.of(hit.procedure.code)) {
      const theirs = qualifiersOf(code);
      // The sibling adds a named qualifier, carries none the message did not name beyond the hit's own, and keeps
      // the named ones the hit has.
      const adds = [...theirs].some((q) => named.has(q) && !own.has(q));
      const extra = [...theirs].some((q) => !named.has(q) && !own.has(q));
      const drops = [...own].some((q) => named.has(q) && !theirs.has(q));
      if (!adds || extra || drops) continue;
      const score = Math.max(0, Math.round((hit.score - siblingGap) * 1000) / 1000);
      const i = at.get(code);
      if (i !== undefined) {
        // Already found, maybe far below: it is read at least as well as the plain procedure it qualifies.
        if (out[i]!.score < score) out[i] = { ...out[i]!, score };
        continue;
      }
      const procedure = byCode(code);
      if (!procedure) continue;
      at.set(code, out.length);
      out.push({ ...hit, procedure, score });
    }
  }
  return out;
}

export interface Scored {
  procedure: Procedure;
  score: number;
}

/** Re-scores hits by the message's qualifiers and sorts them again (stable for equal scores). */
export function applyQualifiers<H extends Scored>(
  hits: readonly H[],
  named: ReadonlySet<string>,
  qualifiersOf: (code: string) => ReadonlySet<string>,
  families?: SiblingFamilies,
): H[] {
  const anyHas = new Set<string>();
  for (const h of hits) for (const q of qualifiersOf(h.procedure.code)) anyHas.add(q);
  if (anyHas.size === 0) return [...hits];
  const present = new Set(hits.map((h) => h.procedure.code));
  // With families known, a hit loses for a named qualifier only when a sibling of its own family has it ("cho con 14
  // tuổi" moves căn cước, not a name change that happens to be found alongside).
  const siblingHas = (code: string, q: string) => !families || families.of(code).some((c) => present.has(c) && qualifiersOf(c).has(q));
  const rescored = hits.map((h, i) => {
    const own = qualifiersOf(h.procedure.code);
    let score = h.score;
    for (const q of named) {
      if (own.has(q)) score += namedBonus;
      else if (anyHas.has(q) && siblingHas(h.procedure.code, q)) score -= missingPenalty;
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
