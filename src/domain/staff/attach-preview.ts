/**
 * What attaching a question to a procedure would change, shown to staff before they save: the engine answers every
 * question of the development set (test/eval/questions.jsonl) and every open unanswered question with today's
 * catalog and with the procedure carrying the new situation, and the questions whose answer moves are listed.
 * Pure: it takes the knowledge and the questions; the search engine is the engine's own, rebuilt over one edited
 * procedure.
 */
import fs from 'node:fs';
import { respond, type Knowledge } from '../conversation/engine.js';
import type { InboundMessage } from '../messages.js';
import { ProcedureIndex } from '../procedures/search.js';
import { analyze } from '../text/analyze.js';
import { learnedField } from './attach-question.js';

export interface PreviewQuestion {
  text: string;
  /** dev: the development set; open: another unanswered question. */
  source: 'dev' | 'open';
  /** Procedures the development set expects for it (empty: none should be answered). */
  expect?: string[];
}

export interface PreviewChange {
  text: string;
  source: 'dev' | 'open';
  /** What the bot answers today (procedure code) or null. */
  before: string | null;
  after: string | null;
  /** For development-set questions: is the new answer the expected one (null: not from the set). */
  expected: boolean | null;
}

export interface AttachPreview {
  /** Questions that would now be answered with the procedure. */
  gained: PreviewChange[];
  /** Questions answered with the procedure today that would be answered otherwise (rare; worth a look). */
  lost: PreviewChange[];
  checked: { dev: number; open: number };
}

function answeredCode(knowledge: Knowledge, text: string): string | null {
  const message: InboundMessage = { channel: 'webchat', platformMessageId: 'preview', address: 'preview', kind: 'text', text, receivedAt: new Date(0) };
  const r = respond({ message, context: {}, knowledge });
  return r.outcome === 'answered' || r.outcome === 'followup' ? (r.procedureCode ?? null) : null;
}

/** Today's answers, kept per loaded knowledge (a catalog change loads a new one), so a preview runs the engine once per question. */
const todaysAnswers = new WeakMap<Knowledge, Map<string, string | null>>();

function answeredToday(knowledge: Knowledge, text: string): string | null {
  let cache = todaysAnswers.get(knowledge);
  if (!cache) todaysAnswers.set(knowledge, (cache = new Map()));
  if (!cache.has(text)) cache.set(text, answeredCode(knowledge, text));
  return cache.get(text)!;
}

/** The question's content words as the engine reads them (stopwords and particles left out). */
function words(knowledge: Knowledge, text: string): Set<string> {
  return new Set(analyze(text, knowledge.index.language).content.filter((t) => !t.weak).map((t) => t.fold));
}

/** The knowledge as it would be with `text` attached to procedure `code` (in the list the search learns from). */
export function knowledgeWithAttached(knowledge: Knowledge, code: string, text: string): Knowledge {
  const procedures = knowledge.procedures.map((p) => (p.code === code && !p[learnedField].includes(text) ? { ...p, [learnedField]: [...p[learnedField], text] } : p));
  return { ...knowledge, procedures, index: ProcedureIndex.build(procedures, knowledge.index.language) };
}

/**
 * Only questions that share a content word with the attached text, or that the procedure answers today, are run
 * again with the change (an approximation: the others could only move through small shifts of word weights). The loop yields to the event loop between slices, so citizens' messages
 * are not held up while staff preview.
 */
export async function previewAttachment(knowledge: Knowledge, input: { code: string; text: string }, questions: readonly PreviewQuestion[]): Promise<AttachPreview> {
  const after = knowledgeWithAttached(knowledge, input.code, input.text);
  const attachedWords = words(knowledge, input.text);
  const gained: PreviewChange[] = [];
  const lost: PreviewChange[] = [];
  for (const [i, q] of questions.entries()) {
    if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    const was = answeredToday(knowledge, q.text);
    if (was !== input.code && ![...words(knowledge, q.text)].some((w) => attachedWords.has(w))) continue;
    const now = answeredCode(after, q.text);
    if (was === now) continue;
    const change = { text: q.text, source: q.source, before: was, after: now, expected: q.expect ? (now === null ? q.expect.length === 0 : q.expect.includes(now)) : null };
    if (now === input.code) gained.push(change);
    else if (was === input.code) lost.push(change);
  }
  return { gained, lost, checked: { dev: questions.filter((q) => q.source === 'dev').length, open: questions.filter((q) => q.source === 'open').length } };
}

/** The development set's questions; an absent or unreadable file gives none (the preview then covers open ones). */
export function readDevelopmentSet(file: string): PreviewQuestion[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: PreviewQuestion[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const row = JSON.parse(line) as { q?: unknown; expect?: unknown };
      if (typeof row.q !== 'string') continue;
      out.push({ text: row.q, source: 'dev', expect: Array.isArray(row.expect) ? row.expect.filter((c): c is string => typeof c === 'string') : [] });
    } catch {
      // A broken line is skipped; the others still preview.
    }
  }
  return out;
}
