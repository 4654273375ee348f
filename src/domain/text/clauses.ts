/**
 * Long messages ("Kính gửi…", family background, places, dates, then one clause with the need, then thanks): split
 * into clauses, drop the openers and the thanks, find the clause(s) that carry the need by their intent words
 * ("muốn", "cần", "làm sao", "thủ tục"…, content/language/clauses.json) and keep the rest as weak context.
 * A short message is analyzed as a whole, unchanged.
 */
import { analyze, type Analysis, type ContentToken } from './analyze.js';
import { longestMatch, type Language } from './language.js';
import { tokenize } from './normalize.js';

/** Salience of a context word before the search caps the context's total weight. */
export const contextSalience = 0.3;
/** Messages with fewer syllables than this are analyzed whole. */
const longMessageTokens = 14;
/** An opener or closer clause longer than this is a real clause that happens to be polite: only the phrase goes. */
const politeClauseTokens = 9;

export interface MessageAnalysis extends Analysis {
  /** The message was read clause by clause (it was long and some clause carried the need). */
  long: boolean;
  /** The text of the clauses that carry the need (all of it for a short message). */
  needText: string;
}

type Role = 'need' | 'opener' | 'closer';

interface ClauseReading {
  roles: Set<Role>;
  /** The clause starts with an opener or is mostly a closer. */
  polite: boolean;
  size: number;
  /** The clause without its leading opener and without closer phrases. */
  kept: string;
}

function readClause(text: string, language: Language): ClauseReading {
  const tokens = tokenize(text);
  const roles = new Set<Role>();
  const keep: string[] = [];
  let polite = false;
  for (let i = 0; i < tokens.length; i++) {
    const m = longestMatch(language.clauses, tokens, i);
    if (!m) {
      keep.push(tokens[i]!.text);
      continue;
    }
    for (const v of m.values) roles.add(v);
    const drop = m.values.includes('closer') || (i === 0 && m.values.includes('opener'));
    if (drop) polite = true;
    else for (let k = 0; k < m.length; k++) keep.push(tokens[i + k]!.text);
    i += m.length - 1;
  }
  return { roles, polite, size: tokens.length, kept: keep.join(' ') };
}

/** Clauses: sentences, then comma-separated parts; keeps the text of each. */
export function splitClauses(text: string): string[] {
  return text
    .split(/[.!?;:\n\r…]+|,\s+|\s+-\s+/u)
    .map((c) => c.trim())
    .filter((c) => /[\p{L}\p{N}]/u.test(c));
}

/** Analyzes a message, clause by clause when it is long (see the module comment). */
export function analyzeMessage(text: string, language: Language): MessageAnalysis {
  const whole = tokenize(text);
  if (whole.length < longMessageTokens) {
    // "…liên hệ cơ quan nào", "…em cảm ơn": the closing words go when a real question is left. Openers stay: a
    // greeting counts only when nothing else is said.
    const closers = splitClauses(text).map((c) => readClause(c, language));
    const rest = closers.map((c) => c.kept).filter((k) => k !== '').join('. ');
    if (closers.some((c) => c.roles.has('closer')) && tokenize(rest).length >= 2) {
      const stripped = analyze(rest, language);
      if (stripped.content.some((t) => !t.weak && /\p{L}/u.test(t.fold))) return { ...stripped, long: false, needText: rest };
    }
    return { ...analyze(text, language), long: false, needText: text };
  }
  const clauses: { text: string; need: boolean }[] = [];
  for (const clause of splitClauses(text)) {
    const reading = readClause(clause, language);
    if (reading.kept === '') continue;
    // A short polite clause ("Kính gửi luật sư", "em xin cảm ơn ạ") goes whole; a longer one loses only the phrase.
    if (reading.polite && reading.size <= politeClauseTokens && !reading.roles.has('need')) continue;
    if (reading.polite && reading.roles.has('closer') && reading.size <= politeClauseTokens) continue;
    clauses.push({ text: reading.kept, need: reading.roles.has('need') });
  }
  const needs = clauses.filter((c) => c.need);
  if (clauses.length < 2 || needs.length === 0 || needs.length === clauses.length) {
    const rest = clauses.map((c) => c.text).join('. ');
    return { ...analyze(rest || text, language), long: clauses.length >= 2, needText: rest || text };
  }
  const parts = clauses.map((c) => ({ need: c.need, analysis: analyze(c.text, language) }));
  // "…, gia đình cần làm giấy tờ gì": a need clause that names nothing leaves the story to say what is needed.
  const needNamesSomething = parts.some((p) => p.need && p.analysis.content.some((t) => !t.weak && /\p{L}/u.test(t.fold)));
  if (!needNamesSomething) for (const p of parts) p.need = true;
  const content: ContentToken[] = [];
  const merged: MessageAnalysis = {
    tokens: [],
    content,
    intents: new Set(),
    flags: new Set(),
    codes: [],
    long: true,
    needText: needs.map((c) => c.text).join('. '),
  };
  for (const { need, analysis } of parts) {
    merged.tokens.push(...analysis.tokens);
    merged.codes.push(...analysis.codes);
    for (const t of analysis.content) content.push(need ? t : { ...t, salience: contextSalience });
    // What the citizen asks for (intents, emergencies, contact wording) is read from the need only; context words
    // like "đã gọi điện" or "nhà bị cháy năm ngoái" are the story, not the request.
    if (need) {
      for (const i of analysis.intents) merged.intents.add(i);
      for (const f of analysis.flags) merged.flags.add(f);
    } else if (analysis.flags.has('administrative')) merged.flags.add('administrative');
  }
  return merged;
}
