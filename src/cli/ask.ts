/**
 * Ask the bot from a terminal, with the service's engine and database.
 *
 *   echo "làm giấy khai sinh cần gì" | npm run --silent ask             # the reply as a citizen sees it
 *   npm run --silent ask -- --json < questions.txt                      # one JSON object per line
 *   npm run --silent ask -- --session                                   # keep context between lines (follow-ups)
 *
 * One message per input line; each line is a fresh conversation unless --session is given.
 */
import readline from 'node:readline';
import type { EngineResult } from '../domain/conversation/engine.js';
import { replyText, type Reply } from '../domain/messages.js';
import { openConversation, typedMessage } from './session.js';

function render(reply: Reply): string {
  const lines = [replyText(reply)];
  if ((reply.kind === 'text' || reply.kind === 'card') && reply.links) for (const l of reply.links) lines.push(`🔗 ${l.title}: ${l.url}`);
  if (reply.kind === 'choices' || (reply.kind === 'card' && reply.choices)) {
    lines.push((reply.choices ?? []).map((c) => `[${c.title}]`).join(' '));
  }
  return lines.join('\n');
}

function asJson(q: string, r: EngineResult): string {
  return JSON.stringify({
    q,
    intent: r.outcome,
    procedures: r.presented.map((p) => ({ code: p.code, name: p.name, score: p.score })),
    reply: r.replies.map(replyText).join('\n\n'),
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const keepContext = args.includes('--session');
  const { service, db } = await openConversation();
  let context: unknown = {};
  try {
    const input = readline.createInterface({ input: process.stdin, terminal: false });
    for await (const line of input) {
      const q = line.trim();
      if (q === '') continue;
      const r = service.respond({ message: typedMessage(q), context: keepContext ? context : {} });
      context = r.context;
      process.stdout.write(json ? `${asJson(q, r)}\n` : `> ${q}\n${r.replies.map(render).join('\n\n')}\n\n`);
    }
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`ask failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
