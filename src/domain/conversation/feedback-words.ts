/**
 * The phrases that tell the feedback flow a citizen wants to file phản ánh, kiến nghị (content/language/feedback.json),
 * matched on folded syllables like the language module's intents (typed with or without accents).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { foldText } from '../text/normalize.js';

const tableSchema = z.object({
  complaint: z.array(z.string().min(1)).min(1),
  askNumber: z.array(z.string().min(1)),
});

export interface FeedbackWords {
  complaint: readonly string[];
  askNumber: readonly string[];
}

export function compileFeedbackWords(raw: unknown): FeedbackWords {
  const t = tableSchema.parse(raw);
  const fold = (list: string[]) => [...new Set(list.map((p) => foldText(p)).filter((p) => p !== ''))];
  return { complaint: fold(t.complaint), askNumber: fold(t.askNumber) };
}

export function loadFeedbackWords(contentDir: string): FeedbackWords {
  const file = path.join(contentDir, 'language', 'feedback.json');
  try {
    return compileFeedbackWords(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    throw new Error(`Cannot read feedback phrases ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function contains(folded: string, phrases: readonly string[]): boolean {
  const padded = ` ${folded} `;
  return phrases.some((p) => padded.includes(` ${p} `));
}

/** A complaint, and not merely a question for the hotline's number. */
export function soundsLikeComplaint(text: string, words: FeedbackWords): boolean {
  const folded = foldText(text);
  return contains(folded, words.complaint) && !contains(folded, words.askNumber);
}
