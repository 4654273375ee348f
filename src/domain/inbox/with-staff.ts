/**
 * The inbox's part of an honest handover. While a conversation is with staff the assistant stays silent (staff read
 * and answer every message), except for a polite word when the citizen closes after an officer's answer. With the
 * assistant, a bare «cảm ơn» never turns into a search that finds nothing.
 */
import { closingAfterStaffReply, closingReply, isClosing } from '../conversation/with-staff.js';
import type { InboundMessage } from '../messages.js';
import type { EngineOutput } from './processor.js';

/** What a message gets while the conversation waits for staff (`waiting_staff`) or is answered by them (`staff`). */
export function outputWhileWithStaff(message: InboundMessage, state: string, context: unknown): EngineOutput {
  const closes = state === 'staff' && message.kind === 'text' && isClosing(message.text);
  return { replies: closes ? [closingAfterStaffReply()] : [], context, outcome: 'to_staff', handover: false };
}

/** Outcomes a closing may have been misread as. */
const misreadOutcomes = new Set(['unanswered', 'offtopic', 'choices']);

/** Replaces a failed search for a closing («em cảm ơn anh đã hỗ trợ ạ») with a polite acknowledgement. */
export function acknowledgeClosing(message: InboundMessage, output: EngineOutput, previousContext: unknown): EngineOutput {
  if (message.kind !== 'text' || !misreadOutcomes.has(output.outcome) || !isClosing(message.text)) return output;
  return { replies: [closingReply()], context: previousContext, outcome: 'greeting', procedureCode: null, field: null, handover: false };
}
