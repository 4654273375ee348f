/**
 * Scores the engine against an evaluation set: one question per line,
 * `{"q": "...", "expect": ["1.001193"], "kind": "long"}`.
 * `expect: []` means the reply must present no procedure (greetings, off-topic, contact and out-of-remit questions);
 * several codes mean any of them is acceptable (an ambiguous question). `kind` (optional) groups the figures.
 */
import { z } from 'zod';
import type { Presented } from './engine.js';

export const evalItemSchema = z.object({
  q: z.string().min(1),
  expect: z.array(z.string()),
  /** What sort of message this is (long, no-diacritics, sibling, out-of-remit…); reported separately. */
  kind: z.string().min(1).optional(),
});
export type EvalItem = z.infer<typeof evalItemSchema>;

/** Parses JSONL; throws naming the line that is not a valid item. */
export function parseEvalSet(text: string): EvalItem[] {
  const items: EvalItem[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      throw new Error(`line ${i + 1}: not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    const parsed = evalItemSchema.safeParse(json);
    if (!parsed.success) throw new Error(`line ${i + 1}: ${parsed.error.issues.map((x) => x.message).join('; ')}`);
    items.push(parsed.data);
  });
  return items;
}

export interface EvalCase {
  item: EvalItem;
  outcome: string;
  presented: Presented[];
}

/** Counts for one group of questions (the whole set, or one kind). */
export interface EvalTally {
  questions: number;
  procedureQuestions: number;
  top1: number;
  top3: number;
  noProcedureQuestions: number;
  falseClaims: number;
  /** Procedure questions answered directly with one procedure. */
  answered: number;
  /** …and that procedure was expected. */
  answeredRight: number;
  /** Questions whose reply was a referral to another body. */
  referrals: number;
}

export interface EvalReport extends EvalTally {
  /** Share of procedure questions whose first presented procedure is expected. */
  top1Rate: number;
  top3Rate: number;
  /** Share of no-procedure questions that got a procedure anyway. */
  falseClaimRate: number;
  byKind: Map<string, EvalTally>;
  /** Expected → got for top-1 misses that presented a procedure, most frequent first. */
  confusedPairs: { expected: string; got: string; count: number }[];
  failures: { q: string; kind: string; expect: string[]; got: string[]; outcome: string }[];
}

function emptyTally(): EvalTally {
  return { questions: 0, procedureQuestions: 0, top1: 0, top3: 0, noProcedureQuestions: 0, falseClaims: 0, answered: 0, answeredRight: 0, referrals: 0 };
}

const noKind = '(no kind)';

/** Tallies top-1, top-3 and false claims, overall and by kind, and the most confused pairs. */
export function scoreEval(cases: readonly EvalCase[]): EvalReport {
  const total = emptyTally();
  const byKind = new Map<string, EvalTally>();
  const failures: EvalReport['failures'] = [];
  const pairs = new Map<string, { expected: string; got: string; count: number }>();
  for (const c of cases) {
    const kind = c.item.kind ?? noKind;
    let group = byKind.get(kind);
    if (!group) byKind.set(kind, (group = emptyTally()));
    const got = c.presented.map((p) => p.code);
    for (const t of [total, group]) {
      t.questions++;
      if (c.outcome === 'referral') t.referrals++;
    }
    if (c.item.expect.length === 0) {
      for (const t of [total, group]) t.noProcedureQuestions++;
      if (got.length > 0) {
        for (const t of [total, group]) t.falseClaims++;
        failures.push({ q: c.item.q, kind, expect: [], got, outcome: c.outcome });
      }
      continue;
    }
    const first = got[0] !== undefined && c.item.expect.includes(got[0]);
    const inTop3 = got.slice(0, 3).some((code) => c.item.expect.includes(code));
    for (const t of [total, group]) {
      t.procedureQuestions++;
      if (first) t.top1++;
      if (inTop3) t.top3++;
      if (c.outcome === 'answered') {
        t.answered++;
        if (first) t.answeredRight++;
      }
    }
    if (!first) {
      failures.push({ q: c.item.q, kind, expect: c.item.expect, got, outcome: c.outcome });
      if (got[0] !== undefined) {
        const key = `${c.item.expect[0]}→${got[0]}`;
        const pair = pairs.get(key) ?? { expected: c.item.expect[0]!, got: got[0], count: 0 };
        pair.count++;
        pairs.set(key, pair);
      }
    }
  }
  const rate = (n: number, d: number) => (d === 0 ? 1 : n / d);
  return {
    ...total,
    top1Rate: rate(total.top1, total.procedureQuestions),
    top3Rate: rate(total.top3, total.procedureQuestions),
    falseClaimRate: total.noProcedureQuestions === 0 ? 0 : total.falseClaims / total.noProcedureQuestions,
    byKind: new Map([...byKind].sort(([a], [b]) => a.localeCompare(b))),
    confusedPairs: [...pairs.values()].sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
    failures,
  };
}

/** The targets the evaluation must meet. */
export const evalTargets = { top1Rate: 0.95, top3Rate: 0.98, falseClaimRate: 0 } as const;
