/**
 * The precision–recall sweep that chooses the engine's thresholds from measurement: every combination of the grid
 * is run over an evaluation set and scored; the best row by a fixed rule is marked.
 */
import { defaultThresholds, type Thresholds } from './engine.js';
import { scoreEval, type EvalCase, type EvalReport } from './evaluation.js';

/** The grid the sweep walks (answer > choices > fallback in every row it keeps). */
export const sweepGrid = {
  answer: [0.5, 0.55, 0.6, 0.65, 0.7, 0.75],
  choices: [0.3, 0.35, 0.4, 0.45, 0.5],
  fallback: [0.2, 0.3],
} as const;

export interface SweepRow {
  thresholds: Thresholds;
  report: EvalReport;
  /** Direct answers that are right / direct answers. */
  precisionN: number;
  precisionD: number;
  /** Procedure questions answered right directly / procedure questions. */
  recallN: number;
  recallD: number;
  /** Fallbacks labelled right: a procedure question presenting nothing gets "not found", an off-topic one off-topic. */
  fallbackRight: number;
  chosen: boolean;
  current: boolean;
}

function fallbackRight(cases: readonly EvalCase[]): number {
  let n = 0;
  for (const c of cases) {
    if (c.item.expect.length > 0 && c.presented.length === 0 && c.outcome === 'unanswered') n++;
    if (c.item.kind === 'off-topic' && c.outcome === 'offtopic') n++;
  }
  return n;
}

/** A false claim (a procedure offered to a greeting, off-topic or out-of-remit message) costs as much as three misses. */
export const falseClaimCost = 3;

/** What the sweep minimises: top-1 misses plus {@link falseClaimCost} per false claim. */
export function sweepCost(row: SweepRow): number {
  return row.report.procedureQuestions - row.report.top1 + falseClaimCost * row.report.falseClaims;
}

/**
 * Runs every grid combination through `run` and marks the best row: the lowest {@link sweepCost}, then the highest
 * direct-answer precision, then the most fallbacks labelled right, then the highest answer threshold.
 */
export function sweepThresholds(run: (t: Thresholds) => EvalCase[], grid: { answer: readonly number[]; choices: readonly number[]; fallback: readonly number[] }): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const answer of grid.answer) {
    for (const choices of grid.choices) {
      if (choices >= answer) continue;
      for (const fallback of grid.fallback) {
        if (fallback >= choices) continue;
        const thresholds: Thresholds = { ...defaultThresholds, answer, choices, fallback };
        const cases = run(thresholds);
        const report = scoreEval(cases);
        rows.push({
          thresholds,
          report,
          precisionN: report.answeredRight,
          precisionD: report.answered,
          recallN: report.answeredRight,
          recallD: report.procedureQuestions,
          fallbackRight: fallbackRight(cases),
          chosen: false,
          current: answer === defaultThresholds.answer && choices === defaultThresholds.choices && fallback === defaultThresholds.fallback,
        });
      }
    }
  }
  const best = [...rows].sort(
    (a, b) =>
      sweepCost(a) - sweepCost(b) ||
      b.precisionN / Math.max(1, b.precisionD) - a.precisionN / Math.max(1, a.precisionD) ||
      b.fallbackRight - a.fallbackRight ||
      b.thresholds.answer - a.thresholds.answer,
  )[0];
  if (best) best.chosen = true;
  return rows;
}
