/**
 * The search contract for speed work: the engine's full output over every non-blind question (test/eval/questions.jsonl
 * and bench/search-questions.jsonl, each as typed, unaccented and abbreviated, then a follow-up) on the 78-procedure
 * catalog and on 5,000 (bench/search-fixtures.ts): the ranked hits of `ProcedureIndex.search` and of
 * `searchAnalysis` on the engine's clause reading (codes, scores, recall, precision rounded to 1e-9), and the
 * engine's outcome, presented procedures, replies and context. A change to the index's data structures must leave it
 * identical; a scoring change rewrites it (`--write`) in the same commit.
 *
 *   node --import tsx bench/search-snapshot.ts --write         # record bench/search-snapshot.json
 *   node --import tsx bench/search-snapshot.ts                 # compare; exit 1 and show the first differences
 *   node --import tsx bench/search-snapshot.ts --dump FILE     # also write the full output (JSON lines) to FILE
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { respond, type Knowledge } from '../src/domain/conversation/engine.js';
import { ProcedureIndex, type SearchHit } from '../src/domain/procedures/search.js';
import { analyzeMessage } from '../src/domain/text/clauses.js';
import { loadLanguage } from '../src/domain/text/language.load.js';
import { followUps, realProcedures, sourceQuestions, synthesise, variantsOf } from './search-fixtures.js';

const snapshotFile = 'bench/search-snapshot.json';
const args = process.argv.slice(2);
const write = args.includes('--write');
const dumpAt = args.indexOf('--dump');
const dumpFile = dumpAt >= 0 ? args[dumpAt + 1] : undefined;

const hotlines = JSON.parse(fs.readFileSync('content/hotlines.json', 'utf8'));
const profile = JSON.parse(fs.readFileSync('content/commune.json', 'utf8'));
const language = loadLanguage('content');
const at = new Date('2026-12-02T03:00:00Z');
const r9 = (x: number) => Math.round(x * 1e9) / 1e9;
const hitsOf = (hits: SearchHit[]) => hits.map((h) => [h.procedure.code, r9(h.score), r9(h.recall), r9(h.precision)]);

const questions = [...new Set(sourceQuestions().flatMap((x) => variantsOf(x.q)))];
const digests: Record<string, string> = {};
const lines: string[] = [];
for (const size of [78, 5000]) {
  const procedures = synthesise(realProcedures(), size);
  const index = ProcedureIndex.build(procedures, language);
  const knowledge: Knowledge = { index, procedures, hotlines, profile };
  const hash = createHash('sha256');
  questions.forEach((q, i) => {
    const r = respond({ message: { channel: 'webchat', platformMessageId: `s${i}`, address: 'snap', kind: 'text', text: q, receivedAt: at }, context: {}, knowledge });
    const follow = respond({
      message: { channel: 'webchat', platformMessageId: `f${i}`, address: 'snap', kind: 'text', text: followUps[i % followUps.length]!, receivedAt: at },
      context: r.context,
      knowledge,
    });
    const out = {
      size,
      q,
      search: hitsOf(index.search(q, 20)),
      clauses: hitsOf(index.searchAnalysis(analyzeMessage(q, language), 20)),
      outcome: r.outcome,
      presented: r.presented.map((p) => [p.code, r9(p.score)]),
      procedureCode: r.procedureCode ?? null,
      replies: r.replies,
      context: r.context,
      follow: [follow.outcome, follow.procedureCode ?? null, follow.replies],
    };
    const line = JSON.stringify(out);
    hash.update(line).update('\n');
    digests[`${size}\u0000${q}`] = createHash('sha256').update(line).digest('hex').slice(0, 16);
    if (dumpFile) lines.push(line);
  });
  digests[`${size}\u0000*`] = hash.digest('hex');
}
if (dumpFile) fs.writeFileSync(dumpFile, `${lines.join('\n')}\n`);
if (write) {
  fs.writeFileSync(snapshotFile, `${JSON.stringify(digests, null, 0).replace(/","/g, '",\n"')}\n`);
  console.log(`wrote ${snapshotFile}: ${questions.length} questions × 2 catalogs`);
} else {
  const before = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as Record<string, string>;
  const differ = Object.keys({ ...before, ...digests }).filter((k) => before[k] !== digests[k] && !k.endsWith('\u0000*'));
  if (differ.length === 0 && before[`78\u0000*`] === digests[`78\u0000*`] && before[`5000\u0000*`] === digests[`5000\u0000*`]) {
    console.log(`identical: ${questions.length} questions × 2 catalogs (78, 5,000 procedures)`);
  } else {
    console.log(`${differ.length} outputs differ, e.g.:\n${differ.slice(0, 10).map((k) => `  ${k.replace('\u0000', ' procedures: ')}`).join('\n')}`);
    process.exit(1);
  }
}
