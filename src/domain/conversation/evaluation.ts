/**
 * Scores the engine against an evaluation set: one question per line, `{"q": "...", "expect": ["1.001193"]}`.
 * `expect: []` means the reply must present no procedure (greetings, off-topic, contact questions); several codes
 * mean any of them is acceptable (an ambiguous question).
 */
import { z } from 'zod';
import type { Presented } from './engine.js';

export const evalItemSchema = z.object({ q: z.string().min(1), expect: z.array(z.string()) });
export type EvalItem = z.infer<typeof evalItemSchema>;

/** Parses JSONL; throws naming the line that is not a valid item. */
export function parseEvalSet(text: string): EvalItem[] {
  const items: EvalItem[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = evalItemSchema.safeParse(JSON.parse(line));
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

export interface EvalReport {
  procedureQuestions: number;
  top1: number;
  top3: number;
  noProcedureQuestions: number;
  falseClaims: number;
  /** Share of procedure questions whose first presented procedure is expected. */
  top1Rate: number;
  top3Rate: number;
  /** Share of no-procedure questions that got a procedure anyway. */
  falseClaimRate: number;
  failures: { q: string; expect: string[]; got: string[]; outcome: string }[];
}

/** Tallies top-1, top-3 and false claims. */
export function scoreEval(cases: readonly EvalCase[]): EvalReport {
  let procedureQuestions = 0;
  let top1 = 0;
  let top3 = 0;
  let noProcedureQuestions = 0;
  let falseClaims = 0;
  const failures: EvalReport['failures'] = [];
  for (const c of cases) {
    const got = c.presented.map((p) => p.code);
    if (c.item.expect.length === 0) {
      noProcedureQuestions++;
      if (got.length > 0) {
        falseClaims++;
        failures.push({ q: c.item.q, expect: [], got, outcome: c.outcome });
      }
      continue;
    }
    procedureQuestions++;
    const first = got[0] !== undefined && c.item.expect.includes(got[0]);
    if (first) top1++;
    if (got.slice(0, 3).some((code) => c.item.expect.includes(code))) top3++;
    if (!first) failures.push({ q: c.item.q, expect: c.item.expect, got, outcome: c.outcome });
  }
  const rate = (n: number, d: number) => (d === 0 ? 1 : n / d);
  return {
    procedureQuestions,
    top1,
    top3,
    noProcedureQuestions,
    falseClaims,
    top1Rate: rate(top1, procedureQuestions),
    top3Rate: rate(top3, procedureQuestions),
    falseClaimRate: noProcedureQuestions === 0 ? 0 : falseClaims / noProcedureQuestions,
    failures,
  };
}

/** The targets the evaluation must meet. */
export const evalTargets = { top1Rate: 0.95, top3Rate: 0.99, falseClaimRate: 0 } as const;
