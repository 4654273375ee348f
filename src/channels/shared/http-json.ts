/**
 * A small JSON-over-HTTP client for platform APIs on reused keep-alive connections (a fresh connection per call
 * halved throughput in the webhook benchmark). It tells apart a request that never left (safe to retry) from one
 * whose outcome is unknown (written, then no answer), which the adapters turn into DeliveryError kinds.
 */
import http from 'node:http';
import https from 'node:https';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

export interface HttpJsonResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
}

/** The request failed without a response. `written`: the request reached the wire, so it may have been acted on. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly written: boolean,
    readonly code?: string,
    /** The failure was a reused idle keep-alive socket the server had closed: safe to resend at once. */
    readonly staleSocket = false,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface HttpJsonRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless `form` is set. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  timeoutMs: number;
}

/**
 * Performs one request; resolves with any HTTP status, rejects only with {@link TransportError}. A request that
 * hit a keep-alive socket the server had just closed is resent once on a fresh connection.
 */
export async function requestJson(req: HttpJsonRequest): Promise<HttpJsonResponse> {
  try {
    return await attempt(req);
  } catch (e) {
    if (e instanceof TransportError && e.staleSocket) return attempt(req);
    throw e;
  }
}

interface Target {
  isHttps: boolean;
  options: Pick<http.RequestOptions, 'protocol' | 'hostname' | 'port' | 'path' | 'auth'>;
}

/** Parsed request targets: the Send API is called with the same few URLs all day (URL parsing showed in profiles). */
const targets = new Map<string, Target>();

function targetOf(href: string): Target {
  let t = targets.get(href);
  if (!t) {
    const url = new URL(href);
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    t = {
      isHttps: url.protocol === 'https:',
      options: {
        protocol: url.protocol,
        hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: `${url.pathname}${url.search}`,
        ...(url.username || url.password ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
      },
    };
    if (targets.size >= 1000) targets.clear();
    targets.set(href, t);
  }
  return t;
}

function attempt(req: HttpJsonRequest): Promise<HttpJsonResponse> {
  const target = targetOf(req.url);
  const isHttps = target.isHttps;
  const payload =
    req.form !== undefined ? new URLSearchParams(req.form).toString() : req.json !== undefined ? JSON.stringify(req.json) : undefined;
  const headers: Record<string, string | number> = { accept: 'application/json', ...req.headers };
  if (payload !== undefined) {
    headers['content-type'] = req.form !== undefined ? 'application/x-www-form-urlencoded' : 'application/json; charset=utf-8';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    let written = false;
    let settled = false;
    let responded = false;
    let stale = false;
    const fail = (message: string, code?: string) => {
      if (settled) return;
      settled = true;
      reject(new TransportError(message, written, code, stale));
    };
    const r = (isHttps ? https : http).request(
      { ...target.options, method: req.method, headers, agent: isHttps ? agents['https:'] : agents['http:'] },
      (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => fail(`response aborted: ${e.message}`, (e as NodeJS.ErrnoException).code));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text === '' ? null : JSON.parse(text);
          } catch {
            /* not JSON: keep the text for the error message */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    const timer = setTimeout(() => {
      fail(`no response within ${req.timeoutMs} ms`, 'ETIMEDOUT');
      r.destroy();
    }, req.timeoutMs);
    r.on('finish', () => (written = true));
    r.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const neverReached = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(e.code ?? '');
      // A keep-alive socket the server closed while idle resets on reuse before any answer: the request was not
      // acted on (Node documents `reusedSocket` for exactly this retry decision).
      stale = e.code === 'ECONNRESET' && r.reusedSocket && !responded;
      if (neverReached || stale) written = false;
      fail(e.message, e.code);
    });
    r.end(payload);
  });
}

/** Retry-After (seconds or HTTP date) in milliseconds, when present and sane. */
export function retryAfterMs(headers: http.IncomingHttpHeaders, now = Date.now()): number | undefined {
  const value = headers['retry-after'];
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 24 * 3600) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
