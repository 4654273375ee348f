/**
 * Runs an evaluation set through the engine and prints top-1, top-3 and false claims, overall and by kind, with the
 * most confused pairs; or sweeps the answer / choices / fallback thresholds and prints precision and recall for each.
 *
 *   npm run --silent eval                                   # test/eval/questions.jsonl (the development set)
 *   npm run --silent eval -- --set other.jsonl --verbose    # another set (--file also works); list every miss
 *   npm run --silent eval -- --sweep                        # threshold sweep on the development set
 *   npm run --silent eval -- --sweep --set test/eval/questions.jsonl,test/eval/dev-long.jsonl   # both development sets
 *   npm run --silent eval -- --db                           # the configured DATABASE_URL's catalog instead of content/
 *
 * By default the catalog is content/ seeded into a fresh temporary SQLite database (the service's own seeding and
 * loading code), so a stale local database never skews the figures. Exits 1 when a target is missed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConversationService } from '../app/conversation.js';
import { prepareDatabase } from '../app/prepare.js';
import { loadConfig } from '../config.js';
import { defaultThresholds, type Thresholds } from '../domain/conversation/engine.js';
import { evalTargets, parseEvalSet, scoreEval, type EvalCase, type EvalItem, type EvalTally } from '../domain/conversation/evaluation.js';
import { falseClaimCost, sweepCost, sweepGrid, sweepThresholds } from '../domain/conversation/sweep.js';
import { typedMessage } from './session.js';

const pct = (n: number, d: number) => (d === 0 ? '   —  ' : `${((n / d) * 100).toFixed(1).padStart(5)} %`);

function option(args: string[], ...names: string[]): string | undefined {
  for (const name of names) {
    const i = args.indexOf(name);
    if (i >= 0) {
      const value = args[i + 1];
      if (!value || value.startsWith('--')) throw new Error(`${name} needs a path`);
      return value;
    }
  }
  return undefined;
}

function tallyLine(label: string, t: EvalTally): string {
  const parts = [`${label.padEnd(16)} n=${String(t.questions).padStart(4)}`];
  if (t.procedureQuestions > 0) {
    parts.push(`top-1 ${pct(t.top1, t.procedureQuestions)} (${t.top1}/${t.procedureQuestions})`, `top-3 ${pct(t.top3, t.procedureQuestions)}`);
  }
  if (t.noProcedureQuestions > 0) parts.push(`false claims ${t.falseClaims}/${t.noProcedureQuestions}`);
  if (t.referrals > 0) parts.push(`referrals ${t.referrals}`);
  return parts.join('  ');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // Several sets are read as one ("--set a.jsonl,b.jsonl"): the sweep chooses thresholds on the whole development set.
  const file = option(args, '--set', '--file') ?? 'test/eval/questions.jsonl';
  const items = file.split(',').flatMap((f) => parseEvalSet(fs.readFileSync(f, 'utf8')));
  const config = loadConfig();
  const tmp = args.includes('--db') ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-eval-'));
  const db = await prepareDatabase(tmp ? { DATABASE_URL: `file:${path.join(tmp, 'eval.db')}`, CONTENT_DIR: config.CONTENT_DIR, SEED_DEMO: true } : config);
  try {
    const service = await createConversationService(db.db, config.CONTENT_DIR);
    const run = (thresholds: Thresholds): EvalCase[] =>
      items.map((item: EvalItem) => {
        const r = service.respond({ message: typedMessage(item.q), context: {}, thresholds });
        return { item, outcome: r.outcome, presented: r.presented };
      });
    if (args.includes('--sweep')) {
      process.stdout.write(`${sweepReport(run)}\n`);
      return;
    }
    const report = scoreEval(run(defaultThresholds));
    const lines = [
      `set: ${file} — ${items.length} questions (${report.procedureQuestions} about procedures, ${report.noProcedureQuestions} that must get none); catalog: ${tmp ? `${config.CONTENT_DIR}/ (fresh database)` : 'DATABASE_URL'}`,
      `top-1 accuracy: ${pct(report.top1, report.procedureQuestions)} (${report.top1}/${report.procedureQuestions})`,
      `top-3 accuracy: ${pct(report.top3, report.procedureQuestions)} (${report.top3}/${report.procedureQuestions})`,
      `false claims on greetings/off-topic/contact/out-of-remit: ${pct(report.falseClaims, report.noProcedureQuestions)} (${report.falseClaims}/${report.noProcedureQuestions})`,
      `answered directly: ${report.answered}/${report.procedureQuestions}, of which right ${pct(report.answeredRight, report.answered)}; referrals: ${report.referrals}`,
      '',
      'by kind:',
      ...[...report.byKind].map(([kind, t]) => `  ${tallyLine(kind, t)}`),
    ];
    if (report.confusedPairs.length > 0) {
      lines.push('', 'most confused (expected → got: count):');
      for (const p of report.confusedPairs.slice(0, 12)) lines.push(`  ${p.expected} → ${p.got}: ${p.count}`);
    }
    const shown = args.includes('--verbose') ? report.failures : report.failures.slice(0, 20);
    if (shown.length > 0) lines.push('', `misses${shown.length < report.failures.length ? ` (first ${shown.length} of ${report.failures.length}; --verbose for all)` : ''}:`);
    for (const f of shown) lines.push(`  [${f.kind}/${f.outcome}] ${f.q} → expected ${f.expect.join('|') || 'none'}, got ${f.got.slice(0, 3).join(', ') || 'none'}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    const ok = report.top1Rate >= evalTargets.top1Rate && report.top3Rate >= evalTargets.top3Rate && report.falseClaimRate <= evalTargets.falseClaimRate;
    if (!ok) process.exitCode = 1;
  } finally {
    await db.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function sweepReport(run: (t: Thresholds) => EvalCase[]): string {
  const rows = sweepThresholds(run, sweepGrid);
  const lines = [
    'threshold sweep on the set (answer = answer directly at or above; choices = offer choices at or above; fallback = below choices, "not found" rather than off-topic at or above)',
    'precision = share of direct answers that are right; recall = share of procedure questions answered right directly; top-1 counts choices too',
    '',
    ' answer choices fallback | precision recall | top-1   top-3   | false claims | fallbacks right | cost',
  ];
  for (const r of rows) {
    lines.push(
      `  ${r.thresholds.answer.toFixed(2)}   ${r.thresholds.choices.toFixed(2)}    ${r.thresholds.fallback.toFixed(2)}  | ${pct(r.precisionN, r.precisionD)} ${pct(r.recallN, r.recallD)} | ${pct(r.report.top1, r.report.procedureQuestions)} ${pct(r.report.top3, r.report.procedureQuestions)} | ${`${r.report.falseClaims}/${r.report.noProcedureQuestions}`.padEnd(12)} | ${String(r.fallbackRight).padStart(15)} | ${String(sweepCost(r)).padStart(4)}${r.chosen ? '   ← best (rule below)' : ''}${r.current ? '   (current)' : ''}`,
    );
  }
  lines.push('', `rule: the lowest cost (top-1 misses + ${falseClaimCost} × false claims), then the highest direct-answer precision, then the most fallbacks right, then the highest answer threshold.`);
  return lines.join('\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`eval failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
