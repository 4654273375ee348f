/**
 * The conversation engine: one citizen message and the conversation's context in, replies and the new context out.
 * Pure: no database, no clock, no I/O; the caller loads the knowledge and stores the context. Every channel uses it.
 *
 * @example
 * const result = respond({ message, context: {}, knowledge });
 * // result.outcome === 'answered', result.procedureCode === '1.001193', result.replies[0].kind === 'card'
 */
import type { InboundMessage, Reply } from '../messages.js';
import type { CommuneProfile, Hotline, Procedure } from '../procedures/procedure.js';
import { ProcedureIndex, type SearchHit } from '../procedures/search.js';
import { OverlayIndex, type CatalogIndex } from '../procedures/effective.js';
import { addNamedSiblings, applyQualifiers, differenceLine, messageQualifiers, SiblingFamilies } from '../procedures/siblings.js';
import { analyze, applySenses, expandAbbreviations, type Analysis } from '../text/analyze.js';
import { analyzeMessage, withoutReasons, type MessageAnalysis } from '../text/clauses.js';
import { longestMatch, type EmergencyKind, type Facet, type Language, type Referral } from '../text/language.js';
import { tokenize } from '../text/normalize.js';
import { readContext, type ConversationContext } from './context.js';
import { decodePayload, fieldId, type Payload } from './payloads.js';
import {
  candidatesReply,
  emergencyReply,
  facetReply,
  fieldPageReply,
  fieldPageSize,
  fieldsReply,
  followAddressing,
  hotlineReply,
  hoursReply,
  menuReply,
  offtopicReply,
  onlineReply,
  policeReply,
  procedureCard,
  referralReply,
  thanksReply,
  unansweredReply,
  unsupportedReply,
  whichProcedureReply,
} from './replies.js';
import { waitingReply } from './with-staff.js';

/** What the engine knows: the catalog (and its index), the hotline directory and the commune profile. */
export interface Knowledge {
  /** The commune's search index: its own, or the shared catalog's under its overrides (procedures/effective.ts). */
  index: CatalogIndex;
  procedures: readonly Procedure[];
  hotlines: readonly Hotline[];
  profile: CommuneProfile | null;
}

export const outcomes = [
  'answered',
  'choices',
  'unanswered',
  'greeting',
  'menu',
  'hotline',
  'info',
  'handover',
  'followup',
  'offtopic',
  'emergency',
  'referral',
] as const;
/** How the engine handled a message; recorded per inbound message for reports. */
export type Outcome = (typeof outcomes)[number];

/** A procedure the replies present (the answer or an offered choice). */
export interface Presented {
  code: string;
  name: string;
  score: number;
}

export interface EngineInput {
  message: InboundMessage;
  /** The decision thresholds (the sweep tries others); default {@link defaultThresholds}. */
  thresholds?: Thresholds;
  /** The stored context (unknown shapes are read as empty). */
  context: unknown;
  knowledge: Knowledge;
}

export interface EngineResult {
  replies: Reply[];
  context: ConversationContext;
  outcome: Outcome;
  procedureCode?: string;
  field?: string;
  /** The citizen asked for staff: the conversation now waits for them. */
  handover: boolean;
  /** What the replies present, best first; empty for referrals, greetings, off-topic and contact questions. */
  presented: Presented[];
}

/**
 * The decision thresholds, chosen from the precision–recall sweep on both development sets
 * (`npm run eval -- --sweep --set test/eval/questions.jsonl,test/eval/dev-long.jsonl`).
 * Scores are in [0, 1] and mean the same thing whatever the question.
 */
export interface Thresholds {
  /** A top score at or above this, clear of the next one and naming enough of the procedure, is answered directly. */
  answer: number;
  /** How far the top score must lead the next to be answered without asking. */
  margin: number;
  /** Share of a name, alias or situation the question must name to be answered without asking. */
  precision: number;
  /** Candidates at or above this are offered as choices («Có phải bạn muốn hỏi…»). */
  choices: number;
  /** Below the choices threshold: at or above this (or with administrative wording) "not found", else off-topic. */
  fallback: number;
}

export const defaultThresholds: Thresholds = { answer: 0.55, margin: 0.07, precision: 0.5, choices: 0.35, fallback: 0.3 };

/** Offered candidates are within this distance of the top score. */
const choiceWindow = 0.15;
const maxChoices = 4;

/**
 * Builds what the engine derives from the catalog once (sibling families, the referral index), so the first message
 * does not pay for it. Optional: the engine builds them on first use.
 */
export function prepareKnowledge(knowledge: Knowledge): void {
  familiesOf(knowledge.index);
  referralIndexOf(knowledge.index);
}

/** Handles one inbound message. */
export function respond(input: EngineInput): EngineResult {
  const context = readContext(input.context);
  const { message, knowledge } = input;
  if (message.kind === 'start' || message.kind === 'follow') {
    return result('menu', [menuReply(knowledge.profile, 'Xin chào!')], context);
  }
  if (message.kind === 'unsupported') return result('menu', [unsupportedReply()], context);
  const payload = message.kind === 'choice' ? decodePayload(message.payload) : null;
  if (payload) return respondToPayload(payload, context, knowledge, message.receivedAt);
  return followAddressing(respondToText(message.text, context, knowledge, input.thresholds ?? defaultThresholds, message.receivedAt), message.text);
}

function result(outcome: Outcome, replies: Reply[], context: ConversationContext, extra: Partial<EngineResult> = {}): EngineResult {
  return { replies, context, outcome, handover: false, presented: [], ...extra };
}

function present(hit: SearchHit): Presented {
  return { code: hit.procedure.code, name: hit.procedure.name, score: hit.score };
}

function answer(procedure: Procedure, score: number, facets: Facet[], context: ConversationContext, knowledge: Knowledge, outcome: Outcome): EngineResult {
  const reply = facets.length > 0 && !facets.includes('documents') ? facetReply(procedure, facets, knowledge.profile) : procedureCard(procedure, knowledge.profile);
  return result(outcome, [reply], { lastProcedureCode: procedure.code }, {
    procedureCode: procedure.code,
    field: procedure.field,
    presented: [{ code: procedure.code, name: procedure.name, score }],
  });
}

function procedure(knowledge: Knowledge, code: string | undefined): Procedure | undefined {
  return code === undefined ? undefined : knowledge.index.byCode(code);
}

function fieldProcedures(knowledge: Knowledge, field: string): Procedure[] {
  return knowledge.index.procedures.filter((p) => p.field === field);
}

function browseField(field: string, page: number, context: ConversationContext, knowledge: Knowledge): EngineResult {
  const procedures = fieldProcedures(knowledge, field);
  const safePage = Math.max(0, Math.min(page, Math.floor((procedures.length - 1) / fieldPageSize)));
  const shown = procedures.slice(safePage * fieldPageSize, (safePage + 1) * fieldPageSize);
  return result('choices', [fieldPageReply(field, procedures, safePage)], { ...context, field, offered: shown.map((p) => p.code) }, {
    field,
    presented: shown.map((p) => ({ code: p.code, name: p.name, score: 0 })),
  });
}

function handover(context: ConversationContext, knowledge: Knowledge, at: Date): EngineResult {
  return result('handover', [waitingReply(knowledge.profile, at)], context, { handover: true });
}

function respondToPayload(payload: Payload, context: ConversationContext, knowledge: Knowledge, at: Date): EngineResult {
  switch (payload.kind) {
    case 'procedure': {
      const p = procedure(knowledge, payload.code);
      return p ? answer(p, 1, [], context, knowledge, 'answered') : result('menu', [menuReply(knowledge.profile, 'Thủ tục này không còn trong danh mục.')], context);
    }
    case 'facet': {
      const p = procedure(knowledge, payload.code);
      return p ? answer(p, 1, [payload.facet], context, knowledge, 'followup') : result('menu', [menuReply(knowledge.profile, 'Thủ tục này không còn trong danh mục.')], context);
    }
    case 'menu':
      return result('menu', [menuReply(knowledge.profile, 'Dạ,')], context);
    case 'fields':
      return result('menu', [fieldsReply(knowledge.index.fields())], context);
    case 'field': {
      const field = knowledge.index.fields().find((f) => fieldId(f) === payload.id);
      return field ? browseField(field, payload.page, context, knowledge) : result('menu', [fieldsReply(knowledge.index.fields())], context);
    }
    case 'hotline':
      return result('hotline', [hotlineReply(knowledge.hotlines, knowledge.profile)], context);
    case 'hours':
      return result('info', [hoursReply(knowledge.profile)], context);
    case 'online':
      return result('info', [onlineReply(knowledge.profile, knowledge.hotlines)], context);
    case 'staff':
      return handover(context, knowledge, at);
  }
}

function facetsOf(analysis: Analysis): Facet[] {
  const facets: Facet[] = [];
  for (const intent of analysis.intents) if (intent.startsWith('facet:')) facets.push(intent.slice(6) as Facet);
  return facets;
}

function emergencyKinds(analysis: Analysis): EmergencyKind[] {
  const kinds: EmergencyKind[] = [];
  for (const flag of analysis.flags) if (flag.startsWith('emergency:')) kinds.push(flag.slice(10) as EmergencyKind);
  return kinds;
}

type Decision = { kind: 'confident'; hit: SearchHit } | { kind: 'choices'; hits: SearchHit[] } | { kind: 'none' };

/** Answers directly only when the best match is both good and clearly ahead; otherwise asks. */
export function decide(hits: readonly SearchHit[], thresholds: Thresholds = defaultThresholds): Decision {
  const [top, second] = hits;
  if (!top || top.score < thresholds.choices) return { kind: 'none' };
  // Confident also means the question names most of one of the procedure's names, aliases or situations.
  const named = top.precision >= thresholds.precision;
  if (named && top.score >= thresholds.answer && (!second || top.score - second.score >= thresholds.margin)) return { kind: 'confident', hit: top };
  const close = hits.filter((h) => h.score >= Math.max(thresholds.choices, top.score - choiceWindow)).slice(0, maxChoices);
  if (named && close.length === 1 && top.score >= thresholds.answer) return { kind: 'confident', hit: top };
  return { kind: 'choices', hits: close };
}

/**
 * Searches a message. A long one is read two ways, the need clause weighed and the story as context, and the whole
 * story flat ("mẹ tôi mất hôm qua ở nhà, giờ phải báo với xã thế nào": the story is the need); each procedure keeps
 * its better score. Stories over {@link flatReadingTokens} syllables are read the first way only.
 */
const flatReadingTokens = 40;

function searchMessage(index: CatalogIndex, analysis: MessageAnalysis): SearchHit[] {
  const weighed = index.searchAnalysis(analysis, 8);
  if (analysis.tokens.length > flatReadingTokens || !analysis.content.some((t) => (t.salience ?? 1) < 1)) return weighed;
  const flat = index.searchAnalysis({ ...analysis, content: analysis.content.map(({ salience: _s, ...t }) => t) }, 8);
  const best = new Map<string, SearchHit>();
  for (const h of [...weighed, ...flat]) {
    const seen = best.get(h.procedure.code);
    if (!seen || h.score > seen.score) best.set(h.procedure.code, h);
  }
  return [...best.values()].sort((a, b) => b.score - a.score).slice(0, 8);
}

/**
 * The index whose derived tables (sibling families, referral index) a commune's index can use: a commune's overlay
 * changes no name, field or qualifier, so it shares the shared catalog's tables (a sibling it does not offer is
 * dropped by its byCode); 100 communes on one catalog build them once.
 */
function sharedOf(index: CatalogIndex): CatalogIndex {
  return index instanceof OverlayIndex ? index.base : index;
}

const families = new WeakMap<CatalogIndex, SiblingFamilies>();

/** The sibling families of the index's catalog, built once per (shared) index. */
export function familiesOf(commune: CatalogIndex): SiblingFamilies {
  const index = sharedOf(commune);
  let f = families.get(index);
  if (!f) {
    const procedures = index.procedures.map((p) => ({ code: p.code, field: p.field, nameTokens: applySenses(expandAbbreviations(tokenize(p.name), index.language), index.language), qualifiers: index.qualifiersOf(p.code) }));
    families.set(index, (f = new SiblingFamilies(procedures, index.language.qualifiers)));
  }
  return f;
}

/** A referral wins over a procedure unless the message names that procedure outright. */
const referralOverride = 0.8;
/** …or the procedure reads clearly better than the referral's own words do (a referral word in the story). */
const referralLead = 0.1;

const referralIndexes = new WeakMap<CatalogIndex, { index: ProcedureIndex; byKey: Map<string, Referral> }>();

/**
 * The referral table indexed like the catalog (matter as the name, citizen wording as aliases), so a referral's
 * match on a message is scored on the same scale as a procedure's.
 */
export function referralIndexOf(commune: CatalogIndex): { index: ProcedureIndex; byKey: Map<string, Referral> } {
  const index = sharedOf(commune);
  let r = referralIndexes.get(index);
  if (!r) {
    const language = index.language;
    const pseudo: Procedure[] = language.referrals.map((ref) => ({
      code: ref.key,
      name: ref.matter,
      field: 'referral',
      documents: [],
      processingTime: '',
      fees: '',
      submitAt: ref.where,
      onlineUrl: null,
      onlineLevel: null,
      legalBasis: [],
      aliases: language.referralPhrases.get(ref.key) ?? [],
      situations: [],
      audience: null,
      source: null,
      active: true,
    }));
    r = { index: ProcedureIndex.build(pseudo, language), byKey: new Map(language.referrals.map((ref) => [ref.key, ref])) };
    referralIndexes.set(index, r);
  }
  return r;
}

/**
 * The referral whose wording the message uses, with how well the message reads as that matter and whether the words
 * are in the need (a referral word in the story only wins when the matter reads better than any procedure).
 */
function referralFor(analysis: MessageAnalysis, text: string, index: CatalogIndex): { referral: Referral; score: number; inNeed: boolean } | null {
  const language = index.language;
  if (language.referrals.length === 0) return null;
  const found = (words: string) => {
    const tokens = expandAbbreviations(tokenize(words), language);
    const keys = new Set<string>();
    for (let i = 0; i < tokens.length; i++) {
      const m = longestMatch(language.referralWords, tokens, i);
      if (m) for (const v of m.values) keys.add(v);
    }
    return keys;
  };
  const inNeed = found(withoutReasons(analysis.needText, language));
  const keys = inNeed.size > 0 ? inNeed : found(analysis.long ? text : analysis.needText);
  if (keys.size === 0) return null;
  const ri = referralIndexOf(index);
  const best = ri.index.searchAnalysis(analysis, 8).find((h) => keys.has(h.procedure.code));
  const key = best?.procedure.code ?? [...keys][0]!;
  return { referral: ri.byKey.get(key)!, score: best?.score ?? 0, inNeed: inNeed.size > 0 };
}

function respondToText(text: string, context: ConversationContext, knowledge: Knowledge, thresholds: Thresholds, at: Date): EngineResult {
  const language = knowledge.index.language;
  const analysis = analyzeMessage(text, language);
  const facets = facetsOf(analysis);
  // Qualifiers count wherever the citizen says them ("chồng em là người Hàn Quốc, …làm khai sinh cho con").
  const named = messageQualifiers(analysis.tokens, language);
  const qualifiersOf = (code: string) => knowledge.index.qualifiersOf(code);
  const families = familiesOf(knowledge.index);
  const found = addNamedSiblings(searchMessage(knowledge.index, analysis), named, qualifiersOf, families, (code) => knowledge.index.byCode(code));
  const hits = applyQualifiers(found, named, qualifiersOf, families);
  const decision = decide(hits, thresholds);
  const emergency = emergencyKinds(analysis);
  // "Giấy khai sinh bị cháy" is a procedure, "nhà tôi đang cháy" an emergency: a confident procedure wins.
  if (emergency.length > 0 && decision.kind !== 'confident') return result('emergency', [emergencyReply(emergency)], context);
  if (analysis.intents.has('staff')) return handover(context, knowledge, at);
  // A thank-you note that tells how a procedure went asks for nothing.
  if (analysis.thanksOnly && (decision.kind !== 'confident' || analysis.thanksNote)) return result('greeting', [thanksReply()], context);

  const referral = referralFor(analysis, text, knowledge.index);
  const top = hits[0];
  // …or names the qualifier of a commune procedure ("ly hôn đã giải quyết ở nước ngoài" is recorded by the commune).
  const namesProcedure =
    decision.kind === 'confident' &&
    top !== undefined &&
    ((top.score >= referralOverride && top.precision >= referralOverride) ||
      [...knowledge.index.qualifiersOf(top.procedure.code)].some((q) => named.has(q)) ||
      (referral !== null && top.score >= referral.score + referralLead));
  const storyReferralWins = referral !== null && (referral.inNeed || top === undefined || referral.score >= top.score + referralLead);
  if (referral && storyReferralWins && !namesProcedure) return result('referral', [referralReply(referral.referral, knowledge.profile)], context);

  // A phone number is asked for even when a procedure is named ("sđt hỏi về khai sinh"); hours and address are not
  // ("đổi địa chỉ hộ kinh doanh" is a procedure, and its card says where and when to submit).
  // "…vì bố em không liên lạc nữa": contact words in the reason are not a request for a phone number.
  const asksHotline = analysis.intents.has('hotline') && (!analysis.long || analyze(withoutReasons(analysis.needText, language), language).intents.has('hotline'));
  if (decision.kind === 'confident' && !asksHotline) {
    return answer(decision.hit.procedure, decision.hit.score, facets, context, knowledge, 'answered');
  }
  // A long story that reads as procedures is offered them: "…vào sáng chủ nhật", "kính gửi Công an xã", "nộp trên mạng"
  // are words of the story, not a request for hours, an address or a phone number.
  const storyChoices = analysis.long && decision.kind === 'choices' && !analysis.flags.has('complaint');
  if (asksHotline && !storyChoices) return result('hotline', [hotlineReply(knowledge.hotlines, knowledge.profile)], context);
  if ((analysis.intents.has('hours') || analysis.flags.has('address')) && !storyChoices) return result('info', [hoursReply(knowledge.profile)], context);

  const last = procedure(knowledge, context.lastProcedureCode);
  const hasContent = hits.length > 0 && hits[0]!.score >= thresholds.choices;
  if (facets.length > 0 && last && !hasContent) return answer(last, 1, facets, context, knowledge, 'followup');

  const field = knowledge.index.matchField(analysis);
  if (field && decision.kind !== 'confident') return browseField(field, 0, context, knowledge);

  if (decision.kind === 'choices') {
    const procedures = decision.hits.map((h) => h.procedure);
    const differences = procedures.map((p) => differenceLine(p, (code) => knowledge.index.qualifiersOf(code), language, procedures));
    return result('choices', [candidatesReply(procedures, differences)], { ...context, offered: procedures.map((p) => p.code) }, { presented: decision.hits.map(present) });
  }
  if (analysis.intents.has('online') || facets.includes('online')) {
    return result('info', [onlineReply(knowledge.profile, knowledge.hotlines)], context);
  }
  if (analysis.flags.has('police')) return result('info', [policeReply(knowledge.profile)], context);
  if (analysis.intents.has('menu')) return result('menu', [fieldsReply(knowledge.index.fields())], context);
  const meaningful = analysis.content.some((t) => !t.weak && /\p{L}/u.test(t.fold));
  if (facets.length > 0 && !meaningful) return result('menu', [whichProcedureReply(facets)], context);
  if (analysis.intents.has('thanks') && !meaningful) return result('greeting', [thanksReply()], context);
  if (analysis.intents.has('greeting') && !meaningful) return result('greeting', [menuReply(knowledge.profile, 'Xin chào!')], context);
  if (analysis.flags.has('administrative') || (hits[0]?.score ?? 0) >= thresholds.fallback || facets.length > 0) {
    return result('unanswered', [unansweredReply(knowledge.hotlines, knowledge.profile)], context);
  }
  return result('offtopic', [offtopicReply(knowledge.profile)], context);
}
