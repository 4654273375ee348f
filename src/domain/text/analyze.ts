/**
 * Turns a citizen's message (or a procedure name) into what search and intent detection use: abbreviations expanded,
 * intent phrases recognised and taken out, synonyms rewritten to their standard wording, polite filler dropped.
 */
import { longestMatch, syllableMatches, type ConsumedIntent, type FlagIntent, type Language } from './language.js';
import { hasDiacritics, tokenize, type Token } from './normalize.js';

/** A syllable that may name a procedure. */
export interface ContentToken extends Token {
  /** Too common to discriminate alone (counted at a fraction of its weight). */
  weak: boolean;
  /** 1, or less when the token was guessed (typo correction). */
  certainty: number;
  /**
   * Typed without accents and spelled like a filler word ("dang": đang or đăng, "con": còn or con): it counts
   * where a procedure uses it and is ignored elsewhere.
   */
  optional?: boolean;
  /**
   * 1 for the words of the clause that carries the need (the default); less for context words of a long message
   * (family background, places, dates), which only support a match.
   */
  salience?: number;
}

export interface Analysis {
  /** Tokens after abbreviation expansion (before anything was taken out). */
  tokens: Token[];
  /** The words left to search procedures with, in order. */
  content: ContentToken[];
  /** Intents recognised by phrase; their words are not in `content`. */
  intents: Set<ConsumedIntent>;
  /** Flags (emergency, police matters, administrative wording) whose words stay in `content`. */
  flags: Set<FlagIntent>;
  /** National procedure codes typed as such (e.g. 1.001193). */
  codes: string[];
}

const codePattern = /\b\d\.\d{6}\b/g;

/** Expands abbreviations and teencode typed without diacritics (đ allowed: "đk"). */
export function expandAbbreviations(tokens: readonly Token[], language: Language): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    const expansion = language.abbreviations.get(token.fold);
    if (expansion && !accentedBeyondD(token)) out.push(...expansion);
    else out.push(token);
  }
  return out;
}

const accentedBeyondDCache = new Map<string, boolean>();

/** The syllable carries a diacritic other than đ (memoised: the same syllables recur). */
function accentedBeyondD(token: Token): boolean {
  if (!token.accented) return false;
  let known = accentedBeyondDCache.get(token.text);
  if (known === undefined) {
    known = hasDiacritics(token.text.replace(/đ/g, 'd'));
    if (accentedBeyondDCache.size >= 50_000) accentedBeyondDCache.clear();
    accentedBeyondDCache.set(token.text, known);
  }
  return known;
}

/**
 * Reads words with several meanings by their neighbours (content/language/senses.json): "bố em mới mất" → qua đời,
 * "mất giấy khai sinh" → thất lạc. The first rule that fits is used; a word with no fitting rule stays as typed.
 */
export function applySenses(tokens: readonly Token[], language: Language): Token[] {
  if (language.senses.size === 0) return [...tokens];
  const out: Token[] = [];
  tokens.forEach((token, i) => {
    const rules = language.senses.get(token.fold);
    const rule = rules?.find((r) => {
      if (!syllableMatches(token, r.pattern)) return false;
      if (r.before && tokens[i + 1] && r.before.has(tokens[i + 1]!.fold)) return true;
      if (r.beforePhrases.some((p) => p.every((f, k) => tokens[i + 1 + k]?.fold === f))) return true;
      if (r.after) {
        for (let k = Math.max(0, i - r.gap - 1); k < i; k++) if (r.after.has(tokens[k]!.fold)) return true;
        return false;
      }
      return !r.before;
    });
    if (rule) out.push(...rule.as);
    else out.push(token);
  });
  return out;
}

function content(token: Token, language: Language): ContentToken {
  // The Token's own fields, then the two of a content token (the literal is quicker to build than a spread).
  return { text: token.text, key: token.key, fold: token.fold, accented: token.accented, weak: language.weak.has(token.fold), certainty: 1 };
}

/** Analyzes one message or catalog text with the language tables. */
export function analyze(text: string, language: Language): Analysis {
  const codes = text.match(codePattern) ?? [];
  const tokens = applySenses(expandAbbreviations(tokenize(text.replace(codePattern, ' ')), language), language);
  const flags = new Set<FlagIntent>();
  for (let i = 0; i < tokens.length; i++) {
    const m = longestMatch(language.flags, tokens, i);
    if (m) for (const v of m.values) flags.add(v);
  }
  const intents = new Set<ConsumedIntent>();
  const kept: ContentToken[] = [];
  let i = 0;
  while (i < tokens.length) {
    const synonym = longestMatch(language.synonyms, tokens, i);
    const intent = longestMatch(language.consumed, tokens, i);
    const filler = longestMatch(language.filler, tokens, i);
    const synonymLength = synonym?.length ?? 0;
    const intentLength = intent?.length ?? 0;
    const fillerLength = filler?.length ?? 0;
    if (synonym && synonymLength >= intentLength && synonymLength >= fillerLength) {
      for (const t of synonym.values[0]!) kept.push(content(t, language));
      i += synonymLength;
    } else if (intent && intentLength >= fillerLength) {
      for (const v of intent.values) intents.add(v);
      i += intentLength;
    } else if (filler) {
      const pattern = filler.values[0]!;
      for (let k = 0; k < fillerLength; k++) {
        const typed = tokens[i + k]!;
        if (!typed.accented && pattern[k]!.accented) kept.push({ ...content(typed, language), optional: true });
      }
      i += fillerLength;
    } else {
      kept.push(content(tokens[i]!, language));
      i += 1;
    }
  }
  return { tokens, content: kept, intents, flags, codes };
}
