/**
 * The conversation engine wired to the database: knowledge loaded once and reloaded on demand (after staff edit the
 * catalog), exposed as the Responder the inbox processor calls.
 */
import type { Db } from '../db/client.js';
import { respond, type EngineResult, type Knowledge, type Thresholds } from '../domain/conversation/engine.js';
import { loadKnowledge } from '../domain/conversation/knowledge.js';
import type { InboundMessage } from '../domain/messages.js';
import type { Language } from '../domain/text/language.js';
import { loadLanguage } from '../domain/text/language.load.js';

export interface ConversationService {
  /** Answers one message with the current knowledge. */
  respond(input: { message: InboundMessage; context: unknown; thresholds?: Thresholds }): EngineResult;
  /** Re-reads the catalog, hotlines and profile (call after an import or an admin edit). */
  reload(): Promise<void>;
  knowledge(): Knowledge;
}

/**
 * Loads language tables from `contentDir/language` (or takes the ones already loaded: communes of one process share
 * them) and the knowledge from the database.
 */
export async function createConversationService(db: Db, contentDir: string, loaded?: Language): Promise<ConversationService> {
  const language: Language = loaded ?? loadLanguage(contentDir);
  let knowledge = await loadKnowledge(db, language);
  return {
    respond: ({ message, context, thresholds }) => respond({ message, context, knowledge, ...(thresholds ? { thresholds } : {}) }),
    async reload() {
      knowledge = await loadKnowledge(db, language);
    },
    knowledge: () => knowledge,
  };
}
