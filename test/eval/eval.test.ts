/**
 * The evaluation set through the real path (content seeded into a database, knowledge loaded by the service's code,
 * the engine) must meet the targets: top-1 ≥ 95 %, top-3 ≥ 99 %, no procedure offered to greetings or off-topic.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { respond, type Knowledge } from '../../src/domain/conversation/engine.js';
import { evalTargets, parseEvalSet, scoreEval } from '../../src/domain/conversation/evaluation.js';
import type { TestDb } from '../support/db.js';
import { seededKnowledge } from '../support/knowledge.js';

let knowledge: Knowledge;

const FLOOR_TOP1 = 0.81;
const FLOOR_SIBLING = 0.9;
const FLOOR_LONG = 0.75;
const FLOOR_FALSE_CLAIMS = 1;
/** dev-life.jsonl: 40 life events in everyday words, no procedure named; 28/40 before the vocabulary for them, 33/40 after. */
const FLOOR_LIFE = 0.825;
let db: TestDb;

beforeAll(async () => {
  ({ knowledge, db } = await seededKnowledge());
});
afterAll(async () => {
  await db.destroy();
});

it('meets the accuracy targets on test/eval/questions.jsonl', () => {
  const items = parseEvalSet(fs.readFileSync('test/eval/questions.jsonl', 'utf8'));
  expect(items.length).toBeGreaterThanOrEqual(150);
  const cases = items.map((item, i) => {
    const r = respond({
      message: { channel: 'webchat', platformMessageId: `eval-${i}`, address: 'eval', kind: 'text', text: item.q, receivedAt: new Date() },
      context: {},
      knowledge,
    });
    return { item, outcome: r.outcome, presented: r.presented };
  });
  const report = scoreEval(cases);
  expect(report.top1Rate).toBeGreaterThanOrEqual(evalTargets.top1Rate);
  expect(report.top3Rate).toBeGreaterThanOrEqual(evalTargets.top3Rate);
  // No false claim (evalTargets): buying a motorbike ("mua xe máy trả góp ở đâu") is referred, not given a procedure.
  expect(report.falseClaims).toBe(0);
  // Every kind of message holds, long stories included.
  for (const [kind, t] of report.byKind) if (t.procedureQuestions >= 10) expect(t.top1 / t.procedureQuestions, kind).toBeGreaterThanOrEqual(0.8);
  // Out-of-remit matters are referred, never given a commune procedure.
  const outOfRemit = report.byKind.get('out-of-remit')!;
  expect(outOfRemit.falseClaims).toBe(0);
  expect(outOfRemit.referrals).toBeGreaterThanOrEqual(outOfRemit.questions - 2);
});

it('holds its floor on test/eval/dev-long.jsonl (long stories, sibling qualifiers, out-of-remit, typos; issue 9)', () => {
  const items = parseEvalSet(fs.readFileSync('test/eval/dev-long.jsonl', 'utf8'));
  expect(items.length).toBeGreaterThanOrEqual(220);
  const cases = items.map((item, i) => {
    const r = respond({
      message: { channel: 'webchat', platformMessageId: `dev-long-${i}`, address: 'eval', kind: 'text', text: item.q, receivedAt: new Date() },
      context: {},
      knowledge,
    });
    return { item, outcome: r.outcome, presented: r.presented };
  });
  const report = scoreEval(cases);
  // Floors at the measured figures (below the targets of evalTargets, which this set does not meet yet): they stop a
  // regression while the gap on long stories is closed.
  expect(report.top1Rate).toBeGreaterThanOrEqual(FLOOR_TOP1);
  expect(report.byKind.get('sibling')!.top1 / report.byKind.get('sibling')!.procedureQuestions).toBeGreaterThanOrEqual(FLOOR_SIBLING);
  expect(report.byKind.get('long')!.top1 / report.byKind.get('long')!.procedureQuestions).toBeGreaterThanOrEqual(FLOOR_LONG);
  // No commune procedure is ever claimed for a matter outside the commune's remit.
  expect(report.byKind.get('out-of-remit')!.falseClaims).toBe(0);
  expect(report.falseClaims).toBeLessThanOrEqual(FLOOR_FALSE_CLAIMS);
});

it('holds its floor on test/eval/dev-life.jsonl (life events in everyday words, no procedure named; issue 9)', () => {
  const items = parseEvalSet(fs.readFileSync('test/eval/dev-life.jsonl', 'utf8'));
  expect(items.length).toBeGreaterThanOrEqual(40);
  const cases = items.map((item, i) => {
    const r = respond({
      message: { channel: 'webchat', platformMessageId: `dev-life-${i}`, address: 'eval', kind: 'text', text: item.q, receivedAt: new Date() },
      context: {},
      knowledge,
    });
    return { item, outcome: r.outcome, presented: r.presented };
  });
  const report = scoreEval(cases);
  // A floor at the measured figure (below evalTargets): it stops a regression while the long stories among them are closed.
  expect(report.top1Rate).toBeGreaterThanOrEqual(FLOOR_LIFE);
  expect(report.falseClaims).toBe(0);
});

it('scores a miss and a false claim as such', () => {
  const report = scoreEval([
    { item: { q: 'a', expect: ['1'] }, outcome: 'choices', presented: [{ code: '2', name: '', score: 0.5 }, { code: '1', name: '', score: 0.5 }] },
    { item: { q: 'b', expect: [], kind: 'off-topic' }, outcome: 'choices', presented: [{ code: '3', name: '', score: 0.5 }] },
    { item: { q: 'c', expect: [], kind: 'off-topic' }, outcome: 'referral', presented: [] },
    { item: { q: 'd', expect: ['1'] }, outcome: 'answered', presented: [{ code: '2', name: '', score: 0.7 }] },
  ]);
  expect(report).toMatchObject({ top1: 0, top3: 1, falseClaims: 1, falseClaimRate: 0.5, referrals: 1, answered: 1, answeredRight: 0 });
  expect(report.byKind.get('off-topic')).toMatchObject({ questions: 2, falseClaims: 1, referrals: 1 });
  expect(report.confusedPairs).toEqual([
    { expected: '1', got: '2', count: 2 },
  ]);
});
