/**
 * Typo tolerance on folded syllables: a vocabulary with a symmetric-delete index finds the known syllables one edit
 * (insertion, omission, substitution or swap of neighbours) away from an unknown one, in a few map lookups.
 */

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Optimal string alignment distance, stopping early above `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** How many answers of each kind a vocabulary remembers. */
const memoLimit = 20_000;

/** Known folded syllables and how to find the closest one to a misspelt syllable. */
export class Vocabulary {
  private readonly deleted = new Map<string, string[]>();
  /**
   * Answers already given (unknown words recur: names, places, the same typo); bounded, since questions are arbitrary
   * text. The vocabulary never changes, so an answer stays true.
   */
  private readonly corrections = new Map<string, string | null>();
  private readonly splits = new Map<string, [string, string] | null>();

  /** @param frequency folded syllable → how many procedures use it (ties between corrections go to the commoner). */
  constructor(private readonly frequency: ReadonlyMap<string, number>) {
    for (const word of frequency.keys()) {
      if (word.length < 3) continue;
      for (const d of deletions(word)) {
        const list = this.deleted.get(d);
        if (list) list.push(word);
        else this.deleted.set(d, [word]);
      }
    }
  }

  has(word: string): boolean {
    return this.frequency.has(word);
  }

  /** The known syllable one edit from `word` (≥ 4 letters), the most frequent if several; null if none. */
  correct(word: string): string | null {
    if (word.length < 4 || /\d/.test(word)) return null;
    const known = this.corrections.get(word);
    if (known !== undefined) return known;
    const best = this.closest(word);
    if (this.corrections.size >= memoLimit) this.corrections.clear();
    this.corrections.set(word, best);
    return best;
  }

  private closest(word: string): string | null {
    const candidates = new Set<string>();
    for (const d of deletions(word)) {
      if (this.frequency.has(d)) candidates.add(d);
      for (const w of this.deleted.get(d) ?? []) candidates.add(w);
    }
    for (const w of this.deleted.get(word) ?? []) candidates.add(w);
    let best: string | null = null;
    let bestFrequency = -1;
    for (const c of candidates) {
      if (editDistance(word, c, 1) > 1) continue;
      const f = this.frequency.get(c) ?? 0;
      if (f > bestFrequency || (f === bestFrequency && best !== null && c < best)) {
        best = c;
        bestFrequency = f;
      }
    }
    return best;
  }

  /** Two known syllables typed without the space between them ("khaisinh"), or null. */
  split(word: string): [string, string] | null {
    if (word.length < 5 || /\d/.test(word)) return null;
    const known = this.splits.get(word);
    if (known !== undefined) return known && [known[0], known[1]];
    const parts = this.splitOnce(word);
    if (this.splits.size >= memoLimit) this.splits.clear();
    this.splits.set(word, parts);
    return parts && [parts[0], parts[1]];
  }

  private splitOnce(word: string): [string, string] | null {
    for (let k = 2; k <= word.length - 2; k++) {
      const a = word.slice(0, k);
      const b = word.slice(k);
      if (this.frequency.has(a) && this.frequency.has(b)) return [a, b];
    }
    return null;
  }
}
