/**
 * Vietnamese text normalization: NFC, lowercasing, diacritic folding (đ → d), canonical accent keys and tokens.
 *
 * Two forms of each syllable matter for matching:
 * - `fold`: no diacritics at all ("đăng" → "dang"), so unaccented typing still matches;
 * - `key`: lowercased with every diacritic kept but the tone mark moved to the end, so the old and new tone placements
 *   ("hoà" / "hòa") and the i/y spellings after a consonant ("kí" / "ký") compare equal.
 */

const toneMarks = /[\u0300\u0301\u0303\u0309\u0323]/g;
const allMarks = /[\u0300-\u036f]/g;
/** A syllable spelled with final y after consonants, written i just as often (ký/kí, lý/lí, quy/qui). */
const finalY = /^([bcdghklmnpqrstvx]+|qu)y$/;

/** NFC and lowercase; the form every other function starts from. */
export function nfcLower(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** Removes every diacritic, đ → d; keeps case. */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(allMarks, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

function unifyFinalY(folded: string): string {
  return finalY.test(folded) ? `${folded.slice(0, -1)}i` : folded;
}

/** Folded (diacritic-free, lowercase) form of one syllable, with final y unified to i. */
export function foldToken(token: string): string {
  return unifyFinalY(foldDiacritics(token.toLowerCase()));
}

/** Canonical accent key of one lowercase syllable: all diacritics kept, tone mark moved last, final y → i. */
export function accentKey(token: string): string {
  const decomposed = token.toLowerCase().normalize('NFD');
  const tones = decomposed.match(toneMarks) ?? [];
  const base = decomposed.replace(toneMarks, '');
  const folded = foldToken(token);
  const withY = finalY.test(foldDiacritics(base)) ? `${base.slice(0, -1)}i` : base;
  // Re-attach other marks (circumflex, breve, horn, đ) as they were; only the tone moves.
  return folded === '' ? '' : `${withY}${tones.join('')}`.normalize('NFC');
}

/** Whether a syllable carries any diacritic (tone, vowel mark or đ). */
export function hasDiacritics(token: string): boolean {
  return foldDiacritics(token) !== token;
}

/** Longer messages are cut: nobody names a procedure after the 200th syllable, and work stays bounded. */
const maxTokens = 200;

/** One syllable of text in its three forms. */
export interface Token {
  /** The lowercase NFC syllable as written. */
  text: string;
  key: string;
  fold: string;
  /** The writer typed diacritics on this syllable (false: plain ASCII letters, could be any accent). */
  accented: boolean;
}

const tokenCache = new Map<string, Token>();
/** Enough for every syllable of a large catalog and its questions; bounded because questions are arbitrary text. */
const tokenCacheLimit = 50_000;

/** Builds a token from a syllable (memoised: the same few thousand syllables recur in every question). */
export function makeToken(syllable: string): Token {
  const cached = tokenCache.get(syllable);
  if (cached) return cached;
  const text = syllable.normalize('NFC').toLowerCase();
  const token: Token = Object.freeze({ text, key: accentKey(text), fold: foldToken(text), accented: hasDiacritics(text) });
  if (tokenCache.size >= tokenCacheLimit) tokenCache.clear();
  tokenCache.set(syllable, token);
  return token;
}

/** The last texts tokenized: one message is tokenized whole, by clause and by need, and followed by the same words. */
const recentTexts = new Map<string, readonly Token[]>();
const recentTextsLimit = 32;

/** Splits text into syllable tokens: letters and digits kept, punctuation and symbols are separators. */
export function tokenize(text: string): Token[] {
  const recent = recentTexts.get(text);
  if (recent) return recent.slice();
  const words = nfcLower(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length > maxTokens) words.length = maxTokens;
  const tokens = words.map(makeToken);
  if (recentTexts.size >= recentTextsLimit) recentTexts.delete(recentTexts.keys().next().value!);
  recentTexts.set(text, tokens.slice());
  return tokens;
}

/** Lowercased, folded, punctuation-free text with single spaces (for grouping alike questions). */
export function foldText(text: string): string {
  return tokenize(text)
    .map((t) => t.fold)
    .join(' ');
}

/**
 * How well a typed token matches a catalog token, 0 when it does not:
 * 1 for the same accents, 0.97 when the writer typed no accents, 0.4 when accents differ (another word, or a mistyped
 * tone: 'vàng' is not 'vắng').
 */
export function tokenMatchQuality(typed: Token, catalogKey: string, catalogFold: string): number {
  if (typed.fold !== catalogFold) return 0;
  if (typed.key === catalogKey) return 1;
  return typed.accented ? 0.4 : 0.97;
}
