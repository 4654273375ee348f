/**
 * Crash test: `npm run bench:crash` (options: --runs 5 --events 60 --rate 30 --kill-after 1000 --kill-at-share 0.3
 * --db sqlite,postgresql --root <worktree>). Each run starts the real service as a child process with Messenger, Zalo and Telegram on
 * loopback mocks, sends signed events for every channel, kills the service with SIGKILL mid-run, restarts it on the
 * same database and counts, per channel, acknowledged events never answered (lost) and answered twice (doubled).
 * PostgreSQL: the server in TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { parseArgs } from 'node:util';
import { crashRun, type ChannelCrashCount } from '../test/support/crash-harness.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    events: { type: 'string', default: '60' },
    rate: { type: 'string', default: '30' },
    'kill-after': { type: 'string', default: '1000' },
    'kill-at-share': { type: 'string', default: '0.3' },
    db: { type: 'string', default: 'sqlite,postgresql' },
    root: { type: 'string' },
  },
});
const pgServer = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const runs = Math.min(20, Number(values.runs));
const totals: Record<string, { lost: number[]; doubled: number[]; unconfirmed: number[]; delivered: number[]; acknowledged: number }> = {};
for (const kind of values.db!.split(',')) {
  for (let run = 1; run <= runs; run++) {
    const result = await crashRun({
      pgServer: kind === 'postgresql' ? pgServer : undefined,
      perChannel: Math.min(1_000, Number(values.events)),
      ratePerSecond: Number(values.rate),
      killAfterMs: Number(values['kill-after']),
      killAtShare: Number(values['kill-at-share']),
      root: values.root,
    });
    for (const [channel, c] of Object.entries(result) as [string, ChannelCrashCount][]) {
      const key = `${kind} ${channel}`;
      const t = (totals[key] ??= { lost: [], doubled: [], unconfirmed: [], delivered: [], acknowledged: 0 });
      t.lost.push(c.lost);
      t.doubled.push(c.doubled);
      t.unconfirmed.push(c.rows.unconfirmed ?? 0);
      t.delivered.push(c.unconfirmedDelivered);
      t.acknowledged += c.acknowledged;
      console.log(JSON.stringify({ db: kind, run, channel, ...c }));
    }
  }
}
console.log('\n| database, channel | acknowledged (all runs) | lost per run | doubled per run | unconfirmed rows per run | of which delivered |');
console.log('|---|---|---|---|---|---|');
for (const [key, t] of Object.entries(totals)) console.log(`| ${key} | ${t.acknowledged} | ${t.lost.join(', ')} | ${t.doubled.join(', ')} | ${t.unconfirmed.join(', ')} | ${t.delivered.join(', ')} |`);
