/**
 * Splits text that is longer than a platform allows into parts a reader can follow: on a paragraph break first,
 * then a line break, then a space, and only as a last resort inside a word (never inside a surrogate pair).
 * Every part is at most `max` UTF-16 code units, trimmed, and non-empty.
 *
 * @example
 * splitText('Đoạn 1\n\nĐoạn 2', 8) // ['Đoạn 1', 'Đoạn 2']
 */
export function splitText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('max must be at least 2');
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf('\n\n', max);
    if (cut <= 0) cut = window.lastIndexOf('\n', max);
    if (cut <= 0) cut = window.lastIndexOf(' ', max);
    if (cut <= 0) {
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    const part = rest.slice(0, cut).trimEnd();
    if (part !== '') parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') parts.push(rest);
  return parts;
}

