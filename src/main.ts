/** Starts the service: `npm start`. Stops cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig, type Config } from './config.js';
import { startService } from './app/service.js';

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

const started = Date.now();
const service = await startService(config, { migrateInChild: true });
service.log.info(
  { url: service.url, channels: service.channels.map((c) => c.name), readyMs: Date.now() - started },
  'cchc-bot ready',
);
console.log(`cchc-bot is running: web chat at ${service.url}/chat , staff admin at ${service.url}/admin , health at ${service.url}/healthz`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    service.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await service.close();
    process.exit(0);
  });
}
