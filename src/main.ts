/**
 * Starts the service: `npm start` (TypeScript through tsx) or `node dist/main.js` (the build). Stops cleanly on
 * SIGINT/SIGTERM. A configuration or start failure is one line on stderr naming the variable, and exit code 1.
 */
import { ConfigError, loadConfigWithSource, type Config } from './config.js';
import { startService, type Service } from './app/service.js';
import { StartError } from './app/start-error.js';

/**
 * The compiled build (production) migrates in a child process so the schema engine's memory leaves with it; under tsx
 * (development, tests) a child would pay tsx's start-up again for no benefit.
 */
const runsCompiled = import.meta.url.endsWith('.js');

let config: Config;
let envFile: string | null;
try {
  ({ config, envFile } = loadConfigWithSource());
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

const started = Date.now();
let service: Service;
try {
  service = await startService(config, { migrateInChild: runsCompiled });
} catch (e) {
  if (e instanceof StartError) {
    console.error(`cchc-bot cannot start: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
service.log.info(
  { url: service.url, envFile: envFile ?? 'none', channels: service.channels.map((c) => c.name), readyMs: Date.now() - started },
  'cchc-bot ready',
);
console.log(`cchc-bot is running: web chat at ${service.url}/chat , staff admin at ${service.url}/admin , health at ${service.url}/healthz`);
console.log(envFile ? `Configuration read from ${envFile} (environment variables win over it).` : 'No .env file found: configuration from the environment and defaults.');

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
