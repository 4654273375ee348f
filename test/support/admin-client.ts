/**
 * A tiny browser-like HTTP client for the admin over real HTTP: keeps cookies, does not follow redirects (tests
 * assert them), and reads the CSRF token out of the last page's forms.
 */
import http from 'node:http';

export interface AdminResponse {
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

export class AdminClient {
  private readonly cookies = new Map<string, string>();
  lastBody = '';
  /** Sent with every request (e.g. X-Forwarded-For, as a reverse proxy adds it). */
  headers: Record<string, string> = {};

  /** `localAddress` (e.g. 127.0.0.2) makes the requests come from another loopback address: another client. */
  constructor(
    readonly baseUrl: string,
    private readonly localAddress?: string,
  ) {}

  async get(path: string): Promise<AdminResponse> {
    return this.request('GET', path);
  }

  /** POSTs a urlencoded form; adds `_csrf` from the last page unless given (pass `_csrf: ''`… to test refusals). */
  async post(path: string, form: Record<string, string>, opts: { csrf?: boolean } = {}): Promise<AdminResponse> {
    const data = { ...form };
    if (opts.csrf !== false && data._csrf === undefined) {
      const token = this.csrfToken();
      if (token) data._csrf = token;
    }
    return this.request('POST', path, new URLSearchParams(data).toString());
  }

  csrfToken(): string | null {
    return /name="_csrf" value="([^"]+)"/.exec(this.lastBody)?.[1] ?? null;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** The Cookie header this client sends (for raw fetches such as the live event stream). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Opens an event stream (GET, with this client's cookies), returns the text up to its first `data:` event, and closes it. */
  async firstEvent(path: string, timeoutMs = 10_000): Promise<string> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetch(new URL(path, this.baseUrl), { headers: { ...this.headers, cookie: this.cookieHeader() }, redirect: 'manual', signal: controller.signal });
      if (!res.body) return `status ${res.status}`;
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!/^data: .*\n\n/m.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return text;
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  /** Signs in and, when asked to, replaces a one-time password. Leaves the client on the overview page. */
  async signIn(username: string, password: string, newPassword?: string): Promise<AdminResponse> {
    await this.get('/admin/login');
    const r = await this.post('/admin/login', { username, password, next: '/admin' });
    if (r.status !== 303) throw new Error(`sign-in failed: ${r.status} ${r.body.slice(0, 300)}`);
    if (r.location === '/admin/account/password') {
      if (!newPassword) return r;
      await this.get('/admin/account/password');
      const c = await this.post('/admin/account/password', { current: password, next: newPassword, confirm: newPassword });
      if (c.status !== 303) throw new Error(`password change failed: ${c.status}`);
    }
    return this.get('/admin');
  }

  private async request(method: string, path: string, body?: string): Promise<AdminResponse> {
    const headers: Record<string, string> = { ...this.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = this.localAddress
      ? await requestFrom(this.localAddress, new URL(path, this.baseUrl), method, headers, body)
      : await fetch(new URL(path, this.baseUrl), { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    if ((res.headers.get('content-type') ?? '').includes('html')) this.lastBody = text;
    return { status: res.status, location: res.headers.get('location'), body: text, headers: res.headers };
  }
}

/** One request from a chosen local address (fetch cannot pick it), answered like fetch's Response. */
function requestFrom(localAddress: string, url: URL, method: string, headers: Record<string, string>, body?: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) h.append(k, one);
        resolve(new Response(res.statusCode === 204 || res.statusCode === 304 ? null : Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: h }));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
