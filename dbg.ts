import { loadLanguage } from '/work/wt-answers/src/domain/text/language.load.js';
import { analyzeMessage } from '/work/wt-answers/src/domain/text/clauses.js';
import { ProcedureIndex } from '/work/wt-answers/src/domain/procedures/search.js';
import fs from 'node:fs';
const language = loadLanguage('content');
const procs = JSON.parse(fs.readFileSync(process.env.PROCS ?? 'content/procedures.json', 'utf8')).map((p: any) => ({ situations: [], audience: null, ...p }));
const index = ProcedureIndex.build(procs, language);
for (const q of process.argv.slice(2)) {
  const a = analyzeMessage(q, language);
  console.log('>', q, '\n  long', a.long, 'need:', a.needText, '\n  intents', [...a.intents], 'flags', [...a.flags]);
  console.log('  content', a.content.map((t) => t.text + (t.salience ? '~' : '')).join(' '));
  for (const h of index.searchAnalysis(a, 4)) console.log('  ', h.procedure.code, h.score, h.recall, h.precision, h.procedure.name.slice(0, 50));
}
