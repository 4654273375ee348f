/**
 * A loopback HTTP server standing in for a platform API (Graph, Zalo OpenAPI/OAuth) in tests: records every
 * request exactly as received and answers through a programmable handler (status, headers, JSON, or no answer).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON, the form fields for form bodies, else the raw text. */
  body: unknown;
  rawBody: string;
  at: number;
}

export interface MockAnswer {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  /** Never answer (the client's timeout decides). */
  hang?: boolean;
}

export type MockHandler = (req: RecordedRequest, index: number) => MockAnswer | undefined | Promise<MockAnswer | undefined>;

export interface PlatformMock {
  url: string;
  requests: RecordedRequest[];
  /** Requests whose path ends with `suffix` (and method POST unless given). */
  calls(suffix: string, method?: string): RecordedRequest[];
  handle(handler: MockHandler): void;
  close(): Promise<void>;
}

/** Starts a mock; `fallback` answers whatever the handler leaves undefined. */
export async function startPlatformMock(fallback: MockHandler = defaultPlatformAnswer): Promise<PlatformMock> {
  const requests: RecordedRequest[] = [];
  let handler: MockHandler = () => undefined;
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://mock');
      let body: unknown = rawBody;
      if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(rawBody));
      else {
        try {
          body = JSON.parse(rawBody);
        } catch {
          /* keep text */
        }
      }
      const recorded: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, rawBody, at: Date.now() };
      const index = requests.push(recorded) - 1;
      const answer = (await handler(recorded, index)) ?? (await fallback(recorded, index)) ?? { json: { ok: true } };
      if (answer.hang) {
        hanging.push(res);
        return;
      }
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.json ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    calls: (suffix, method = 'POST') => requests.filter((r) => r.method === method && r.path.endsWith(suffix)),
    handle(h) {
      handler = h;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let counter = 0;
/** Documented success shapes of the Graph API and Zalo OpenAPI/OAuth. */
export const defaultPlatformAnswer: MockHandler = (req) => {
  counter++;
  const p = req.path;
  const body = (req.body ?? {}) as { recipient?: { id?: string } };
  if (p.endsWith('/oa/access_token')) return { json: { access_token: `zat-new-${counter}`, refresh_token: `zrt-new-${counter}`, expires_in: '90000' } };
  if (p.includes('/oa/message')) return { json: { error: 0, message: 'Success', data: { message_id: `zmid-${counter}`, user_id: 'u' } } };
  if (p.endsWith('/article/create')) return { json: { error: 0, message: 'Success', data: { token: `art-token-${counter}` } } };
  if (p.endsWith('/article/verify')) return { json: { error: 0, message: 'Success', data: { id: `art-${counter}` } } };
  if (p.endsWith('/messages')) return { json: { recipient_id: body.recipient?.id ?? '1', message_id: `m_${counter}` } };
  if (p.endsWith('/feed')) return { json: { id: `page_post_${counter}` } };
  if (p.endsWith('/photos')) return { json: { id: `photo_${counter}`, post_id: `page_post_${counter}` } };
  if (p.endsWith('/messenger_profile')) return { json: { result: 'success' } };
  return { json: { ok: true } };
};
