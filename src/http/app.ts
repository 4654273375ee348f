/**
 * The express app: security headers, health, channel webhooks, the web chat and (later) the admin, one error
 * handler. Routes stay thin: parse, one domain call, render.
 */
import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import { HttpError } from './errors.js';
import type { AppLogger } from './logger.js';

export interface AppDeps {
  /** The channels in use, for /healthz. */
  channelNames: readonly string[];
  /** Webhook routers and their paths (under /webhooks). */
  webhooks: readonly { path: string; router: express.Router }[];
  log: AppLogger;
  /** Extra routers mounted after the webhooks (web chat page, website feed, admin). */
  mounts?: { path: string; router: express.Router }[];
  health?: () => Promise<Record<string, unknown>>;
  /** Config.TRUST_PROXY: which proxies may tell the client's address; false trusts loopback proxies only. */
  trustProxy?: false | number | string[];
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // req.ip is the client's address only through proxies named here (per-address limits depend on it).
  app.set('trust proxy', deps.trustProxy === undefined || deps.trustProxy === false ? 'loopback' : deps.trustProxy);
  // The chat page and admin load their own inline-free scripts from this origin only.
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:', 'https:'] } } }));

  app.get('/healthz', async (_req, res) => {
    const extra = deps.health ? await deps.health() : {};
    res.json({ ok: true, channels: deps.channelNames, ...extra });
  });

  for (const w of deps.webhooks) app.use(w.path, w.router);
  app.all('/webhooks/{*rest}', (req, res) => {
    res.status(404).json({ error: 'unknown or disabled channel' });
    deps.log.warn({ path: req.path }, 'webhook for an unknown or disabled channel');
  });
  for (const m of deps.mounts ?? []) app.use(m.path, m.router);

  app.use((_req, res) => {
    res.status(404).type('text/plain; charset=utf-8').send('Không tìm thấy trang.');
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const e = err as { status?: number; statusCode?: number; type?: string };
    if (err instanceof HttpError) {
      deps.log.warn({ path: req.path, status: err.status, cause: err.message }, 'request refused');
      res.status(err.status).type('text/plain; charset=utf-8').send(err.publicMessage);
      return;
    }
    const status = e.status ?? e.statusCode ?? 500;
    if (status < 500) {
      // body-parser errors: malformed JSON, too large, bad encoding
      deps.log.warn({ path: req.path, status, type: e.type, cause: String((err as Error).message) }, 'bad request');
      res.status(status).json({ error: status === 413 ? 'payload too large' : 'bad request' });
      return;
    }
    deps.log.error({ path: req.path, err }, 'unhandled error');
    res.status(500).type('text/plain; charset=utf-8').send('Đã có lỗi xảy ra. Xin vui lòng thử lại sau.');
  };
  app.use(onError);
  return app;
}
