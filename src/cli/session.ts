/** Shared by `ask` and `eval`: the same database preparation and engine as the service. */
import { prepareForCommand } from './commune-flag.js';
import { createConversationService, type ConversationService } from '../app/conversation.js';
import type { Prepared } from '../app/prepare.js';
import { loadConfig } from '../config.js';
import type { InboundMessage } from '../domain/messages.js';

export async function openConversation(): Promise<{ service: ConversationService; db: Prepared }> {
  const config = loadConfig();
  const db = await prepareForCommand(config);
  const service = await createConversationService(db.db, config.CONTENT_DIR);
  return { service, db };
}

let counter = 0;

/** A typed message as a channel adapter would deliver it. */
export function typedMessage(text: string): InboundMessage {
  counter++;
  return { channel: 'webchat', platformMessageId: `cli-${process.pid}-${counter}`, address: 'cli', kind: 'text', text: text.normalize('NFC'), receivedAt: new Date() };
}
