/**
 * The conversation state the engine keeps between messages. Stored as JSON on the Conversation row, so every field is
 * optional and anything unreadable is dropped rather than trusted.
 */

export interface ConversationContext {
  /** Code of the procedure last answered: follow-ups ("phí bao nhiêu?") are about it. */
  lastProcedureCode?: string;
  /** Codes last offered as choices, best first. */
  offered?: string[];
  /** Field (lĩnh vực) last browsed. */
  field?: string;
}

/** Reads a stored context; unknown shapes become an empty context. */
export function readContext(raw: unknown): ConversationContext {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const r = raw as Record<string, unknown>;
  const context: ConversationContext = {};
  if (typeof r.lastProcedureCode === 'string') context.lastProcedureCode = r.lastProcedureCode;
  if (Array.isArray(r.offered)) context.offered = r.offered.filter((c): c is string => typeof c === 'string').slice(0, 10);
  if (typeof r.field === 'string') context.field = r.field;
  return context;
}
