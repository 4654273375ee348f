/** Satisfaction ratings in the database, idempotent on the platform id of the button press. */
import { communeIdOf } from '../../db/tenant.js';
import type { Db } from '../../db/client.js';
import { maxReasonLength, type RatingAbout, type RatingScore } from './rating.js';

export interface RatingDraft {
  channel: string;
  platformMessageId: string;
  about: RatingAbout;
  procedureCode?: string | null;
  field?: string | null;
  score: RatingScore;
}

/** Records a rating (once per platform message) and returns its id. */
export async function recordRating(db: Db, draft: RatingDraft, now: Date): Promise<number> {
  const key = { channel: draft.channel, platformMessageId: draft.platformMessageId };
  const existing = await db.satisfactionRating.findFirst({ where: key, select: { id: true } });
  if (existing) return existing.id;
  try {
    const row = await db.satisfactionRating.create({
      data: { communeId: communeIdOf(db), ...draft, procedureCode: draft.procedureCode ?? null, field: draft.field ?? null, ratedAt: now },
      select: { id: true },
    });
    return row.id;
  } catch (e) {
    const again = await db.satisfactionRating.findFirst({ where: key, select: { id: true } });
    if (again) return again.id;
    throw e;
  }
}

/** Adds the citizen's reason to an unsatisfied rating (the first reason given is kept). */
export async function addRatingReason(db: Db, id: number, reason: string): Promise<void> {
  const text = reason.normalize('NFC').trim().slice(0, maxReasonLength);
  if (text === '') return;
  await db.satisfactionRating.updateMany({ where: { id, reason: null }, data: { reason: text } });
}
