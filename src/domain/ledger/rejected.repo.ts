/** Verified webhook events that could not become messages, kept with the reason (see admitInbound). */
import { communeIdOf } from '../../db/tenant.js';
import type { Db } from '../../db/client.js';
import type { RejectedInbound } from '../messages.js';

const maxExcerpt = 4_000;

/** JSON.stringify escapes lone surrogates and NULs, so the excerpt stores on SQLite and PostgreSQL alike. */
function excerptOf(event: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(event) ?? String(event);
  } catch {
    text = String(event);
  }
  return text.length > maxExcerpt ? text.slice(0, maxExcerpt) : text;
}

export async function storeRejectedEvents(db: Db, events: RejectedInbound[], at: Date): Promise<void> {
  if (events.length === 0) return;
  await db.rejectedEvent.createMany({ data: events.map((e) => ({ communeId: communeIdOf(db), channel: e.channel, reason: e.reason.slice(0, 1_000), excerpt: excerptOf(e.event), receivedAt: at })) });
}
