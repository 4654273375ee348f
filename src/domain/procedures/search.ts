/**
 * Procedure search over the commune's catalog, with our own Vietnamese analysis.
 *
 * Each procedure is indexed by its name and each alias (a "phrase"), as folded syllables and syllable pairs weighted
 * by rarity (idf). A query's score for a phrase combines how much of the query the phrase explains (recall) and how
 * much of the phrase the query names (precision): `recall^0.6 × precision^0.4`, in [0, 1], so a score means the same
 * thing whatever the query. Matches typed with the catalog's own accents count fully, unaccented ones slightly less,
 * wrongly accented ones and typo corrections clearly less. Unknown words in the query lower recall, so a question about
 * something the commune does not handle does not reach a confident score on one shared word.
 */
import { analyze, type Analysis, type ContentToken } from '../text/analyze.js';
import type { Language } from '../text/language.js';
import { makeToken, tokenMatchQuality, type Token } from '../text/normalize.js';
import { Vocabulary } from '../text/typo.js';
import type { Procedure } from './procedure.js';

/** One ranked result. */
export interface SearchHit {
  procedure: Procedure;
  /** 0–1, comparable across queries (1: the query is exactly a name or alias). */
  score: number;
  /** Share of the query's weight the best phrase explains. */
  recall: number;
  /** Share of the best phrase's weight the query names. */
  precision: number;
}

interface Posting {
  phrase: number;
  /** The term's weight in this phrase: its idf, less the later it comes (long official names end in detail). */
  weight: number;
  /** Accent keys the phrase uses for this syllable (unigram terms only). */
  keys: string[] | null;
}

interface QueryTerm {
  term: string;
  tokens: ContentToken[];
}

const weakFactor = 0.3;
const bigramFactor = 0.5;
/** Weight of a query word the catalog never uses (a proper word, not a number). */
const unknownWordWeight = 2.5;
/** The least total query weight a score is measured against, so one common word alone cannot score high. */
const minimumQueryWeight = 2.5;
const typoCertainty = 0.7;

export class ProcedureIndex {
  private readonly postings = new Map<string, Posting[]>();
  private readonly weights = new Map<string, number>();
  private readonly phraseDoc: number[] = [];
  private readonly phraseWeight: number[] = [];
  private readonly vocabulary: Vocabulary;
  private readonly byCodeMap = new Map<string, Procedure>();
  private readonly syllableKeys = new Map<string, Set<string>>();
  private readonly fieldTerms: { field: string; folds: string[] }[] = [];
  private readonly scratch: Float64Array;
  private readonly optionalScratch: Float64Array;
  private readonly phraseScratch: Float64Array;

  private constructor(
    readonly procedures: readonly Procedure[],
    readonly language: Language,
  ) {
    const syllableFrequency = new Map<string, number>();
    const documentFrequency = new Map<string, number>();
    const phraseTerms: Map<string, { keys: string[] | null; position: number }>[] = [];
    procedures.forEach((procedure, doc) => {
      this.byCodeMap.set(procedure.code, procedure);
      const termsOfDoc = new Set<string>();
      for (const text of [procedure.name, ...procedure.aliases]) {
        const tokens = analyze(text, language).content;
        if (tokens.length === 0) continue;
        const terms = new Map<string, { keys: string[] | null; position: number }>();
        tokens.forEach((t, position) => {
          const keys = this.syllableKeys.get(t.fold);
          if (keys) keys.add(t.key);
          else this.syllableKeys.set(t.fold, new Set([t.key]));
          const entry = terms.get(t.fold) ?? { keys: [], position };
          if (!entry.keys!.includes(t.key)) entry.keys!.push(t.key);
          terms.set(t.fold, entry);
        });
        for (let i = 1; i < tokens.length; i++) {
          const term = `${tokens[i - 1]!.fold} ${tokens[i]!.fold}`;
          if (!terms.has(term)) terms.set(term, { keys: null, position: i });
        }
        for (const term of terms.keys()) termsOfDoc.add(term);
        this.phraseDoc.push(doc);
        phraseTerms.push(terms);
      }
      for (const term of termsOfDoc) {
        documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
        if (!term.includes(' ')) syllableFrequency.set(term, (syllableFrequency.get(term) ?? 0) + 1);
      }
    });
    const n = Math.max(procedures.length, 1);
    for (const [term, df] of documentFrequency) {
      const isBigram = term.includes(' ');
      const weak = !isBigram && language.weak.has(term);
      this.weights.set(term, Math.log(1 + n / df) * (isBigram ? bigramFactor : 1) * (weak ? weakFactor : 1));
    }
    phraseTerms.forEach((terms, phrase) => {
      let total = 0;
      for (const [term, { keys, position }] of terms) {
        const weight = this.weights.get(term)! * positionDecay(position);
        total += weight;
        const list = this.postings.get(term);
        const posting = { phrase, keys, weight };
        if (list) list.push(posting);
        else this.postings.set(term, [posting]);
      }
      this.phraseWeight.push(total);
    });
    this.vocabulary = new Vocabulary(syllableFrequency);
    this.scratch = new Float64Array(this.phraseDoc.length);
    this.optionalScratch = new Float64Array(this.phraseDoc.length);
    this.phraseScratch = new Float64Array(this.phraseDoc.length);
    const fields = new Map<string, string>();
    for (const p of procedures) fields.set(p.field, p.field);
    for (const field of fields.keys()) {
      this.fieldTerms.push({ field, folds: analyze(field, language).content.map((t) => t.fold) });
    }
  }

  /** Builds the index over the active procedures (aliases included). */
  static build(procedures: readonly Procedure[], language: Language): ProcedureIndex {
    return new ProcedureIndex(
      procedures.filter((p) => p.active),
      language,
    );
  }

  /** The active procedure with this code, if any. */
  byCode(code: string): Procedure | undefined {
    return this.byCodeMap.get(code);
  }

  /** The fields (lĩnh vực) of the active procedures, in catalog order. */
  fields(): string[] {
    return this.fieldTerms.map((f) => f.field);
  }

  /** Analyzes and searches free text. */
  search(text: string, limit = 5): SearchHit[] {
    return this.searchAnalysis(analyze(text, this.language), limit);
  }

  /** Searches an already analyzed message (the engine analyzes once for intents and search). */
  searchAnalysis(analysis: Analysis, limit = 5): SearchHit[] {
    const hits: SearchHit[] = [];
    const seen = new Set<string>();
    for (const code of analysis.codes) {
      const procedure = this.byCodeMap.get(code);
      if (procedure && !seen.has(code)) {
        seen.add(code);
        hits.push({ procedure, score: 1, recall: 1, precision: 1 });
      }
    }
    const tokens = this.correct(analysis.content);
    const terms = this.queryTerms(tokens);
    let queryWeight = 0;
    let unknownWords = 0;
    for (const t of tokens) {
      if (t.optional) continue;
      if (!this.isKnown(t) && /\p{L}{2,}/u.test(t.fold) && !/\d/.test(t.fold)) {
        queryWeight += unknownWordWeight;
        unknownWords++;
      }
    }
    const known: QueryTerm[] = [];
    for (const qt of terms) {
      const w = this.weights.get(qt.term);
      if (w === undefined) continue;
      if (!qt.tokens.some((t) => t.optional)) queryWeight += w;
      known.push(qt);
    }
    if (known.length === 0) return hits.slice(0, limit);

    const matched = this.scratch;
    const matchedInPhrase = this.phraseScratch;
    const optionalMatched = this.optionalScratch;
    const touched: number[] = [];
    for (const qt of known) {
      const w = this.weights.get(qt.term)!;
      const optional = qt.tokens.some((t) => t.optional);
      for (const posting of this.postings.get(qt.term)!) {
        const quality = this.quality(qt, posting);
        if (quality === 0) continue;
        if (matched[posting.phrase] === 0) touched.push(posting.phrase);
        matched[posting.phrase]! += w * quality;
        matchedInPhrase[posting.phrase]! += posting.weight * quality;
        // An optional word counts in the query's weight only for the phrases that use it.
        if (optional) optionalMatched[posting.phrase]! += w;
      }
    }
    const best = new Map<number, { score: number; recall: number; precision: number }>();
    for (const phrase of touched) {
      const m = matched[phrase]!;
      const extra = optionalMatched[phrase]!;
      const mp = matchedInPhrase[phrase]!;
      matched[phrase] = 0;
      matchedInPhrase[phrase] = 0;
      optionalMatched[phrase] = 0;
      const recall = Math.min(1, m / Math.max(queryWeight + extra, minimumQueryWeight));
      const precision = Math.min(1, mp / this.phraseWeight[phrase]!);
      const score = recall ** 0.6 * precision ** 0.4 * support(precision, unknownWords);
      const doc = this.phraseDoc[phrase]!;
      if (score > (best.get(doc)?.score ?? 0)) best.set(doc, { score, recall, precision });
    }
    const ranked = [...best.entries()]
      .sort((a, b) => b[1].score - a[1].score || a[0] - b[0])
      .slice(0, limit + hits.length);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    for (const [doc, { score, recall, precision }] of ranked) {
      const procedure = this.procedures[doc]!;
      if (seen.has(procedure.code)) continue;
      hits.push({ procedure, score: round(score), recall: round(recall), precision: round(precision) });
    }
    return hits.slice(0, limit);
  }

  /**
   * The field (lĩnh vực) a query names and nothing more, e.g. "hộ tịch" or "các thủ tục đất đai"; null otherwise.
   */
  matchField(analysis: Analysis): string | null {
    const folds = new Set(analysis.content.map((t) => t.fold));
    let best: { field: string; size: number } | null = null;
    for (const { field, folds: fieldFolds } of this.fieldTerms) {
      if (fieldFolds.length === 0 || !fieldFolds.every((f) => folds.has(f))) continue;
      const rest = [...folds].filter((f) => !fieldFolds.includes(f) && this.weights.has(f) && !this.language.weak.has(f));
      if (rest.length > 0) continue;
      if (!best || fieldFolds.length > best.size) best = { field, size: fieldFolds.length };
    }
    return best?.field ?? null;
  }

  /** The catalog uses this syllable (with these accents, when the writer typed accents: "lái" is not "lại"). */
  private isKnown(t: ContentToken): boolean {
    const keys = this.syllableKeys.get(t.fold);
    return keys !== undefined && (!t.accented || keys.has(t.key));
  }

  /** Replaces unknown syllables by known ones: split glued syllables, then correct one-edit typos. */
  private correct(tokens: readonly ContentToken[]): ContentToken[] {
    const out: ContentToken[] = [];
    for (const t of tokens) {
      if (this.vocabulary.has(t.fold) || /\d/.test(t.fold)) {
        out.push(t);
        continue;
      }
      const parts = this.vocabulary.split(t.fold);
      if (parts) {
        for (const p of parts) out.push(guessed(p, t.weak, 0.9));
        continue;
      }
      const fixed = this.vocabulary.correct(t.fold);
      out.push(fixed ? guessed(fixed, this.language.weak.has(fixed), typoCertainty) : t);
    }
    return out;
  }

  private queryTerms(tokens: readonly ContentToken[]): QueryTerm[] {
    const terms = new Map<string, QueryTerm>();
    tokens.forEach((t, i) => {
      if (!terms.has(t.fold)) terms.set(t.fold, { term: t.fold, tokens: [t] });
      const previous = tokens[i - 1];
      if (previous) {
        const term = `${previous.fold} ${t.fold}`;
        if (!terms.has(term)) terms.set(term, { term, tokens: [previous, t] });
      }
    });
    return [...terms.values()];
  }

  private quality(qt: QueryTerm, posting: Posting): number {
    if (posting.keys) {
      const t = qt.tokens[0]!;
      let q = 0;
      for (const key of posting.keys) q = Math.max(q, tokenMatchQuality(t, key, t.fold));
      return q * t.certainty;
    }
    // A pair: the weaker of its two syllables; their accents were checked by the unigram postings' keys, so
    // compare against the pair's own syllables through the unigram table.
    let q = 1;
    for (const t of qt.tokens) q = Math.min(q, this.syllableQuality(t));
    return q;
  }

  private syllableQuality(t: ContentToken): number {
    const postings = this.postings.get(t.fold);
    let q = 0;
    for (const p of postings ?? []) {
      for (const key of p.keys ?? []) q = Math.max(q, tokenMatchQuality(t, key, t.fold));
      if (q === 1) break;
    }
    return q * t.certainty;
  }
}

/**
 * Less trust in a match that names little of the procedure: under a third of its name or alias, or under 60 % while
 * the query has several words the catalog never uses ("cấp giấy phép lái xe" is not "giấy phép xây dựng").
 */
function support(precision: number, unknownWords: number): number {
  if (precision < 0.3) return 0.8;
  if (unknownWords >= 2 && precision < 0.6) return 0.8;
  return 1;
}

/** Weight of a phrase's term by its position: full for the first words, half by the 10th. */
function positionDecay(position: number): number {
  return 1 / (1 + position / 10);
}

function guessed(fold: string, weak: boolean, certainty: number): ContentToken {
  const token: Token = makeToken(fold);
  return { ...token, accented: false, weak, certainty };
}
