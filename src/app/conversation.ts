/**
 * The conversation engine wired to the database: knowledge loaded once and reloaded on demand (after staff edit the
 * catalog), exposed as the Responder the inbox processor calls. `converse` adds the feedback exchange and the
 * satisfaction prompt around the pure engine, with their database ports.
 */
import type { Db } from '../db/client.js';
import { converse } from '../domain/conversation/converse.js';
import { respond, type EngineResult, type Knowledge, type Thresholds } from '../domain/conversation/engine.js';
import type { FeedbackPort } from '../domain/conversation/feedback-flow.js';
import { loadFeedbackWords } from '../domain/conversation/feedback-words.js';
import { loadKnowledge, type SharedCatalogs } from '../domain/conversation/knowledge.js';
import type { RatingPort } from '../domain/conversation/rating-flow.js';
import { feedbackStatus, fileFeedback } from '../domain/feedback/feedback.repo.js';
import type { EngineOutput } from '../domain/inbox/processor.js';
import type { InboundMessage } from '../domain/messages.js';
import { addRatingReason, recordRating } from '../domain/satisfaction/rating.repo.js';
import type { Language } from '../domain/text/language.js';
import { loadLanguage } from '../domain/text/language.load.js';

export interface ConversationService {
  /** Answers one message with the current knowledge (the pure engine: ask, eval). */
  respond(input: { message: InboundMessage; context: unknown; thresholds?: Thresholds }): EngineResult;
  /** The full turn the inbox runs: feedback exchange, ratings, engine. */
  converse(input: { message: InboundMessage; context: unknown; conversationId?: number }): Promise<EngineOutput>;
  /** Re-reads the catalog, hotlines and profile (call after an import or an admin edit). */
  reload(): Promise<void>;
  knowledge(): Knowledge;
}

export interface ConversationOptions {
  feedbackProcessingDays: number;
  now?: () => Date;
  /** Language tables already loaded (communes of one process share them); else read from `contentDir/language`. */
  language?: Language;
  /** The process's shared catalog indexes: communes on one catalog answer from one index (see loadKnowledge). */
  shared?: SharedCatalogs;
}

/** Loads language tables from `contentDir/language` (unless given) and the knowledge from the database. */
export async function createConversationService(db: Db, contentDir: string, options: ConversationOptions = { feedbackProcessingDays: 10 }): Promise<ConversationService> {
  const language: Language = options.language ?? loadLanguage(contentDir);
  const words = loadFeedbackWords(contentDir);
  const now = options.now ?? (() => new Date());
  let knowledge = await loadKnowledge(db, language, options.shared);
  const feedback: FeedbackPort = {
    async file(input) {
      const conversation = input.conversationId === null ? null : await db.conversation.findUnique({ where: { id: input.conversationId }, select: { citizenRef: true } });
      return fileFeedback(
        db,
        {
          channel: input.message.channel,
          platformMessageId: input.message.platformMessageId,
          conversationId: input.conversationId,
          citizenRef: conversation?.citizenRef ?? '',
          subject: input.subject,
          procedureCode: input.procedureCode,
          procedureName: input.procedureName,
          field: input.field,
          content: input.content,
          phone: input.phone,
          phoneConsent: input.phone !== null,
          publishConsent: input.publishConsent,
        },
        now(),
        options.feedbackProcessingDays,
      );
    },
    status: (code, conversationId) => feedbackStatus(db, code, conversationId),
  };
  const ratings: RatingPort = {
    record: (input) =>
      recordRating(
        db,
        { channel: input.message.channel, platformMessageId: input.message.platformMessageId, about: input.about, procedureCode: input.procedureCode, field: input.field, score: input.score },
        now(),
      ),
    reason: (id, text) => addRatingReason(db, id, text),
  };
  return {
    respond: ({ message, context, thresholds }) => respond({ message, context, knowledge, ...(thresholds ? { thresholds } : {}) }),
    converse: ({ message, context, conversationId }) =>
      converse({ message, context, conversationId: conversationId ?? null, knowledge, words, feedback, ratings }),
    async reload() {
      knowledge = await loadKnowledge(db, language, options.shared);
    },
    knowledge: () => knowledge,
  };
}
