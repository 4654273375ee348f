/**
 * The service as the crash test runs it in a child process: the real composition root (startService) with the
 * environment's config, a conversation engine that quotes the message (so every reply names the event it answers)
 * and short take-over leases (argv[2] ms) so a restart picks up a killed process's work within the run.
 * Usage: node --import tsx test/support/crash-child.ts 4000
 */
import { startService } from '../../src/app/service.js';
import { loadConfig } from '../../src/config.js';

const leaseMs = Number(process.argv[2] ?? 4000);
const service = await startService(loadConfig(), {
  respond: ({ message, context }) => ({ replies: [{ kind: 'text', text: `Đã nhận: ${message.text}` }], context, outcome: 'answered', handover: false }),
  inbox: { processingLeaseMs: leaseMs, sendingLeaseMs: leaseMs },
  onFirstAdministrator: () => {},
});
process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
