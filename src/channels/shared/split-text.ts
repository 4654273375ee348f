/**
 * How a platform counts a message's length: Unicode code points, or UTF-16 code units (Telegram counts these, so an
 * emoji takes two).
 */
export type LengthUnit = 'codepoints' | 'utf16';

/**
 * Splits text for platforms with a per-message limit, on the cleanest boundary available: paragraph, then line,
 * then sentence, then word; a single over-long word is cut hard (never inside a surrogate pair). Parts are trimmed
 * and never empty.
 *
 * @example
 * splitText('Đoạn 1\n\nĐoạn 2', 8) // ['Đoạn 1', 'Đoạn 2']
 */
export function splitText(text: string, max: number, unit: LengthUnit = 'codepoints'): string[] {
  if (max < 2) throw new RangeError('max must be at least 2');
  const clean = text.normalize('NFC').trim();
  if (clean === '') return [];
  const parts: string[] = [];
  let rest = clean;
  const length = unit === 'utf16' ? (t: string) => t.length : codePoints;
  const slice = unit === 'utf16' ? sliceUnits : sliceChars;
  while (length(rest) > max) {
    const window = slice(rest, max);
    const cut = bestCut(window);
    parts.push(window.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') parts.push(rest);
  return parts;
}

/**
 * Code points in `text`, counted without building an array (this runs for every reply part sent; spreading the
 * string into an array per call was a visible share of the garbage collector's work under load).
 */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The first `max` characters (code points, so a surrogate pair or emoji is never cut in half). */
function sliceChars(text: string, max: number): string {
  let i = 0;
  for (let count = 0; count < max && i < text.length; count++) {
    const c = text.charCodeAt(i);
    const d = text.charCodeAt(i + 1);
    i += c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
  }
  return text.slice(0, i);
}

/** The first `max` UTF-16 code units, one less when that would cut a surrogate pair in half. */
function sliceUnits(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function bestCut(window: string): number {
  const minUseful = Math.floor(window.length / 3);
  for (const separator of ['\n\n', '\n', '. ', '; ', ', ', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at >= minUseful) return at + separator.length;
  }
  return window.length;
}

/** Shortens a title to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  const chars = [...text.normalize('NFC').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
