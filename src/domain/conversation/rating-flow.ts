/**
 * The satisfaction prompt (hài lòng / bình thường / chưa hài lòng): asked once per conversation after a procedure
 * card, an answered follow-up, or when staff close a handover; never twice in a row and never while staff hold the
 * conversation (the bot does not answer then). An unsatisfied citizen may add a reason. State lives in the context
 * under `rating`; ratings are stored through {@link RatingPort}.
 */
import type { Choice, InboundMessage, Reply } from '../messages.js';
import { isRatingAbout, isRatingScore, ratingScoreLabels, ratingScores, type RatingAbout, type RatingScore } from '../satisfaction/rating.js';
import { foldText } from '../text/normalize.js';

export interface RatingPort {
  record(input: { message: InboundMessage; about: RatingAbout; procedureCode: string | null; field: string | null; score: RatingScore }): Promise<number>;
  reason(ratingId: number, text: string): Promise<void>;
}

export interface RatingState {
  /** When the prompt was last sent (ISO). */
  askedAt?: string;
  /** The prompt was the last thing the bot said: the next message may be the answer, and no prompt follows it. */
  pending?: boolean;
  about?: RatingAbout;
  procedureCode?: string;
  field?: string;
  /** The unsatisfied rating waiting for its optional reason. */
  reasonFor?: number;
}

/** A conversation (for "once per conversation") ends after this long without a prompt. */
export const ratingConversationHours = 24;

export function readRatingState(raw: unknown): RatingState {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const r = raw as Record<string, unknown>;
  const s: RatingState = {};
  if (typeof r.askedAt === 'string' && !Number.isNaN(Date.parse(r.askedAt))) s.askedAt = r.askedAt;
  if (r.pending === true) s.pending = true;
  if (typeof r.about === 'string' && isRatingAbout(r.about)) s.about = r.about;
  if (typeof r.procedureCode === 'string') s.procedureCode = r.procedureCode;
  if (typeof r.field === 'string') s.field = r.field;
  if (typeof r.reasonFor === 'number' && Number.isSafeInteger(r.reasonFor)) s.reasonFor = r.reasonFor;
  return s;
}

const skipPayload = 'rate:skip';

export function ratingChoices(): Choice[] {
  return ratingScores.map((s) => ({ title: ratingScoreLabels[s], payload: `rate:${s}` }));
}

export function ratingPrompt(about: RatingAbout): Reply {
  const what = about === 'staff' ? 'sự hỗ trợ của cán bộ' : 'thông tin trợ lý vừa cung cấp';
  return { kind: 'choices', text: `Bạn có hài lòng với ${what} không? Ý kiến của bạn giúp UBND xã phục vụ tốt hơn.`, choices: ratingChoices() };
}

/** The state after a prompt was sent. */
export function promptedState(about: RatingAbout, at: Date, subject: { procedureCode?: string | null; field?: string | null } = {}): RatingState {
  return {
    askedAt: at.toISOString(),
    pending: true,
    about,
    ...(subject.procedureCode ? { procedureCode: subject.procedureCode } : {}),
    ...(subject.field ? { field: subject.field } : {}),
  };
}

/** Whether the bot may ask now: not right after a prompt, and not again within the same conversation. */
export function mayAsk(state: RatingState, now: Date, about: RatingAbout): boolean {
  if (state.pending || state.reasonFor !== undefined) return false;
  if (about === 'staff') return true;
  if (!state.askedAt) return true;
  return now.getTime() - Date.parse(state.askedAt) >= ratingConversationHours * 3_600_000;
}

function scoreOf(message: InboundMessage, state: RatingState): RatingScore | null {
  if (message.kind === 'choice' && message.payload?.startsWith('rate:')) {
    const s = message.payload.slice(5);
    return isRatingScore(s) ? s : null;
  }
  // Zalo buttons (and presses after a restart) arrive as the typed title.
  if (state.pending && message.kind === 'text') {
    const typed = foldText(message.text);
    return ratingScores.find((s) => foldText(ratingScoreLabels[s]) === typed) ?? null;
  }
  return null;
}

export interface RatingTurn {
  replies: Reply[];
  state: RatingState;
  outcome: 'rating';
}

/** Handles a rating or its reason; null when the message is something else (the state then drops `pending`). */
export async function ratingTurn(message: InboundMessage, state: RatingState, port: RatingPort): Promise<RatingTurn | null> {
  const score = scoreOf(message, state);
  if (score) {
    const about = state.about ?? 'procedure';
    const id = await port.record({ message, about, procedureCode: state.procedureCode ?? null, field: state.field ?? null, score });
    const rest: RatingState = { ...(state.askedAt ? { askedAt: state.askedAt } : {}) };
    if (score === 'unsatisfied') {
      return {
        replies: [{ kind: 'choices', text: 'Cảm ơn bạn đã góp ý. Bạn có thể cho biết lý do chưa hài lòng để UBND xã khắc phục không? Hãy nhắn lý do, hoặc bấm «Bỏ qua».', choices: [{ title: 'Bỏ qua', payload: skipPayload }] }],
        state: { ...rest, reasonFor: id },
        outcome: 'rating',
      };
    }
    return { replies: [{ kind: 'text', text: 'Cảm ơn bạn đã đánh giá! Bạn cần hỏi thêm gì, cứ nhắn cho trợ lý.' }], state: rest, outcome: 'rating' };
  }
  if (state.reasonFor !== undefined) {
    const skipped = message.kind === 'choice' ? message.payload === skipPayload : foldText(message.text) === foldText('Bỏ qua');
    const rest: RatingState = { ...(state.askedAt ? { askedAt: state.askedAt } : {}) };
    if (skipped) return { replies: [{ kind: 'text', text: 'Dạ, cảm ơn bạn. Bạn cần hỏi thêm gì, cứ nhắn cho trợ lý.' }], state: rest, outcome: 'rating' };
    if (message.kind === 'text' && message.text.trim() !== '') {
      await port.reason(state.reasonFor, message.text);
      return { replies: [{ kind: 'text', text: 'Cảm ơn bạn, ý kiến đã được chuyển đến cán bộ phụ trách.' }], state: rest, outcome: 'rating' };
    }
  }
  return null;
}
