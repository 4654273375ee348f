/**
 * A tiny browser-like HTTP client for the admin over real HTTP: keeps cookies, does not follow redirects (tests
 * assert them), and reads the CSRF token out of the last page's forms.
 */
export interface AdminResponse {
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

export class AdminClient {
  private readonly cookies = new Map<string, string>();
  lastBody = '';

  constructor(readonly baseUrl: string) {}

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
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(new URL(path, this.baseUrl), { method, headers, body, redirect: 'manual' });
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
