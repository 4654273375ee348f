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

/** One syllable of text in its three forms. */
export interface Token {
  /** The lowercase NFC syllable as written. */
  text: string;
  key: string;
  fold: string;
  /** The writer typed diacritics on this syllable (false: plain ASCII letters, could be any accent). */
  accented: boolean;
}

/** Builds a token from a lowercase syllable. */
export function makeToken(syllable: string): Token {
  const text = syllable.normalize('NFC').toLowerCase();
  return { text, key: accentKey(text), fold: foldToken(text), accented: hasDiacritics(text) };
}

/** Splits text into syllable tokens: letters and digits kept, punctuation and symbols are separators. */
export function tokenize(text: string): Token[] {
  const words = nfcLower(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map(makeToken);
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
