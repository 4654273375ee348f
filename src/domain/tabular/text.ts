/** Text helpers shared by the importers: one normal form for stored text, one folded form for matching headers. */

/** NFC, Windows/Mac line ends as \n, no surrounding whitespace: the form every imported string is stored in. */
export function normalizeText(value: string): string {
  return value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

/**
 * Folds Vietnamese text for loose comparison: no diacritics, đ → d, lower case, letters and digits only.
 * "Phí, lệ phí" and "phi le phi" fold to the same key.
 */
export function foldKey(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
