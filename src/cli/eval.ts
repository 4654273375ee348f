/**
 * Runs the evaluation set through the service's engine and database and prints top-1, top-3 and the false-claim rate.
 *
 *   npm run --silent eval                                  # test/eval/questions.jsonl
 *   npm run --silent eval -- --file other.jsonl --verbose  # another set; list every miss
 *
 * Exits 1 when a target is missed (top-1 ≥ 95 %, top-3 ≥ 99 %, no false claim).
 */
import fs from 'node:fs';
import { evalTargets, parseEvalSet, scoreEval } from '../domain/conversation/evaluation.js';
import { openConversation, typedMessage } from './session.js';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const fileIndex = args.indexOf('--file');
  const file = fileIndex >= 0 ? args[fileIndex + 1] : 'test/eval/questions.jsonl';
  if (!file) throw new Error('--file needs a path');
  const items = parseEvalSet(fs.readFileSync(file, 'utf8'));
  const { service, db } = await openConversation();
  try {
    const cases = items.map((item) => {
      const r = service.respond({ message: typedMessage(item.q), context: {} });
      return { item, outcome: r.outcome, presented: r.presented };
    });
    const report = scoreEval(cases);
    const lines = [
      `questions: ${items.length} (${report.procedureQuestions} about procedures, ${report.noProcedureQuestions} that must get none)`,
      `top-1 accuracy: ${pct(report.top1Rate)} (${report.top1}/${report.procedureQuestions})`,
      `top-3 accuracy: ${pct(report.top3Rate)} (${report.top3}/${report.procedureQuestions})`,
      `false claims on greetings/off-topic/contact: ${pct(report.falseClaimRate)} (${report.falseClaims}/${report.noProcedureQuestions})`,
    ];
    const shown = args.includes('--verbose') ? report.failures : report.failures.slice(0, 20);
    for (const f of shown) lines.push(`  miss [${f.outcome}] ${f.q} → expected ${f.expect.join('|') || 'none'}, got ${f.got.slice(0, 3).join(', ') || 'none'}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    const ok = report.top1Rate >= evalTargets.top1Rate && report.top3Rate >= evalTargets.top3Rate && report.falseClaimRate <= evalTargets.falseClaimRate;
    if (!ok) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`eval failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
