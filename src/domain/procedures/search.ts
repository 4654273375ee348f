/**
 * Procedure search over the commune's catalog, with our own Vietnamese analysis.
 *
 * Each procedure is indexed by field: its name, each alias, each situation (how citizens tell the need) and who it is
 * for are "phrases" of folded syllables and syllable pairs weighted by rarity (idf), each field with its own weight
 * ({@link fieldWeights}: a match on who it is for counts less than a match on the name). Documents are not searched
 * (a paper to bring is not the need: "có phải mang sổ hộ khẩu không"), and the lĩnh vực is matched on its own
 * ({@link ProcedureIndex.matchField}): both were measured on the development set and only cost time. A query's score for a phrase combines how much of the query the phrase explains (recall) and how
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
import { procedureQualifiers } from './siblings.js';

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

/** Where one term occurs: parallel arrays over the phrases that use it. */
interface PostingList {
  phrases: Int32Array;
  /** The term's weight in each phrase: its idf, less the later it comes (long official names end in detail). */
  weights: Float64Array;
  /** Accent keys each phrase uses for this syllable (null for pairs). */
  keys: (readonly string[] | null)[];
}

/** One phrase's terms, sorted by term id, for lookups when a common term is not scanned. */
interface PhraseTerms {
  ids: Int32Array;
  weights: Float64Array;
  keys: (readonly string[] | null)[];
}

/** A query term the catalog uses: a syllable, or a pair of syllables (`second` set). */
interface QueryTerm {
  id: number;
  first: ContentToken;
  second: ContentToken | null;
  /** The least of its syllables' salience (a pair spanning need and context counts as context). */
  salience: number;
  /** One of its syllables is optional. */
  optionalWord: boolean;
  /** Set for the terms searched: the term's weight in this query… */
  weight: number;
  /** …it counts in the query's weight only for the phrases that use it (optional word or context)… */
  optional: boolean;
  /** …it is a context word (outside the clause that carries the need)… */
  context: boolean;
  /** …and for a pair, how well it matches (the weaker of its syllables' matches anywhere in the catalog). */
  pairQuality: number;
}

/**
 * Weight of a match by the field it is found in (BM25F-style field boosts; the score of a phrase is multiplied by
 * it). Names and aliases are what the procedure is called; situations are the citizens' own words for the need; who
 * it is for only supports. Chosen on the development set.
 */
export const fieldWeights = { name: 1, alias: 1, situation: 0.95, audience: 0.7 } as const;
export type IndexedField = keyof typeof fieldWeights;

/** Context words (outside the clause that carries the need) count at most this share of the need's weight. */
const contextShare = 0.35;
const weakFactor = 0.3;
const noQualifiers: ReadonlySet<string> = new Set();
const bigramFactor = 0.5;
/** Weight of a query word the catalog never uses (a proper word, not a number). */
const unknownWordWeight = 2.5;
/** The least total query weight a score is measured against, so one common word alone cannot score high. */
const minimumQueryWeight = 2.5;
const typoCertainty = 0.7;
/**
 * Terms used by more phrases than this are not scanned when a rarer query term exists: they only add to the phrases
 * the rarer terms found (a phrase sharing nothing but common words with the query cannot score well anyway).
 */
const scanLimit = 400;
/** A looked-up term is walked when its posting list is shorter than this many times the touched phrases. */
const walkFactor = 4;
/** How many of the phrases with the best bounds a search scores first, to raise its floor. */
const firstScored = 16;

export class ProcedureIndex {
  private readonly termIds = new Map<string, number>();
  /** Pair terms by their syllables' ids (first × term count + second). */
  private readonly pairIds = new Map<number, number>();
  /** Scratch of one search: each term's place (1-based) among the query's terms, 0 when not said. */
  private readonly querySlot: Int32Array;
  private readonly termWeights: number[] = [];
  private readonly postings: PostingList[] = [];
  private readonly phraseTerms: PhraseTerms[] = [];
  /**
   * The procedures each phrase belongs to: a situation or audience text said the same way by several procedures
   * ("Công dân Việt Nam") is one phrase, scored once. Offsets into {@link phraseDocList}.
   */
  private readonly phraseDocStart: Int32Array;
  private readonly phraseDocList: Int32Array;
  /** Each phrase's field weight. */
  private readonly phraseField: Float64Array;
  /**
   * Initialisms of the catalog's own compounds ("bhxh" → bảo hiểm xã hội, "gcn" → giấy chứng nhận), built from the
   * names and aliases so any commune's catalog gets its own; the language table's abbreviations come first.
   */
  private readonly initialisms = new Map<string, Token[]>();
  private readonly phraseWeight: Float64Array;
  private readonly vocabulary: Vocabulary;
  private readonly byCodeMap = new Map<string, Procedure>();
  private readonly qualifierMap = new Map<string, ReadonlySet<string>>();
  private readonly syllableKeys = new Map<string, Set<string>>();
  private readonly fieldTerms: { field: string; folds: string[] }[] = [];
  private readonly matched: Float64Array;
  private readonly matchedInPhrase: Float64Array;
  private readonly optionalMatched: Float64Array;
  private readonly docScore: Float64Array;
  private readonly docRecall: Float64Array;
  private readonly docPrecision: Float64Array;
  /** Scratch space of one search: the phrases it touched, the documents it scored, the best k so far. */
  private readonly touched: Int32Array;
  /** The touched phrases as a bit set (small enough to stay in the fastest cache while lists are walked). */
  private readonly touchedBits: Int32Array;
  private readonly docs: Int32Array;
  private readonly top = new TopK();
  /** Index of each phrase's field weight in {@link fieldWeightValues}. */
  /** Per touched phrase (by its rank in `touched`): the bound of its score before the lookups. */
  private readonly bound: Float64Array;
  private readonly first = new Int32Array(firstScored);
  private readonly scorer: PhraseScorer;

  private constructor(
    readonly procedures: readonly Procedure[],
    readonly language: Language,
  ) {
    const syllableFrequency = new Map<string, number>();
    const documentFrequency = new Map<string, number>();
    const phraseDocs: number[][] = [];
    const sharedPhrases = new Map<string, number>();
    const phraseFields: number[] = [];
    const initialismCounts = new Map<string, Map<string, number>>();
    const phraseTermMaps: Map<string, { keys: string[] | null; position: number }>[] = [];
    const internedKeys = new Map<string, string[]>();
    procedures.forEach((procedure, doc) => {
      this.byCodeMap.set(procedure.code, procedure);
      this.qualifierMap.set(procedure.code, procedureQualifiers(analyze(procedure.name, language).tokens, language.qualifiers));
      const termsOfDoc = new Set<string>();
      for (const { text, field } of indexedTexts(procedure)) {
        // Names and aliases stay one phrase each (they count towards initialisms); shared situations are one phrase.
        const sharedKey = field === 'situation' || field === 'audience' ? `${field}\u0000${text}` : null;
        const shared = sharedKey === null ? undefined : sharedPhrases.get(sharedKey);
        if (shared !== undefined) {
          const owners = phraseDocs[shared]!;
          if (owners[owners.length - 1] !== doc) owners.push(doc);
          for (const term of phraseTermMaps[shared]!.keys()) termsOfDoc.add(term);
          continue;
        }
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
        // One shared array per distinct spelling set, so a query computes each syllable's accent match once.
        for (const entry of terms.values()) if (entry.keys) entry.keys = internKeys(internedKeys, entry.keys);
        for (let i = 1; i < tokens.length; i++) {
          const term = `${tokens[i - 1]!.fold} ${tokens[i]!.fold}`;
          if (!terms.has(term)) terms.set(term, { keys: null, position: i });
        }
        for (const term of terms.keys()) termsOfDoc.add(term);
        if (sharedKey !== null) sharedPhrases.set(sharedKey, phraseDocs.length);
        phraseDocs.push([doc]);
        phraseFields.push(fieldWeights[field]);
        phraseTermMaps.push(terms);
        if (field === 'name' || field === 'alias') collectInitialisms(initialismCounts, tokens);
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
      this.termIds.set(term, this.termWeights.length);
      this.termWeights.push(Math.log(1 + n / df) * (isBigram ? bigramFactor : 1) * (weak ? weakFactor : 1));
    }
    const termCount = this.termWeights.length;
    for (const [term, id] of this.termIds) {
      const space = term.indexOf(' ');
      if (space >= 0) this.pairIds.set(this.termIds.get(term.slice(0, space))! * termCount + this.termIds.get(term.slice(space + 1))!, id);
    }
    this.querySlot = new Int32Array(termCount);
    const building: { phrases: number[]; weights: number[]; keys: (readonly string[] | null)[] }[] = this.termWeights.map(() => ({ phrases: [], weights: [], keys: [] }));
    this.phraseWeight = new Float64Array(phraseTermMaps.length);
    phraseTermMaps.forEach((terms, phrase) => {
      let total = 0;
      const entries: { id: number; weight: number; keys: readonly string[] | null }[] = [];
      for (const [term, { keys, position }] of terms) {
        const id = this.termIds.get(term)!;
        const weight = this.termWeights[id]! * positionDecay(position);
        total += weight;
        const list = building[id]!;
        list.phrases.push(phrase);
        list.weights.push(weight);
        list.keys.push(keys);
        entries.push({ id, weight, keys });
      }
      entries.sort((a, b) => a.id - b.id);
      this.phraseTerms.push({ ids: Int32Array.from(entries, (e) => e.id), weights: Float64Array.from(entries, (e) => e.weight), keys: entries.map((e) => e.keys) });
      this.phraseWeight[phrase] = total;
    });
    for (const b of building) this.postings.push({ phrases: Int32Array.from(b.phrases), weights: Float64Array.from(b.weights), keys: b.keys });
    this.phraseDocStart = new Int32Array(phraseDocs.length + 1);
    phraseDocs.forEach((owners, phrase) => (this.phraseDocStart[phrase + 1] = this.phraseDocStart[phrase]! + owners.length));
    this.phraseDocList = Int32Array.from(phraseDocs.flat());
    this.phraseField = Float64Array.from(phraseFields);
    this.bound = new Float64Array(phraseDocs.length);
    this.touched = new Int32Array(phraseDocs.length);
    this.touchedBits = new Int32Array((phraseDocs.length >>> 5) + 1);
    this.docs = new Int32Array(procedures.length);
    this.vocabulary = new Vocabulary(syllableFrequency);
    for (const [initials, candidates] of initialismCounts) {
      if (syllableFrequency.has(initials) || language.abbreviations.has(initials)) continue;
      const [best] = [...candidates].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      if (best) this.initialisms.set(initials, best[0].split(' ').map(makeToken));
    }
    this.matched = new Float64Array(phraseDocs.length);
    this.matchedInPhrase = new Float64Array(phraseDocs.length);
    this.optionalMatched = new Float64Array(phraseDocs.length);
    this.docScore = new Float64Array(procedures.length);
    this.docRecall = new Float64Array(procedures.length);
    this.docPrecision = new Float64Array(procedures.length);
    const { matched, matchedInPhrase, optionalMatched, phraseTerms, phraseWeight, phraseField } = this;
    this.scorer = new PhraseScorer({ matched, matchedInPhrase, optionalMatched, phraseTerms, phraseWeight, phraseField });
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

  /** The qualifiers (re-registration, foreign element, copy, mobile…) this procedure's name carries. */
  qualifiersOf(code: string): ReadonlySet<string> {
    return this.qualifierMap.get(code) ?? noQualifiers;
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
    // Context words (outside the clause that carries the need) only support: like optional words they count in the
    // query's weight only for the phrases that use them, so a long story does not dilute the need; together they
    // weigh at most `contextShare` of the need.
    const queryTermsList = this.knownQueryTerms(tokens);
    let needWeight = 0;
    let contextWeight = 0;
    for (const qt of queryTermsList) {
      if (qt.optionalWord) continue;
      if (qt.salience < 1) contextWeight += this.termWeights[qt.id]! * qt.salience;
      else needWeight += this.termWeights[qt.id]!;
    }
    const contextScale = contextWeight > contextShare * needWeight && contextWeight > 0 ? (contextShare * needWeight) / contextWeight : 1;
    let queryWeight = 0;
    let unknownWords = 0;
    for (const t of tokens) {
      if (t.optional || (t.salience ?? 1) < 1) continue;
      if (!this.isKnown(t) && /\p{L}{2,}/u.test(t.fold) && !/\d/.test(t.fold)) {
        queryWeight += unknownWordWeight;
        unknownWords++;
      }
    }
    const known: QueryTerm[] = [];
    for (const qt of queryTermsList) {
      const { id, salience } = qt;
      const context = salience < 1;
      const weight = this.termWeights[id]! * (context ? salience * contextScale : 1);
      if (weight === 0) continue;
      const optional = context || qt.optionalWord;
      if (!optional) queryWeight += weight;
      qt.weight = weight;
      qt.optional = optional;
      qt.context = context;
      if (qt.second) qt.pairQuality = Math.min(this.syllableQuality(qt.first), this.syllableQuality(qt.second));
      known.push(qt);
    }
    if (known.length === 0) return hits.slice(0, limit);
    // Context terms are never scanned: they only add to the phrases the need's terms found (and keep long stories fast).
    const needTerms = known.some((t) => !t.context);
    known.sort((x, y) => this.postings[x.id]!.phrases.length - this.postings[y.id]!.phrases.length);
    // The rarest need term is always scanned, whatever its list's length.
    const firstScanned = known.find((t) => !needTerms || !t.context);

    const { matched, matchedInPhrase, optionalMatched, touched, touchedBits } = this;
    let touchedCount = 0;
    const looked: typeof known = [];
    for (const term of known) {
      const list = this.postings[term.id]!;
      if ((term !== firstScanned && list.phrases.length > scanLimit) || (needTerms && term.context)) {
        looked.push(term);
        continue;
      }
      const { phrases, weights, keys: listKeys } = list;
      const weight = term.weight;
      let lastKeys: readonly string[] | null = null;
      let lastQuality = 0;
      for (let i = 0; i < phrases.length; i++) {
        const keys = listKeys[i]!;
        if (keys && keys !== lastKeys) {
          lastKeys = keys;
          lastQuality = this.syllableQualityIn(term.first, keys);
        }
        const quality = keys ? lastQuality : term.pairQuality;
        if (quality === 0) continue;
        const phrase = phrases[i]!;
        if (matched[phrase] === 0) {
          touched[touchedCount++] = phrase;
          touchedBits[phrase >>> 5]! |= 1 << (phrase & 31);
        }
        matched[phrase]! += weight * quality;
        matchedInPhrase[phrase]! += weights[i]! * quality;
        // An optional word counts in the query's weight only for the phrases that use it.
        if (term.optional) optionalMatched[phrase]! += weight;
      }
    }
    // A looked term whose posting list is short next to the touched phrases is walked, touched phrases only; for the
    // others each touched phrase is looked up in its own sorted terms. Same sums either way, less work.
    const searched: typeof known = [];
    let searchedWeight = 0;
    for (const term of looked) {
      const list = this.postings[term.id]!;
      if (list.phrases.length >= walkFactor * touchedCount) {
        searched.push(term);
        searchedWeight += term.weight;
        continue;
      }
      const { phrases, weights, keys: listKeys } = list;
      let lastKeys: readonly string[] | null = null;
      let lastQuality = 0;
      for (let i = 0; i < phrases.length; i++) {
        const phrase = phrases[i]!;
        if ((touchedBits[phrase >>> 5]! & (1 << (phrase & 31))) === 0) continue;
        const keys = listKeys[i]!;
        if (keys && keys !== lastKeys) {
          lastKeys = keys;
          lastQuality = this.syllableQualityIn(term.first, keys);
        }
        const quality = keys ? lastQuality : term.pairQuality;
        matched[phrase]! += term.weight * quality;
        matchedInPhrase[phrase]! += weights[i]! * quality;
        if (term.optional) optionalMatched[phrase]! += term.weight;
      }
    }

    // Scores, with the exact top-k kept as we go: a phrase that cannot reach the k-th best document score found so far
    // (the floor) cannot be the best phrase of a document in the final k, since scores only grow; it is neither looked
    // up nor scored. Bounds before the lookups: recall grows by at most the searched terms' query weight, the phrase's
    // matched weight by at most their idf (a phrase's weight for a term is its idf or less, qualities are at most 1),
    // and support grows with precision. After them, recall^0.6 × precision^0.4 ≤ 0.6 recall + 0.4 precision spares
    // the powers. The phrases with the best bounds are scored first, so the floor is high from the start. Results
    // are identical to scoring every phrase.
    const k = limit + hits.length;
    const top = this.top.reset(k);
    const { docScore, docRecall, docPrecision, docs, phraseField, phraseWeight, phraseDocStart, phraseDocList, bound } = this;
    let docCount = 0;
    let floor = -1;
    const scorer = this.scorer;
    scorer.searched = searched;
    scorer.queryWeight = queryWeight;
    scorer.unknownWords = unknownWords;
    const scored = scorer.result;
    let searchedIdf = 0;
    for (const term of searched) searchedIdf += this.termWeights[term.id]!;
    if (searched.length > 0) {
      // The few phrases with the best bounds, best first (insertion into a short list).
      const firstCount = Math.min(touchedCount, firstScored);
      const first = this.first;
      let filled = 0;
      for (let j = 0; j < touchedCount; j++) {
        const phrase = touched[j]!;
        const recall = Math.min(1, (matched[phrase]! + searchedWeight) / Math.max(queryWeight + optionalMatched[phrase]!, minimumQueryWeight));
        const precision = Math.min(1, (matchedInPhrase[phrase]! + searchedIdf) / phraseWeight[phrase]!);
        // The cheap form of the bound (no powers); the exact one is taken only when this one passes the floor.
        const b = (0.6 * recall + 0.4 * precision) * support(precision, unknownWords) * phraseField[phrase]!;
        bound[j] = b;
        if (filled === firstCount && b <= bound[first[filled - 1]!]!) continue;
        let i = filled < firstCount ? filled++ : filled - 1;
        while (i > 0 && bound[first[i - 1]!]! < b) {
          first[i] = first[i - 1]!;
          i--;
        }
        first[i] = j;
      }
      for (let i = 0; i < filled; i++) {
        const phrase = touched[first[i]!]!;
        const score = scorer.score(phrase, -1) ? scored[0]! : -1;
        for (let at = phraseDocStart[phrase]!; at < phraseDocStart[phrase + 1]!; at++) if (score > floor) floor = top.offer(phraseDocList[at]!, score);
      }
    }
    for (let j = 0; j < touchedCount; j++) {
      const phrase = touched[j]!;
      let skip = false;
      if (floor > 0 && searched.length > 0) {
        const least = floor * (1 - 1e-9);
        if (bound[j]! < least) skip = true;
        else {
          const recall = Math.min(1, (matched[phrase]! + searchedWeight) / Math.max(queryWeight + optionalMatched[phrase]!, minimumQueryWeight));
          const precision = Math.min(1, (matchedInPhrase[phrase]! + searchedIdf) / phraseWeight[phrase]!);
          skip = Math.pow(recall, 0.6) * Math.pow(precision, 0.4) * support(precision, unknownWords) * phraseField[phrase]! < least;
        }
      }
      const score = !skip && scorer.score(phrase, floor) ? scored[0]! : -1;
      matched[phrase] = 0;
      matchedInPhrase[phrase] = 0;
      optionalMatched[phrase] = 0;
      touchedBits[phrase >>> 5] = 0;
      if (score < 0) continue;
      for (let at = phraseDocStart[phrase]!; at < phraseDocStart[phrase + 1]!; at++) {
        const doc = phraseDocList[at]!;
        if (docScore[doc] === 0) docs[docCount++] = doc;
        if (score > docScore[doc]!) {
          docScore[doc] = score;
          docRecall[doc] = scored[1]!;
          docPrecision[doc] = scored[2]!;
          if (score > floor) floor = top.offer(doc, score);
        }
      }
    }
    const best = topDocs(docs, docCount, docScore, k);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    for (const doc of best) {
      const procedure = this.procedures[doc]!;
      if (!seen.has(procedure.code)) {
        hits.push({ procedure, score: round(docScore[doc]!), recall: round(docRecall[doc]!), precision: round(docPrecision[doc]!) });
      }
    }
    for (let i = 0; i < docCount; i++) docScore[docs[i]!] = 0;
    return hits.slice(0, limit);
  }

  /**
   * The field (lĩnh vực) a query names and nothing more, e.g. "hộ tịch" or "các thủ tục đất đai"; null otherwise.
   */
  matchField(analysis: Analysis): string | null {
    const folds = new Set<string>();
    for (const t of analysis.content) folds.add(t.fold);
    let best: { field: string; size: number } | null = null;
    fields: for (const { field, folds: fieldFolds } of this.fieldTerms) {
      if (fieldFolds.length === 0) continue;
      for (const f of fieldFolds) if (!folds.has(f)) continue fields;
      // Nothing else the catalog knows (weak words aside) may be asked.
      for (const f of folds) if (!fieldFolds.includes(f) && this.termIds.has(f) && !this.language.weak.has(f)) continue fields;
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
      const expansion = t.accented ? undefined : this.initialisms.get(t.fold);
      if (expansion) {
        for (const p of expansion) out.push({ ...guessed(p.fold, this.language.weak.has(p.fold), 0.95), ...(t.salience !== undefined ? { salience: t.salience } : {}) });
        continue;
      }
      const parts = this.vocabulary.split(t.fold);
      const keep = t.salience !== undefined ? { salience: t.salience } : {};
      if (parts) {
        for (const p of parts) out.push({ ...guessed(p, t.weak, 0.9), ...keep });
        continue;
      }
      const fixed = this.vocabulary.correct(t.fold);
      out.push(fixed ? { ...guessed(fixed, this.language.weak.has(fixed), typoCertainty), ...keep } : t);
    }
    return out;
  }

  /**
   * The query's syllables and syllable pairs the catalog uses, in the order first said, each once: a term said both
   * in the story and in the need counts as need (the occurrence with the higher salience is kept, in the first place).
   * Terms are found by id: a pair by its two syllables' ids, without building its text.
   */
  private knownQueryTerms(tokens: readonly ContentToken[]): QueryTerm[] {
    const slot = this.querySlot;
    const out: QueryTerm[] = [];
    const add = (id: number, first: ContentToken, second: ContentToken | null, salience: number) => {
      const at = slot[id]!;
      if (at !== 0 && !(salience > out[at - 1]!.salience)) return;
      const optionalWord = first.optional === true || second?.optional === true;
      const term: QueryTerm = { id, first, second, salience, optionalWord, weight: 0, optional: false, context: false, pairQuality: 0 };
      if (at === 0) {
        out.push(term);
        slot[id] = out.length;
      } else out[at - 1] = term;
    };
    const termCount = this.termWeights.length;
    let previousId: number | undefined;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const id = this.termIds.get(t.fold);
      const salience = t.salience ?? 1;
      if (id !== undefined) add(id, t, null, salience);
      if (i > 0 && id !== undefined && previousId !== undefined) {
        const pair = this.pairIds.get(previousId * termCount + id);
        const previous = tokens[i - 1]!;
        if (pair !== undefined) add(pair, previous, t, Math.min(previous.salience ?? 1, salience));
      }
      previousId = id;
    }
    for (const qt of out) slot[qt.id] = 0;
    return out;
  }

  private syllableQualityIn(t: ContentToken, keys: readonly string[]): number {
    return syllableQualityIn(t, keys);
  }

  private syllableQuality(t: ContentToken): number {
    let q = 0;
    for (const key of this.syllableKeys.get(t.fold) ?? []) q = Math.max(q, tokenMatchQuality(t, key, t.fold));
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

function internKeys(table: Map<string, string[]>, keys: string[]): string[] {
  const id = keys.join('|');
  const shared = table.get(id);
  if (shared) return shared;
  table.set(id, keys);
  return keys;
}

/** How well a query syllable matches a phrase's spellings of it (the best of them), times its certainty. */
function syllableQualityIn(t: ContentToken, keys: readonly string[]): number {
  let q = 0;
  for (const key of keys) q = Math.max(q, tokenMatchQuality(t, key, t.fold));
  return q * t.certainty;
}

/** Index of `value` in the sorted array, or -1. */
function binarySearch(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The `k` best of `count` documents by score (ties: catalog order), without sorting them all. */
function topDocs(docs: Int32Array, count: number, scores: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let d = 0; d < count; d++) {
    const doc = docs[d]!;
    const s = scores[doc]!;
    if (top.length === k) {
      const last = top[k - 1]!;
      if (s < scores[last]! || (s === scores[last]! && doc > last)) continue;
      top.pop();
    }
    let i = top.length;
    while (i > 0 && (scores[top[i - 1]!]! < s || (scores[top[i - 1]!]! === s && top[i - 1]! > doc))) i--;
    top.splice(i, 0, doc);
  }
  return top;
}

/** What {@link PhraseScorer} reads of the index. */
interface ScoringTables {
  readonly matched: Float64Array;
  readonly matchedInPhrase: Float64Array;
  readonly optionalMatched: Float64Array;
  readonly phraseTerms: readonly PhraseTerms[];
  readonly phraseWeight: Float64Array;
  readonly phraseField: Float64Array;
}

/** One search's scoring of a phrase: the sums the scans left, the searched terms looked up in its own terms. */
class PhraseScorer {
  searched: readonly QueryTerm[] = [];
  queryWeight = 0;
  unknownWords = 0;
  /** Score, recall and precision of the last phrase scored (a typed array: no number is boxed per phrase). */
  readonly result = new Float64Array(3);

  constructor(private readonly index: ScoringTables) {}

  /** Scores the phrase into {@link result}; false (result not set) when it is below `floor`. */
  score(phrase: number, floor: number): boolean {
    const index = this.index;
    let m = index.matched[phrase]!;
    let extra = index.optionalMatched[phrase]!;
    let mp = index.matchedInPhrase[phrase]!;
    const searched = this.searched;
    if (searched.length > 0) {
      const own = index.phraseTerms[phrase]!;
      for (let s = 0; s < searched.length; s++) {
        const term = searched[s]!;
        const at = binarySearch(own.ids, term.id);
        if (at < 0) continue;
        const keys = own.keys[at]!;
        const quality = keys ? syllableQualityIn(term.first, keys) : term.pairQuality;
        m += term.weight * quality;
        mp += own.weights[at]! * quality;
        if (term.optional) extra += term.weight;
      }
    }
    const recall = Math.min(1, m / Math.max(this.queryWeight + extra, minimumQueryWeight));
    const precision = Math.min(1, mp / index.phraseWeight[phrase]!);
    const supported = support(precision, this.unknownWords);
    const field = index.phraseField[phrase]!;
    if (floor > 0 && (0.6 * recall + 0.4 * precision) * supported * field < floor * (1 - 1e-9)) return false;
    const result = this.result;
    result[0] = Math.pow(recall, 0.6) * Math.pow(precision, 0.4) * supported * field;
    result[1] = recall;
    result[2] = precision;
    return true;
  }
}

/**
 * The k best distinct documents of a search so far, for its pruning floor: the least of their scores, a lower bound
 * of the final k-th best score because a document's score only grows.
 */
class TopK {
  private docs = new Int32Array(16);
  private scores = new Float64Array(16);
  private count = 0;
  private k = 0;

  reset(k: number): this {
    if (k > this.docs.length) {
      this.docs = new Int32Array(k);
      this.scores = new Float64Array(k);
    }
    this.count = 0;
    this.k = k;
    return this;
  }

  /** Records a document's new (higher) score; returns the floor, or -1 while fewer than k documents are known. */
  offer(doc: number, score: number): number {
    const { docs, scores } = this;
    let at = -1;
    for (let i = 0; i < this.count; i++) {
      if (docs[i] === doc) {
        at = i;
        break;
      }
    }
    if (at >= 0) {
      // Each entry is a score the document reaches (its final score is at least that): keep the higher.
      if (score > scores[at]!) scores[at] = score;
    } else {
      if (this.count < this.k) at = this.count++;
      else {
        at = 0;
        for (let i = 1; i < this.count; i++) if (scores[i]! < scores[at]!) at = i;
      }
      docs[at] = doc;
      scores[at] = score;
    }
    if (this.count < this.k || this.k <= 0) return -1;
    let floor = scores[0]!;
    for (let i = 1; i < this.count; i++) if (scores[i]! < floor) floor = scores[i]!;
    return floor;
  }
}

function guessed(fold: string, weak: boolean, certainty: number): ContentToken {
  const token: Token = makeToken(fold);
  return { ...token, accented: false, weak, certainty };
}

/** The texts a procedure is found by, each with its field. */
function indexedTexts(procedure: Procedure): { text: string; field: IndexedField }[] {
  const texts: { text: string; field: IndexedField }[] = [{ text: procedure.name, field: 'name' }];
  for (const text of procedure.aliases) texts.push({ text, field: 'alias' });
  for (const text of procedure.situations ?? []) texts.push({ text, field: 'situation' });
  if (procedure.audience) texts.push({ text: procedure.audience, field: 'audience' });

  return texts;
}

/** Counts the initials of every 2–5 syllable run of a name or alias ("bảo hiểm xã hội" → bhxh, and bhxh with đ kept). */
function collectInitialisms(counts: Map<string, Map<string, number>>, tokens: readonly ContentToken[]): void {
  for (let start = 0; start < tokens.length; start++) {
    for (let length = 2; length <= 5 && start + length <= tokens.length; length++) {
      const run = tokens.slice(start, start + length);
      if (run.some((t) => !/^\p{L}/u.test(t.fold))) break;
      const initials = run.map((t) => t.fold[0]).join('');
      if (initials.length < 3) continue;
      const phrase = run.map((t) => t.text).join(' ');
      let byPhrase = counts.get(initials);
      if (!byPhrase) counts.set(initials, (byPhrase = new Map()));
      byPhrase.set(phrase, (byPhrase.get(phrase) ?? 0) + 1);
    }
  }
}
