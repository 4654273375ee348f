/**
 * Before staff attach a question to a procedure as a situation (or an alias), which evaluation questions would change
 * their top answer? The catalog is indexed once as it is and once with the candidate added, and every question is
 * answered by the engine both ways. Pure: the caller passes the procedures, the language and the questions.
 */
import { ProcedureIndex } from '../procedures/search.js';
import type { Procedure } from '../procedures/procedure.js';
import type { Language } from '../text/language.js';
import { respond, type Knowledge } from './engine.js';
import type { EvalItem } from './evaluation.js';

export interface Candidate {
  procedureCode: string;
  /** The text to add; as a situation (default) or as an alias. */
  text: string;
  as?: 'situation' | 'alias';
}

export interface PreviewChange {
  q: string;
  expect: string[];
  /** Top procedure before and after ("" when none is presented). */
  before: string;
  after: string;
  /** The change fixes the question (after is expected), breaks it (before was expected) or neither. */
  effect: 'fixed' | 'broken' | 'changed';
}

function topAnswer(knowledge: Knowledge, q: string): string {
  const r = respond({
    message: { channel: 'webchat', platformMessageId: 'preview', address: 'preview', kind: 'text', text: q, receivedAt: new Date(0) },
    context: {},
    knowledge,
  });
  return r.presented[0]?.code ?? '';
}

/** Lists the questions whose top answer the candidate would change, fixes first, then breaks. */
export function previewCandidate(procedures: readonly Procedure[], language: Language, items: readonly EvalItem[], candidate: Candidate): PreviewChange[] {
  const text = candidate.text.normalize('NFC').trim();
  const changed = procedures.map((p) => {
    if (p.code !== candidate.procedureCode || text === '') return p;
    return candidate.as === 'alias' ? { ...p, aliases: [...p.aliases, text] } : { ...p, situations: [...(p.situations ?? []), text] };
  });
  const knowledge = (list: readonly Procedure[]): Knowledge => ({ index: ProcedureIndex.build(list, language), procedures: list, hotlines: [], profile: null });
  const before = knowledge(procedures);
  const after = knowledge(changed);
  const out: PreviewChange[] = [];
  for (const item of items) {
    const b = topAnswer(before, item.q);
    const a = topAnswer(after, item.q);
    if (a === b) continue;
    const effect = item.expect.includes(a) || (item.expect.length === 0 && a === '') ? 'fixed' : item.expect.includes(b) || (item.expect.length === 0 && b === '') ? 'broken' : 'changed';
    out.push({ q: item.q, expect: item.expect, before: b, after: a, effect });
  }
  const order = { fixed: 0, broken: 1, changed: 2 } as const;
  return out.sort((x, y) => order[x.effect] - order[y.effect]);
}
