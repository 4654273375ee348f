/**
 * The language tables (content/language/*.json) as the analyzer uses them: abbreviations, synonyms, stopwords and
 * intent phrases, kept as data so staff can extend them. `compileLanguage` validates the raw tables and builds the
 * phrase tries once.
 */
import { z } from 'zod';
import { foldDiacritics, foldToken, tokenize, type Token } from './normalize.js';

const phraseList = z.array(z.string().min(1));

export const languageTablesSchema = z.object({
  abbreviations: z.object({ entries: z.record(z.string().min(1), z.string().min(1)) }),
  synonyms: z.object({ entries: z.array(z.object({ from: phraseList.min(1), to: z.string().min(1) })) }),
  stopwords: z.object({ filler: phraseList, weak: phraseList }),
  intents: z.object({
    greeting: phraseList,
    thanks: phraseList,
    menu: phraseList,
    staff: phraseList,
    hotline: phraseList,
    hours: phraseList,
    address: phraseList,
    online: phraseList,
    emergency: z.object({ fire: phraseList, police: phraseList, medical: phraseList, child: phraseList }),
    police: phraseList,
    facets: z.object({
      documents: phraseList,
      processingTime: phraseList,
      fees: phraseList,
      submitAt: phraseList,
      legalBasis: phraseList,
      online: phraseList,
    }),
    administrative: phraseList,
    /** A complaint or a request for the hotline itself ("phản ánh", "đường dây nóng"): never read as story words. */
    complaint: phraseList.optional(),
  }),
  clauses: z.object({
    need: phraseList,
    openers: phraseList,
    closers: phraseList,
    /** Words that introduce a paper named as something to bring ("có cần mang sổ hộ khẩu không"): not the need. */
    documents: phraseList.optional(),
    /** Words that introduce why the need arises ("để", "vì"): what follows is a reason, not the request. */
    purpose: phraseList.optional(),
    /** Phrases that say the whole message is a thank-you note ("nhắn tin này chỉ để cảm ơn"). */
    thanksNote: phraseList.optional(),
  }),
  qualifiers: z.object({
    entries: z.array(
      z.object({
        key: z.string().min(1),
        marks: phraseList.min(1),
        words: phraseList.min(1),
        difference: z.string().min(1),
        /** Qualifiers this one cancels when both are named ("mất bản chính, xin bản sao": a copy, not a re-registration). */
        outranks: z.array(z.string().min(1)).optional(),
      }),
    ),
  }),
  /** Senses of words with several meanings, read from their neighbours (content/language/senses.json); optional. */
  senses: z
    .object({
      rules: z.array(
        z.object({
          word: z.string().min(1),
          as: z.string().min(1),
          after: phraseList.optional(),
          before: phraseList.optional(),
          gap: z.number().int().min(0).max(6).optional(),
        }),
      ),
    })
    .optional(),
  /** Matters outside the commune's remit (content/language/referrals.json); optional. */
  referrals: z
    .union([
      z.array(referralSchema()),
      z.object({ entries: z.array(referralSchema()) }).transform((o) => o.entries),
      z.object({ referrals: z.array(referralSchema()) }).transform((o) => o.referrals),
    ])
    .optional(),
});

function referralSchema() {
  return z.object({
    key: z.string().min(1),
    matter: z.string().min(1),
    words: phraseList.min(1),
    where: z.string().min(1),
    how: z.string().nullish(),
    url: z.string().url().nullish(),
  });
}

/**
 * One sense rule: `word` reads as `as` when a word or phrase of `before` follows it ("mất căn cước": the whole phrase,
 * so an unaccented "mat can lam" is not read as a lost card) or one of `after` precedes it.
 */
export interface SenseRule {
  as: Token[];
  before: Set<string> | null;
  /** Phrases of several syllables in `before`, as folded syllables. */
  beforePhrases: string[][];
  after: Set<string> | null;
  gap: number;
  /** The word's own accents (a word typed with other accents is another word). */
  pattern: Token;
}

/** A matter outside the commune's remit and where to go for it. */
export interface Referral {
  key: string;
  /** Vietnamese, e.g. "Ly hôn". */
  matter: string;
  /** The body that handles it. */
  where: string;
  how: string | null;
  url: string | null;
}

/** A qualifier that chooses between procedures of one family (lost original → re-registration, foreign element…). */
export interface Qualifier {
  key: string;
  /** Phrases in a procedure's name that give it this qualifier. */
  marks: Token[][];
  /** One line telling this variant apart, shown with the choices. */
  difference: string;
  /** Keys of qualifiers this one cancels when the message names both. */
  outranks: string[];
}

/** The raw JSON tables, one property per file. */
export type LanguageTables = z.infer<typeof languageTablesSchema>;

export const facetNames = ['documents', 'processingTime', 'fees', 'submitAt', 'legalBasis', 'online'] as const;
/** One aspect of a procedure a citizen can ask about. */
export type Facet = (typeof facetNames)[number];

/** Intents found by phrase (their words are not procedure content). */
export type ConsumedIntent = 'greeting' | 'thanks' | 'menu' | 'staff' | 'hotline' | 'hours' | 'online' | `facet:${Facet}`;
export type EmergencyKind = 'fire' | 'police' | 'medical' | 'child';
/**
 * Intents flagged without removing their words from the search ("địa chỉ" asks where the commune is, but is also part
 * of "thay đổi địa chỉ kinh doanh").
 */
export type FlagIntent = `emergency:${EmergencyKind}` | 'police' | 'administrative' | 'address' | 'complaint';

/** A phrase as a sequence of pattern syllables. */
type Pattern = Token[];

/** A trie over folded syllables; each end node lists the phrases (with their exact tokens) ending there. */
export interface PhraseTrie<T> {
  children: Map<string, PhraseTrie<T>>;
  ends: { pattern: Pattern; value: T }[];
}

function emptyTrie<T>(): PhraseTrie<T> {
  return { children: new Map(), ends: [] };
}

function addPhrase<T>(trie: PhraseTrie<T>, phrase: string, value: T): void {
  const pattern = tokenize(phrase);
  if (pattern.length === 0) return;
  let node = trie;
  for (const t of pattern) {
    let next = node.children.get(t.fold);
    if (!next) node.children.set(t.fold, (next = emptyTrie()));
    node = next;
  }
  node.ends.push({ pattern, value });
}

/** A typed syllable matches a pattern syllable when accents agree, or when the writer typed none. */
export function syllableMatches(typed: Token, pattern: Token): boolean {
  return typed.fold === pattern.fold && (typed.key === pattern.key || !typed.accented);
}

/**
 * Longest phrase of the trie starting at `start`, accent-aware; returns its length and values (several phrases of
 * the same words may carry different values).
 */
export function longestMatch<T>(trie: PhraseTrie<T>, tokens: readonly Token[], start: number): { length: number; values: T[] } | null {
  // Walks without allocating (this runs for every syllable of every message, several tries each); only the match found
  // builds its values.
  let node: PhraseTrie<T> | undefined = trie;
  let bestNode: PhraseTrie<T> | null = null;
  let bestLength = 0;
  for (let i = start; i < tokens.length; i++) {
    node = node.children.get(tokens[i]!.fold);
    if (!node) break;
    const ends = node.ends;
    for (let e = 0; e < ends.length; e++) {
      if (patternMatchesAt(ends[e]!.pattern, tokens, start)) {
        bestNode = node;
        bestLength = i - start + 1;
        break;
      }
    }
  }
  if (!bestNode) return null;
  const values: T[] = [];
  for (const e of bestNode.ends) if (patternMatchesAt(e.pattern, tokens, start) && !values.includes(e.value)) values.push(e.value);
  return { length: bestLength, values };
}

function patternMatchesAt(pattern: Pattern, tokens: readonly Token[], start: number): boolean {
  for (let k = 0; k < pattern.length; k++) if (!syllableMatches(tokens[start + k]!, pattern[k]!)) return false;
  return true;
}

/** What a phrase does in a long message's clause. */
export type ClauseRole = 'need' | 'opener' | 'closer' | 'documents' | 'purpose' | 'thanksNote';

/** The compiled language: what {@link analyze} needs. */
export interface Language {
  /** Folded abbreviation → expansion tokens. */
  abbreviations: Map<string, Token[]>;
  synonyms: PhraseTrie<Token[]>;
  /** Polite filler and function words; the value is the phrase's own syllables. */
  filler: PhraseTrie<Token[]>;
  /** Folded syllables too common to discriminate: counted at a fraction of their weight. */
  weak: Set<string>;
  consumed: PhraseTrie<ConsumedIntent>;
  flags: PhraseTrie<FlagIntent>;
  /** Clause roles in long messages: words that mark the need, openers and closers to drop. */
  clauses: PhraseTrie<ClauseRole>;
  qualifiers: Qualifier[];
  /** Citizen wording → qualifier key. */
  qualifierWords: PhraseTrie<string>;
  referrals: Referral[];
  /** Citizen wording → referral key. */
  referralWords: PhraseTrie<string>;
  /** Referral key → its citizen wording, as written in the table. */
  referralPhrases: Map<string, string[]>;
  /** Folded word → its sense rules, in order. */
  senses: Map<string, SenseRule[]>;
}

/** Validates the raw tables and builds the tries. Throws a zod error naming the bad entry. */
export function compileLanguage(raw: unknown): Language {
  const tables = languageTablesSchema.parse(raw);
  const abbreviations = new Map<string, Token[]>();
  for (const [short, long] of Object.entries(tables.abbreviations.entries)) {
    abbreviations.set(foldToken(foldDiacritics(short)), tokenize(long));
  }
  const synonyms = emptyTrie<Token[]>();
  for (const entry of tables.synonyms.entries) {
    const to = tokenize(entry.to);
    for (const from of entry.from) addPhrase(synonyms, from, to);
  }
  const filler = emptyTrie<Token[]>();
  for (const p of tables.stopwords.filler) addPhrase(filler, p, tokenize(p));
  const weak = new Set(tables.stopwords.weak.flatMap((p) => tokenize(p).map((t) => t.fold)));

  const consumed = emptyTrie<ConsumedIntent>();
  const i = tables.intents;
  for (const name of ['greeting', 'thanks', 'menu', 'staff', 'hotline', 'hours', 'online'] as const) {
    for (const p of i[name]) addPhrase(consumed, p, name);
  }
  for (const facet of facetNames) for (const p of i.facets[facet]) addPhrase(consumed, p, `facet:${facet}`);

  const flags = emptyTrie<FlagIntent>();
  for (const kind of ['fire', 'police', 'medical', 'child'] as const) {
    for (const p of i.emergency[kind]) addPhrase(flags, p, `emergency:${kind}`);
  }
  for (const p of i.police) addPhrase(flags, p, 'police');
  for (const p of i.address) addPhrase(flags, p, 'address');
  for (const p of i.administrative) addPhrase(flags, p, 'administrative');
  for (const p of i.complaint ?? []) addPhrase(flags, p, 'complaint');

  const clauses = emptyTrie<ClauseRole>();
  for (const p of tables.clauses.need) addPhrase(clauses, p, 'need');
  for (const p of tables.clauses.openers) addPhrase(clauses, p, 'opener');
  for (const p of tables.clauses.closers) addPhrase(clauses, p, 'closer');
  for (const p of tables.clauses.documents ?? []) addPhrase(clauses, p, 'documents');
  for (const p of tables.clauses.purpose ?? []) addPhrase(clauses, p, 'purpose');
  for (const p of tables.clauses.thanksNote ?? []) addPhrase(clauses, p, 'thanksNote');
  const qualifierWords = emptyTrie<string>();
  const qualifiers: Qualifier[] = tables.qualifiers.entries.map((q) => {
    for (const w of q.words) addPhrase(qualifierWords, w, q.key);
    return { key: q.key, marks: q.marks.map((m) => tokenize(m)), difference: q.difference, outranks: q.outranks ?? [] };
  });
  const referralWords = emptyTrie<string>();
  const referralPhrases = new Map<string, string[]>();
  const referrals: Referral[] = (tables.referrals ?? []).map((r) => {
    for (const w of r.words) addPhrase(referralWords, w, r.key);
    referralPhrases.set(r.key, [...(referralPhrases.get(r.key) ?? []), ...r.words]);
    return { key: r.key, matter: r.matter, where: r.where, how: r.how ?? null, url: r.url ?? null };
  });
  const senses = new Map<string, SenseRule[]>();
  const folds = (list: string[] | undefined) => (list && list.length > 0 ? new Set(list.flatMap((w) => tokenize(w).map((t) => t.fold))) : null);
  for (const rule of tables.senses?.rules ?? []) {
    const pattern = tokenize(rule.word)[0];
    if (!pattern) continue;
    const list = senses.get(pattern.fold) ?? [];
    const single = (rule.before ?? []).filter((w) => tokenize(w).length === 1);
    const phrases = (rule.before ?? []).map((w) => tokenize(w).map((t) => t.fold)).filter((f) => f.length > 1);
    list.push({ as: tokenize(rule.as), before: rule.before ? folds(single) ?? new Set() : null, beforePhrases: phrases, after: folds(rule.after), gap: rule.gap ?? 2, pattern });
    senses.set(pattern.fold, list);
  }
  return { abbreviations, synonyms, filler, weak, consumed, flags, clauses, qualifiers, qualifierWords, referrals, referralWords, referralPhrases, senses };
}
