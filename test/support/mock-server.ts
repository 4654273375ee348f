/**
 * A loopback HTTP server that plays a platform's API in tests: it records every request (method, path, query,
 * headers, parsed body) and answers with a route's response. Tests put handlers in front to inject failures
 * (429, 5xx, 401, a hang, a dropped connection) and assert on the exact requests received.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
  at: number;
}

export type MockReply =
  | { status?: number; json: unknown; delayMs?: number }
  /** Never answers (the client times out after sending). */
  | { hang: true }
  /** Drops the connection without an answer. */
  | { destroy: true };

/** Returns the reply for a request, or undefined to let the next handler (finally the default) answer. */
export type MockHandler = (req: RecordedRequest) => MockReply | undefined;

export interface MockServer {
  url: string;
  requests: RecordedRequest[];
  /** Puts a handler in front of the others until `reset()`. */
  intercept(handler: MockHandler): void;
  /** Forgets recorded requests and interceptors. */
  reset(): void;
  /** Resolves when at least `count` recorded requests match, or rejects after `timeoutMs`. */
  waitFor(pred: (r: RecordedRequest) => boolean, count?: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export async function startMockServer(fallback: MockHandler): Promise<MockServer> {
  const requests: RecordedRequest[] = [];
  let handlers: MockHandler[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        /* not JSON: keep the text */
      }
      const url = new URL(req.url ?? '/', 'http://mock');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        at: Date.now(),
      };
      requests.push(recorded);
      let reply: MockReply | undefined;
      for (const h of [...handlers, fallback]) {
        reply = h(recorded);
        if (reply) break;
      }
      reply ??= { status: 404, json: { error: 'no route' } };
      if ('hang' in reply) {
        hanging.add(res);
        return;
      }
      if ('destroy' in reply) {
        req.socket.destroy();
        return;
      }
      const { status = 200, json, delayMs = 0 } = reply;
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (delayMs > 0) {
        hanging.add(res);
        setTimeout(answer, delayMs);
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    intercept(handler) {
      handlers = [handler, ...handlers];
    },
    reset() {
      requests.length = 0;
      handlers = [];
    },
    async waitFor(pred, count = 1, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = requests.filter(pred);
        if (found.length >= count) return found;
        if (Date.now() > until) throw new Error(`mock: expected ${count} matching requests, saw ${found.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
