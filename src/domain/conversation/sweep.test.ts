import { expect, it } from 'vitest';
import type { Thresholds } from './engine.js';
import type { EvalCase } from './evaluation.js';
import { sweepThresholds } from './sweep.js';

it('marks the row with the fewest misses plus three per false claim, and never a row with choices above the answer', () => {
  // A toy engine: a procedure question is right when offered at all; an off-topic one is claimed below 0.4.
  const run = (t: Thresholds): EvalCase[] => [
    { item: { q: 'a', expect: ['1'] }, outcome: t.choices <= 0.35 ? 'choices' : 'unanswered', presented: t.choices <= 0.35 ? [{ code: '1', name: '', score: 0.36 }] : [] },
    { item: { q: 'b', expect: [], kind: 'off-topic' }, outcome: t.choices < 0.35 ? 'choices' : 'offtopic', presented: t.choices < 0.35 ? [{ code: '2', name: '', score: 0.32 }] : [] },
  ];
  const rows = sweepThresholds(run, { answer: [0.5, 0.6], choices: [0.3, 0.35, 0.4], fallback: [0.2] });
  expect(rows.every((r) => r.thresholds.choices < r.thresholds.answer && r.thresholds.fallback < r.thresholds.choices)).toBe(true);
  const chosen = rows.filter((r) => r.chosen);
  expect(chosen).toHaveLength(1);
  expect(chosen[0]!.thresholds).toMatchObject({ answer: 0.6, choices: 0.35 });
});
