/**
 * Operator metrics: `GET /metrics` in Prometheus text format, built with prom-client (the Prometheus client that
 * most Node services use: text exposition format, counters, histograms and Node's process metrics — resident memory,
 * heap, event-loop lag, GC — without writing any of it by hand).
 *
 * What is counted where: webhook messages as they reach the inbox (`cchc_inbound_received_total`), the engine's
 * decisions (`cchc_answers_total`), every platform call the dispatcher makes with its outcome and duration (the
 * outlets are wrapped, so the dispatcher itself is unchanged), and, read from the ledger at scrape time, the queue
 * depth and oldest waiting age per channel and how late the post scheduler is.
 *
 * Access: with METRICS_TOKEN, the main port answers `/metrics` to `Authorization: Bearer <token>` only; with
 * METRICS_PORT, a second listener (METRICS_HOST, loopback by default) answers without a token. Neither: not served.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { DeliveryError, type Outlet } from '../domain/delivery.js';
import type { InboundSink, Responder } from '../domain/inbox/processor.js';
import { queueStats, waitedSeconds } from '../domain/ledger/queue.repo.js';

export interface Metrics {
  registry: Registry;
  /** The channel sink, counting messages as they arrive. */
  countInbound(sink: InboundSink): InboundSink;
  /** The engine, counting its answers by outcome. */
  countAnswers(respond: Responder): Responder;
  /** An outlet whose sends are counted by status and timed. */
  measureOutlet<O extends Outlet>(outlet: O): Outlet;
  /** The Prometheus text of every metric, the ledger gauges read now. */
  scrape(): Promise<string>;
}

export function createMetrics(db: Db, now: () => Date = () => new Date()): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const inbound = new Counter({ name: 'cchc_inbound_received_total', help: 'Citizen messages received from the channels', labelNames: ['channel'], registers: [registry] });
  const answers = new Counter({ name: 'cchc_answers_total', help: 'Answers decided by the conversation engine, by outcome', labelNames: ['outcome'], registers: [registry] });
  const sends = new Counter({
    name: 'cchc_sends_total',
    help: 'Platform send calls by channel and status (sent, or the error kind: retry, auth, rejected, gone, unknown)',
    labelNames: ['channel', 'status'],
    registers: [registry],
  });
  const sendSeconds = new Histogram({
    name: 'cchc_send_duration_seconds',
    help: 'Duration of one platform send call (a reply split in parts counts as one)',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const depth = new Gauge({ name: 'cchc_queue_depth', help: 'Rows waiting: outbound = replies not yet sent, inbound = messages not yet answered', labelNames: ['direction', 'channel'], registers: [registry] });
  const oldest = new Gauge({ name: 'cchc_queue_oldest_age_seconds', help: 'How long the oldest waiting row has waited', labelNames: ['direction', 'channel'], registers: [registry] });
  const schedulerLag = new Gauge({ name: 'cchc_scheduler_lag_seconds', help: 'How long past its due time the oldest queued post is (0: nothing overdue)', registers: [registry] });

  async function readLedger(): Promise<void> {
    const at = now();
    const [stats, overdue] = await Promise.all([
      queueStats(db),
      db.scheduledPost.findFirst({ where: { state: 'queued', dueAt: { lte: at } }, orderBy: { dueAt: 'asc' }, select: { dueAt: true } }),
    ]);
    // Channels whose queue emptied since the last scrape must read 0, not keep their last value.
    depth.reset();
    oldest.reset();
    for (const s of stats) {
      depth.set({ direction: s.direction, channel: s.channel }, s.depth);
      oldest.set({ direction: s.direction, channel: s.channel }, waitedSeconds(s, at));
    }
    schedulerLag.set(overdue ? Math.max(0, (at.getTime() - overdue.dueAt.getTime()) / 1000) : 0);
  }

  return {
    registry,
    countInbound: (sink) => (messages) => {
      for (const m of messages) inbound.inc({ channel: m.channel });
      return sink(messages);
    },
    countAnswers: (respond) => async (input) => {
      const output = await respond(input);
      answers.inc({ outcome: output.outcome });
      return output;
    },
    measureOutlet(outlet) {
      const channel = outlet.name;
      return {
        name: outlet.name,
        get capabilities() {
          return outlet.capabilities;
        },
        async send(address, reply, context) {
          const end = sendSeconds.startTimer({ channel });
          try {
            const result = await outlet.send(address, reply, context);
            sends.inc({ channel, status: 'sent' });
            return result;
          } catch (e) {
            sends.inc({ channel, status: e instanceof DeliveryError ? e.kind : 'unknown' });
            throw e;
          } finally {
            end();
          }
        },
        ...(outlet.publish ? { publish: outlet.publish.bind(outlet) } : {}),
      };
    },
    async scrape() {
      await readLedger();
      return registry.metrics();
    },
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** `/metrics` on the main app, for a scraper holding METRICS_TOKEN. */
export function metricsRouter(metrics: Metrics, token: string): Router {
  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
    if (!given || !sameSecret(given, token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain; charset=utf-8').send('metrics need Authorization: Bearer <METRICS_TOKEN>\n');
      return;
    }
    try {
      const text = await metrics.scrape();
      res.type(metrics.registry.contentType).send(text);
    } catch (e) {
      next(e);
    }
  });
  return router;
}

/** The separate, token-free listener (METRICS_PORT on METRICS_HOST): only `/metrics`. */
export async function startMetricsServer(metrics: Metrics, config: Pick<Config, 'METRICS_HOST'>, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('only GET /metrics here\n');
      return;
    }
    metrics.scrape().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics failed: ${String(e)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, config.METRICS_HOST, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
