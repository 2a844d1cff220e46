// A tiny HTTP client for a WordPress site: a cookie jar, admin login, the REST
// nonce, and REST calls through /?rest_route= (works without pretty permalinks).
import { fetchWithTimeout } from '../util.ts';

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | undefined;
  /** Follow redirects (by hand, keeping every cookie); default true. */
  redirect?: boolean;
  timeoutMs?: number | undefined;
}

export interface RestOptions {
  method?: string;
  body?: unknown;
  /** Send the REST nonce (default true). */
  nonce?: boolean;
  timeoutMs?: number;
}

export class WordPressClient {
  readonly siteUrl: string;
  cookies = new Map<string, string>();
  nonce: string | null = null;

  constructor(siteUrl: string) {
    this.siteUrl = siteUrl.replace(/\/$/, '');
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  #remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [key, val] = a.trim().split('=');
        if (/^max-age$/i.test(key ?? '')) return Number(val) <= 0;
        if (/^expires$/i.test(key ?? '')) return Date.parse(a.trim().slice(8)) < Date.now();
        return false;
      });
      if (expired || value === 'deleted') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** fetch with the jar; follows redirects by hand so every Set-Cookie is kept. */
  async request(path: string, { method = 'GET', headers = {}, body, redirect = true, timeoutMs = 30_000 }: RequestOptions = {}): Promise<Response> {
    let url = new URL(path, `${this.siteUrl}/`).toString();
    for (let hop = 0; hop < 10; hop++) {
      const response = await fetchWithTimeout(url, {
        method,
        headers: { ...headers, ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}) },
        body,
        redirect: 'manual',
      }, timeoutMs);
      this.#remember(response);
      const location = response.headers.get('location');
      if (!redirect || response.status < 300 || response.status >= 400 || !location) return response;
      await response.arrayBuffer();
      url = new URL(location, url).toString();
      if (response.status !== 307 && response.status !== 308) { method = 'GET'; body = undefined; }
    }
    throw new Error(`too many redirects from ${path}`);
  }

  get loggedIn(): boolean {
    return [...this.cookies.keys()].some((name) => name.startsWith('wordpress_logged_in_'));
  }

  /**
   * Logs in (default admin/password). The Playground runtime logs the first
   * visitor in as admin by itself (a 302 that sets the cookies); other users,
   * and admin elsewhere (Docker runtime), post the login form.
   */
  async login(user = 'admin', password = 'password'): Promise<this> {
    // A fresh site sometimes answers the very first login with cookies that
    // admin-ajax does not accept yet: start over a few times before failing.
    let lastError: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        return await this.#login(user, password);
      } catch (error) {
        lastError = error;
        this.cookies.clear();
        this.nonce = null;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
    throw lastError;
  }

  async #login(user: string, password: string): Promise<this> {
    if (user === 'admin') await (await this.request('/')).arrayBuffer();
    // Any other user: keep Playground from logging this client in as admin.
    else this.cookies.set('playground_auto_login_already_happened', '1');
    if (!this.loggedIn) {
      this.cookies.set('wordpress_test_cookie', 'WP%20Cookie%20check');
      const form = new URLSearchParams({ log: user, pwd: password, 'wp-submit': 'Log In', redirect_to: `${this.siteUrl}/wp-admin/`, testcookie: '1' });
      await (await this.request('/wp-login.php', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      })).arrayBuffer();
    }
    if (!this.loggedIn) throw new Error(`could not log in to ${this.siteUrl} as ${user}`);
    const response = await this.request('/wp-admin/admin-ajax.php?action=rest-nonce');
    const nonce = (await response.text()).trim();
    if (response.status !== 200 || !/^[0-9a-f]{6,}$/.test(nonce)) {
      throw new Error(`no REST nonce from ${this.siteUrl} for ${user} (${response.status}: ${nonce.slice(0, 200)}; cookies: ${[...this.cookies.keys()].join(', ')})`);
    }
    this.nonce = nonce;
    return this;
  }

  /** A REST call: `route` like "/wp/v2/plugins". The body is parsed JSON (or the text when it is not JSON). */
  async rest<T = any>(route: string, { method = 'GET', body, nonce = true, timeoutMs }: RestOptions = {}): Promise<{ status: number; body: T }> {
    const [path = '', query] = route.split('?');
    const url = `/?rest_route=${encodeURIComponent(path).replace(/%2F/g, '/')}${query ? `&${query}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (nonce && this.nonce) headers['x-wp-nonce'] = this.nonce;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: false, timeoutMs });
    const text = await response.text();
    let parsed: unknown;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
    return { status: response.status, body: parsed as T };
  }
}
