// `npm run bench:webhook -- --engine ack`: the compiled service (dist/, as `npm start` runs it) with the conversation
// engine replaced by a one-line acknowledgement, to measure the webhook → ledger → Send API pipeline alone.
// Figures from it are labelled "acknowledging engine": they are NOT what a citizen gets.
import { loadConfig } from '../dist/config.js';
import { startService } from '../dist/app/service.js';

const service = await startService(loadConfig(), {
  migrateInChild: true,
  respond: ({ message, context }) => ({ replies: [{ kind: 'text', text: `Đã nhận: ${message.text}` }], context, outcome: 'unanswered', handover: false }),
});
process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
