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
import type { ProcedureIndex, SearchHit } from '../procedures/search.js';
import { analyze, type Analysis } from '../text/analyze.js';
import type { EmergencyKind, Facet } from '../text/language.js';
import { readContext, type ConversationContext } from './context.js';
import { decodePayload, fieldId, type Payload } from './payloads.js';
import {
  candidatesReply,
  emergencyReply,
  facetReply,
  fieldPageReply,
  fieldPageSize,
  fieldsReply,
  handoverReply,
  followAddressing,
  hotlineReply,
  hoursReply,
  menuReply,
  offtopicReply,
  onlineReply,
  policeReply,
  procedureCard,
  thanksReply,
  unansweredReply,
  unsupportedReply,
  whichProcedureReply,
} from './replies.js';

/** What the engine knows: the catalog (and its index), the hotline directory and the commune profile. */
export interface Knowledge {
  index: ProcedureIndex;
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
  /** What the replies present, best first; empty for greetings, off-topic and contact questions. */
  presented: Presented[];
}

/** A top score at or above this, clear of the next one, is answered directly. */
export const confidentScore = 0.6;
/** How far the top score must lead the next to be answered without asking. */
export const confidentMargin = 0.07;
/** Share of a name or alias the question must name to be answered without asking. */
export const confidentPrecision = 0.5;
/** Candidates at or above this are offered as choices. */
export const suggestScore = 0.45;
/** Offered candidates are within this distance of the top score. */
const choiceWindow = 0.15;
const maxChoices = 4;
/** Below this, a message with no administrative wording is treated as off-topic rather than unanswered. */
const unansweredScore = 0.3;

/** Handles one inbound message. */
export function respond(input: EngineInput): EngineResult {
  const context = readContext(input.context);
  const { message, knowledge } = input;
  if (message.kind === 'start' || message.kind === 'follow') {
    return result('menu', [menuReply(knowledge.profile, 'Xin chào!')], context);
  }
  if (message.kind === 'unsupported') return result('menu', [unsupportedReply()], context);
  const payload = message.kind === 'choice' ? decodePayload(message.payload) : null;
  if (payload) return respondToPayload(payload, context, knowledge);
  return followAddressing(respondToText(message.text, context, knowledge), message.text);
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

function handover(context: ConversationContext, knowledge: Knowledge): EngineResult {
  return result('handover', [handoverReply(knowledge.profile)], context, { handover: true });
}

function respondToPayload(payload: Payload, context: ConversationContext, knowledge: Knowledge): EngineResult {
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
      return handover(context, knowledge);
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
export function decide(hits: readonly SearchHit[]): Decision {
  const [top, second] = hits;
  if (!top || top.score < suggestScore) return { kind: 'none' };
  // Confident also means the question names most of one of the procedure's names or aliases.
  const named = top.precision >= confidentPrecision;
  if (named && top.score >= confidentScore && (!second || top.score - second.score >= confidentMargin)) return { kind: 'confident', hit: top };
  const close = hits.filter((h) => h.score >= Math.max(suggestScore, top.score - choiceWindow)).slice(0, maxChoices);
  if (named && close.length === 1 && top.score >= confidentScore) return { kind: 'confident', hit: top };
  return { kind: 'choices', hits: close };
}

function respondToText(text: string, context: ConversationContext, knowledge: Knowledge): EngineResult {
  const analysis = analyze(text, knowledge.index.language);
  const emergency = emergencyKinds(analysis);
  if (emergency.length > 0) return result('emergency', [emergencyReply(emergency)], context);
  if (analysis.intents.has('staff')) return handover(context, knowledge);

  const facets = facetsOf(analysis);
  const hits = knowledge.index.searchAnalysis(analysis, 8);
  const decision = decide(hits);
  // A phone number is asked for even when a procedure is named ("sđt hỏi về khai sinh"); hours and address are not
  // ("đổi địa chỉ hộ kinh doanh" is a procedure, and its card says where and when to submit).
  if (decision.kind === 'confident' && !analysis.intents.has('hotline')) {
    return answer(decision.hit.procedure, decision.hit.score, facets, context, knowledge, 'answered');
  }
  if (analysis.intents.has('hotline')) return result('hotline', [hotlineReply(knowledge.hotlines, knowledge.profile)], context);
  if (analysis.intents.has('hours') || analysis.flags.has('address')) return result('info', [hoursReply(knowledge.profile)], context);

  const last = procedure(knowledge, context.lastProcedureCode);
  const hasContent = hits.length > 0 && hits[0]!.score >= suggestScore;
  if (facets.length > 0 && last && !hasContent) return answer(last, 1, facets, context, knowledge, 'followup');

  const field = knowledge.index.matchField(analysis);
  if (field && decision.kind !== 'confident') return browseField(field, 0, context, knowledge);

  if (decision.kind === 'choices') {
    const procedures = decision.hits.map((h) => h.procedure);
    return result('choices', [candidatesReply(procedures)], { ...context, offered: procedures.map((p) => p.code) }, { presented: decision.hits.map(present) });
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
  if (analysis.flags.has('administrative') || (hits[0]?.score ?? 0) >= unansweredScore || facets.length > 0) {
    return result('unanswered', [unansweredReply(knowledge.hotlines, knowledge.profile)], context);
  }
  return result('offtopic', [offtopicReply(knowledge.profile)], context);
}
