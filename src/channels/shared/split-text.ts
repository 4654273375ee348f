/**
 * Splits text for platforms with a per-message limit, on the cleanest boundary available: paragraph, then line,
 * then sentence, then word; a single over-long word is cut hard. Parts are trimmed and never empty.
 */
export function splitText(text: string, max: number): string[] {
  const clean = text.normalize('NFC').trim();
  if (clean === '') return [];
  const parts: string[] = [];
  let rest = clean;
  while ([...rest].length > max) {
    const window = sliceChars(rest, max);
    const cut = bestCut(window);
    parts.push(window.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') parts.push(rest);
  return parts;
}

/** The first `max` characters (code points, so a surrogate pair or emoji is never cut in half). */
function sliceChars(text: string, max: number): string {
  return [...text].slice(0, max).join('');
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
