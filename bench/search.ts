/**
 * Search-and-reply benchmark: the real catalog scaled to 5,000 procedures (variants synthesised from the 78 real
 * ones), a few thousand realistic questions (bench/search-fixtures.ts: the evaluation set, its unaccented and
 * abbreviated forms, follow-ups, and about a fifth long stories of 40–190 words with and without diacritics), each
 * answered by the conversation engine exactly as the service does. Prints p50/p95/p99 latency, by kind too, the
 * index's build time and heap size, and resident memory.
 *
 *   npm run --silent bench:search                 # 5,000 procedures, 3,000 questions
 *   npm run --silent bench:search -- 20000 5000   # other sizes
 *   npm run --silent bench:search -- --mix dev    # the older mix: development set only (7 words on average)
 *   npm run --silent bench:search -- --as-service # with the service's node flags (package.json start script)
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --expose-gc --import tsx bench/search.ts   # where the time goes
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { prepareKnowledge, respond, type Knowledge } from '../src/domain/conversation/engine.js';
import { ProcedureIndex } from '../src/domain/procedures/search.js';
import { loadLanguage } from '../src/domain/text/language.load.js';
import { followUps, questionMix, realProcedures, sourceQuestions, synthesise, variantsOf, type BenchQuestion } from './search-fixtures.js';
import fs from 'node:fs';

const args = process.argv.slice(2);
if (args.includes('--as-service')) {
  // Re-run with the node flags the service starts with (package.json's start script: single-threaded V8, a small young
  // generation), so garbage collection and compilation happen on the thread that answers, as in production.
  const start = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const flags = start.split(/\s+/).filter((w) => w.startsWith('--'));
  const rest = args.filter((a) => a !== '--as-service');
  const r = spawnSync(process.execPath, [...flags, '--expose-gc', '--import', 'tsx', import.meta.filename, ...rest], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const mixAt = args.indexOf('--mix');
const mix = mixAt >= 0 ? args.splice(mixAt, 2)[1] : 'traffic';
const catalogSize = Number(args[0] ?? 5000);
const questionCount = Number(args[1] ?? 3000);

const real = realProcedures();
const hotlines = JSON.parse(fs.readFileSync('content/hotlines.json', 'utf8'));
const profile = JSON.parse(fs.readFileSync('content/commune.json', 'utf8'));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};

const procedures = synthesise(real, catalogSize);
const language = loadLanguage('content');
const heapBefore = heapUsed();
const buildStart = process.hrtime.bigint();
const index = ProcedureIndex.build(procedures, language);
const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
const indexMb = (heapUsed() - heapBefore) / 1024 / 1024;
const knowledge: Knowledge = { index, procedures, hotlines, profile };
// As loadKnowledge does: sibling families and the referral index are derived once, with the index.
prepareKnowledge(knowledge);

/** The mix before the long stories were added (issue 9 measured 7.0 ms p99 on it). */
function devMix(count: number): BenchQuestion[] {
  const base = sourceQuestions().filter((_, i) => i < 405);
  const variants = base.flatMap((x) => variantsOf(x.q).map((text) => ({ text, kind: x.kind })));
  const out: BenchQuestion[] = [];
  for (let i = 0; out.length < count; i++) {
    out.push({ ...variants[i % variants.length]!, followUp: false });
    if (i % 5 === 4) out.push({ text: followUps[i % followUps.length]!, kind: 'follow-up', followUp: true });
  }
  out.length = count;
  return out;
}

const questions = mix === 'dev' ? devMix(questionCount) : questionMix(questionCount);
const words = (t: string) => t.split(/\s+/).filter(Boolean).length;
const longShare = questions.filter((q) => words(q.text) >= 40).length / questions.length;

function ask(text: string, context: unknown) {
  return respond({
    message: { channel: 'webchat', platformMessageId: 'bench', address: 'bench', kind: 'text', text, receivedAt: new Date() },
    context,
    knowledge,
  });
}

// Warm-up (JIT), then measure. Each question is answered three times: the first time is what a citizen waits for
// (wall clock, including garbage collection and other processes' turns on a shared machine) and the CPU it used; the
// fastest of the three is the engine's own cost.
for (const q of questions.slice(0, 300)) ask(q.text, {});
const timings: number[] = [];
const cpuTimes: number[] = [];
const ownCost: number[] = [];
const byLength = new Map<string, number[]>();
let context: unknown = {};
const cpuAll = process.cpuUsage();
for (const q of questions) {
  let fastest = Infinity;
  let next: unknown = context;
  for (let run = 0; run < 3; run++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const r = ask(q.text, q.followUp ? context : {});
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const cpu = process.cpuUsage(cpuStart);
    if (run === 0) {
      timings.push(ms);
      // CPU the process spent on this answer (all its threads): not inflated by other processes' turns on the cores.
      cpuTimes.push((cpu.user + cpu.system) / 1000);
      const n = words(q.text);
      const group = n >= 40 ? 'long (40+ words)' : n >= 15 ? 'medium (15–39 words)' : 'short (< 15 words)';
      (byLength.get(group) ?? byLength.set(group, []).get(group)!).push(ms);
    }
    fastest = Math.min(fastest, ms);
    next = r.context;
  }
  ownCost.push(fastest);
  context = next;
}
const cpuTotal = process.cpuUsage(cpuAll);
timings.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
ownCost.sort((a, b) => a - b);
const rssMb = process.memoryUsage().rss / 1024 / 1024;
const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
const f = (x: number) => x.toFixed(3);
const line = (label: string, s: number[]) => `${label}: p50 ${f(percentile(s, 50))} ms, p95 ${f(percentile(s, 95))} ms, p99 ${f(percentile(s, 99))} ms, max ${f(s[s.length - 1]!)} ms`;
console.log(
  [
    `catalog: ${procedures.length} procedures (${real.length} real + synthesised variants), index built in ${buildMs.toFixed(0)} ms` +
      (gc ? `, index heap ${indexMb.toFixed(1)} MB` : ' (run with --expose-gc for the index heap size)'),
    `questions: ${timings.length}, mix "${mix}", node flags: ${process.execArgv.filter((a) => a.startsWith('--') && a !== '--import').join(' ') || 'none'}, ${(longShare * 100).toFixed(0)} % of 40+ words (engine.respond: analysis, search, decision, replies)`,
    line('latency (first answer, wall clock)', timings),
    ...[...byLength].sort().map(([group, s]) => `  ${line(`${group}, ${s.length}`, s.sort((a, b) => a - b))}`),
    line('CPU time of the first answer', cpuTimes),
    line('engine cost (fastest of 3)', ownCost),
    `CPU time, all 3 × ${timings.length} answers: ${((cpuTotal.user + cpuTotal.system) / 1000).toFixed(0)} ms`,
    `machine load average (1 min): ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
    `memory: rss ${rssMb.toFixed(0)} MB, heap used ${heapMb.toFixed(0)} MB`,
  ].join('\n'),
);
