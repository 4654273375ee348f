/**
 * One turn of a conversation with everything around the engine: the feedback exchange and code lookups first, then
 * the rating prompt's answers, then the engine, followed by the rating prompt when it is due. The flows keep their
 * state in the context beside the engine's (`feedback`, `rating`); the engine itself stays pure.
 *
 * @example
 * const out = await converse({ message, context, conversationId: 12, knowledge, words, feedback, ratings });
 */
import type { EngineOutput } from '../inbox/processor.js';
import type { InboundMessage } from '../messages.js';
import { respond, type Knowledge } from './engine.js';
import { feedbackTurn, readFeedbackState, type FeedbackPort } from './feedback-flow.js';
import type { FeedbackWords } from './feedback-words.js';
import { mayAsk, promptedState, ratingPrompt, ratingTurn, readRatingState, type RatingPort, type RatingState } from './rating-flow.js';

export interface ConverseInput {
  message: InboundMessage;
  context: unknown;
  conversationId: number | null;
  knowledge: Knowledge;
  words: FeedbackWords;
  feedback: FeedbackPort;
  ratings: RatingPort;
}

function record(raw: unknown): Record<string, unknown> {
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}

function withFlows(engineContext: object, feedback: unknown, rating: RatingState): Record<string, unknown> {
  const out: Record<string, unknown> = { ...engineContext };
  if (feedback) out.feedback = feedback;
  if (Object.keys(rating).length > 0) out.rating = rating;
  return out;
}

export async function converse(input: ConverseInput): Promise<EngineOutput> {
  const { message, knowledge } = input;
  const raw = record(input.context);
  const { feedback: rawFeedback, rating: rawRating, ...engineContext } = raw;
  const feedbackState = readFeedbackState(rawFeedback);
  const ratingState = readRatingState(rawRating);
  // Any message from the citizen follows the prompt: the next prompt may come later, never right away.
  const rating: RatingState = { ...ratingState, pending: undefined };
  delete rating.pending;

  const fb = await feedbackTurn({
    message,
    state: feedbackState,
    lastProcedureCode: typeof engineContext.lastProcedureCode === 'string' ? engineContext.lastProcedureCode : undefined,
    conversationId: input.conversationId,
    knowledge,
    words: input.words,
    port: input.feedback,
  });
  if (fb) {
    const keptRating = { ...rating };
    delete keptRating.reasonFor;
    return {
      replies: fb.replies,
      context: withFlows(engineContext, fb.state, keptRating),
      outcome: fb.outcome,
      procedureCode: fb.procedureCode ?? null,
      field: fb.field ?? null,
      handover: false,
    };
  }

  const rated = await ratingTurn(message, ratingState, input.ratings);
  if (rated) return { replies: rated.replies, context: withFlows(engineContext, undefined, rated.state), outcome: rated.outcome, handover: false };
  delete rating.reasonFor;

  const result = respond({ message, context: engineContext, knowledge });
  const replies = [...result.replies];
  let nextRating = rating;
  const about = result.outcome === 'answered' && result.replies.some((r) => r.kind === 'card') ? 'procedure' : result.outcome === 'followup' ? 'followup' : null;
  if (about && !result.handover && mayAsk(rating, message.receivedAt, about)) {
    replies.push(ratingPrompt(about));
    nextRating = promptedState(about, message.receivedAt, { procedureCode: result.procedureCode, field: result.field });
  }
  return {
    replies,
    context: withFlows(result.context, undefined, nextRating),
    outcome: result.outcome,
    procedureCode: result.procedureCode ?? null,
    field: result.field ?? null,
    handover: result.handover,
  };
}
