/**
 * Long messages ("Kính gửi…", family background, places, dates, then one clause with the need, then thanks): split
 * into clauses, drop the openers and the thanks, find the clause(s) that carry the need by their intent words
 * ("muốn", "cần", "làm sao", "thủ tục"…, content/language/clauses.json) and keep the rest as weak context.
 * A short message is analyzed as a whole, unchanged.
 */
import { analyze, type Analysis, type ContentToken } from './analyze.js';
import { longestMatch, type ClauseRole, type Language } from './language.js';
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
  /**
   * A thank-you note: a long message with thanks and no word of request in any clause ("muốn", "cần", "xin hỏi"…), or
   * one that says so ("nhắn tin này chỉ để cảm ơn"; then {@link thanksNote} too).
   */
  thanksOnly?: boolean;
  thanksNote?: boolean;
}

/** A polite clause this short ("chào cán bộ", "kính gửi anh chị") is only the address, whatever else it seems to say. */
const addressTokens = 4;

interface ClauseReading {
  roles: Set<ClauseRole>;
  /** The clause starts with an opener or is mostly a closer. */
  polite: boolean;
  size: number;
  /** The clause without its leading opener, without closer phrases and without the papers to bring. */
  kept: string;
  /** The papers named as something to bring, or the reason for the need, from the word that introduces them to the end of the clause. */
  brought: string;
}

function readClause(text: string, language: Language): ClauseReading {
  const tokens = tokenize(text);
  const roles = new Set<ClauseRole>();
  const keep: string[] = [];
  const brought: string[] = [];
  let polite = false;
  for (let i = 0; i < tokens.length; i++) {
    const m = longestMatch(language.clauses, tokens, i);
    const target = brought.length > 0 ? brought : keep;
    if (!m) {
      target.push(tokens[i]!.text);
      continue;
    }
    for (const v of m.values) roles.add(v);
    const drop = m.values.includes('closer') || m.values.includes('thanksNote') || (i === 0 && m.values.includes('opener'));
    if (drop) polite = true;
    else if (m.values.includes('documents') && (keep.length > 0 || tokens.length > m.length)) for (let k = 0; k < m.length; k++) brought.push(tokens[i + k]!.text);
    // "…muốn làm lại để chia thừa kế": the reason supports once the clause has named its need ("cần gì để làm
    // khai sinh" names nothing before "để", so the reason is the need there).
    else if (m.values.includes('purpose') && brought.length === 0 && namesSomething(keep.join(' '), language)) for (let k = 0; k < m.length; k++) brought.push(tokens[i + k]!.text);
    else for (let k = 0; k < m.length; k++) target.push(tokens[i + k]!.text);
    i += m.length - 1;
  }
  return { roles, polite, size: tokens.length, kept: keep.join(' '), brought: brought.join(' ') };
}

/**
 * The text without the reasons: each clause is cut at the word that introduces why ("cần thẻ căn cước để thi bằng
 * lái" → "cần thẻ căn cước"). Used to tell the request from its reason.
 */
export function withoutReasons(text: string, language: Language): string {
  return splitClauses(text)
    .map((clause) => {
      const tokens = tokenize(clause);
      for (let i = 1; i < tokens.length; i++) {
        const m = longestMatch(language.clauses, tokens, i);
        if (m?.values.includes('purpose')) return tokens.slice(0, i).map((t) => t.text).join(' ');
      }
      return tokens.map((t) => t.text).join(' ');
    })
    .join('. ');
}

function namesSomething(text: string, language: Language): boolean {
  return text !== '' && analyze(text, language).content.some((t) => !t.weak && /\p{L}/u.test(t.fold));
}

/** Adds a clause's papers to bring as context: their facets count ("cần mang gì"), their words only support. */
function addBrought(merged: Analysis, brought: string, language: Language): void {
  if (brought === '') return;
  const analysis = analyze(brought, language);
  merged.tokens.push(...analysis.tokens);
  for (const t of analysis.content) merged.content.push({ ...t, salience: Math.min(t.salience ?? 1, contextSalience) });
  for (const i of analysis.intents) if (i.startsWith('facet:')) merged.intents.add(i);
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
    // greeting counts only when nothing else is said. Papers to bring only support ("khai sinh có cần mang sổ hộ khẩu").
    const readings = splitClauses(text).map((c) => readClause(c, language));
    const rest = readings.map((c) => c.kept).filter((k) => k !== '').join('. ');
    const brought = readings.map((c) => c.brought).filter((k) => k !== '').join('. ');
    if ((readings.some((c) => c.roles.has('closer')) || brought !== '') && tokenize(rest).length >= 2) {
      const stripped = analyze(rest, language);
      if (stripped.content.some((t) => !t.weak && /\p{L}/u.test(t.fold))) {
        const merged: MessageAnalysis = { ...stripped, long: false, needText: rest };
        addBrought(merged, brought, language);
        return merged;
      }
    }
    return { ...analyze(text, language), long: false, needText: text };
  }
  const clauses: { text: string; need: boolean; brought: string }[] = [];
  const broughtOnly: string[] = [];
  let asks = false;
  let thanks = false;
  let note = false;
  for (const clause of splitClauses(text)) {
    const reading = readClause(clause, language);
    if (reading.roles.has('need')) asks = true;
    if (reading.roles.has('closer')) thanks = true;
    if (reading.roles.has('thanksNote')) note = true;
    if (reading.kept === '') {
      // "…, cần mang giấy chứng sinh với giấy kết hôn phải không": only papers to bring.
      if (reading.brought !== '') broughtOnly.push(reading.brought);
      continue;
    }
    // A short polite clause ("Kính gửi luật sư", "em xin cảm ơn ạ") goes whole; a longer one loses only the phrase.
    if (reading.polite && reading.size <= politeClauseTokens && !reading.roles.has('need')) continue;
    if (reading.polite && (reading.roles.has('closer') || reading.size <= addressTokens) && reading.size <= politeClauseTokens) continue;
    clauses.push({ text: reading.kept, need: reading.roles.has('need'), brought: reading.brought });
  }
  const needs = clauses.filter((c) => c.need);
  const parts = clauses.map((c) => ({ need: c.need, analysis: analyze(c.text, language) }));
  const allBrought = [...clauses.map((c) => c.brought), ...broughtOnly].filter((b) => b !== '').join('. ');
  if (clauses.length < 2 || needs.length === 0 || needs.length === clauses.length) {
    const rest = clauses.map((c) => c.text).join('. ');
    const merged: MessageAnalysis = { ...analyze(rest || text, language), long: clauses.length >= 2, needText: rest || text, ...(note ? { thanksOnly: true, thanksNote: true } : !asks && thanks ? { thanksOnly: true } : {}) };
    if (rest) addBrought(merged, allBrought, language);
    return merged;
  }
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
    ...(note ? { thanksOnly: true, thanksNote: true } : !asks && thanks ? { thanksOnly: true } : {}),
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
  addBrought(merged, allBrought, language);
  return merged;
}
