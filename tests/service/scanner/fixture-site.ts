/**
 * A small web site for scanner tests and the scan bench, served on loopback:
 * the site on 127.0.0.1 (site domain "127.0.0.1", any port) and a "third
 * party" on 127.0.0.2, outside the site's domain.
 *
 * Pages (each listed in EXPECTED below with what a scan must find there):
 * - `/`            HttpOnly session cookie from the server; links to every page below
 * - `/cookies`     a server cookie (HttpOnly, 1 day) and a script cookie (1 hour)
 * - `/storage`     localStorage and sessionStorage keys, an IndexedDB database
 * - `/third-party` a script, an image (which sets a cookie on 127.0.0.2) and an iframe from the third party whose page
 *                  keeps local and session storage keys and an IndexedDB database of its own origin
 * - `/tracker`     `_ga` set by a script before any choice: a violation
 * - `/slow`        never answers
 * - `/loop/a` ↔ `/loop/b`  a link loop (b links back to a and to /)
 * - `/banner`      Consentry's real built banner (plugin/build/banner), config with an analytics category; a script
 *                  blocked until consent sets `_gid`, and on reload the server sets the HttpOnly `fixture_analytics`
 *                  when the consent cookie grants analytics (server-side blocking)
 * - `/sitemap-only` reachable only through the sitemap
 * - `/wp-sitemap.xml` a sitemap index → `/wp-sitemap-posts-page-1.xml` (/sitemap-only, /cookies, and `/gen/<n>`)
 * - `/gen/<n>`     `generatedPages` extra pages (the bench): banner, a script cookie, a local storage key
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ScanPass, StorageKind } from '../../../src/shared/enums.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SITE_HOST = '127.0.0.1';
const THIRD_PARTY_HOST = '127.0.0.2';

export interface FixtureSiteOptions {
  /** Extra pages `/gen/1` … `/gen/<n>`, listed in the sitemap (default 0). */
  generatedPages?: number;
  /** Whether `/` links to the generated pages too (default false: the sitemap only). */
  linkGenerated?: boolean;
}

export interface FixtureSite {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.2:<port>` */
  thirdPartyOrigin: string;
  /** The site's domain for ScanOptions.siteDomain. */
  siteDomain: string;
  thirdPartyHost: string;
  url(path: string): string;
  /** Paths requested so far, in order (site and third party, with the host). */
  requests: string[];
  close(): Promise<void>;
}

/** What a scan of the fixture must find: page path → pass → items (kind:name) present in that pass. */
export const EXPECTED: Record<string, Partial<Record<ScanPass, Array<`${StorageKind}:${string}`>>>> = {
  '/': { before: ['cookie:fixture_session'] },
  '/cookies': { before: ['cookie:fixture_server', 'cookie:fixture_pref'] },
  '/third-party': { before: ['cookie:widget_id', 'localStorage:widget_seen', 'sessionStorage:widget_tab', 'indexedDB:widget_db'] },
  '/storage': { before: ['localStorage:fixture_local', 'sessionStorage:fixture_tab', 'indexedDB:fixture_db'] },
  '/tracker': { before: ['cookie:_ga'] },
  '/banner': {
    before: ['sessionStorage:consentry_sid'],
    accept: ['cookie:consentry_consent', 'cookie:_gid', 'cookie:fixture_analytics'],
    reject: ['cookie:consentry_consent'],
  },
};
/** Items a pass must NOT hold (blocked until consent). */
export const NOT_EXPECTED: Record<string, Partial<Record<ScanPass, string[]>>> = {
  '/banner': { before: ['cookie:_gid', 'cookie:fixture_analytics', 'cookie:consentry_consent'], reject: ['cookie:_gid', 'cookie:fixture_analytics'] },
};

const category = (key: string, extra: Record<string, unknown> = {}) => ({
  key, nameEn: key[0]!.toUpperCase() + key.slice(1), descriptionEn: `What ${key} cookies do.`, translations: {},
  isRequired: key === 'necessary', isDefault: key === 'necessary', sortOrder: 0, cookies: [], blockPatterns: [],
  wpConsentCategory: key === 'necessary' ? 'functional' : key === 'analytics' ? 'statistics' : 'marketing', ...extra,
});

const BOOT_CONFIG = {
  siteId: 'site_fixture', publicKey: 'pk_fixture',
  config: { policyVersion: '1', consentLifetimeDays: 182 },
  categories: [
    category('necessary'),
    category('analytics', { sortOrder: 1, cookies: ['_gid', '_ga', '_ga_*'] }),
    category('marketing', { sortOrder: 2 }),
  ],
  endpoints: { consent: '/wp-json/consentry/v1/consent', heartbeat: '/wp-json/consentry/v1/heartbeat' },
};

/** The built banner, as the plugin ships it (built first when missing). */
function bannerFiles(): { head: string; banner: string } {
  const dir = `${root}plugin/build/banner/`;
  if (!existsSync(`${dir}banner.js`) || !existsSync(`${dir}head.js`)) {
    execFileSync(process.execPath, ['scripts/build/build.ts', 'banner'], { cwd: root, stdio: 'inherit' });
  }
  return { head: readFileSync(`${dir}head.js`, 'utf8'), banner: readFileSync(`${dir}banner.js`, 'utf8') };
}

const page = (title: string, body: string, head = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body><h1>${title}</h1>${body}</body></html>`;

/** Whether the visitor's consent cookie grants a category (as a server-side blocker reads it). */
function granted(req: IncomingMessage, key: string): boolean {
  const raw = /(?:^|;\s*)consentry_consent=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
  if (!raw) return false;
  try {
    return JSON.parse(decodeURIComponent(raw))?.c?.[key] === 1;
  } catch {
    return false;
  }
}

export async function startFixtureSite(options: FixtureSiteOptions = {}): Promise<FixtureSite> {
  const generated = options.generatedPages ?? 0;
  const { head, banner } = bannerFiles();
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let origin = '';
  let thirdPartyOrigin = '';

  const bannerHead = () =>
    `<script id="consentry-config" type="application/json">${JSON.stringify(BOOT_CONFIG)}</script><script>${head}</script><script src="/banner.js" defer></script>`;
  const genLinks = () => (options.linkGenerated ? Array.from({ length: generated }, (_, i) => `<a href="/gen/${i + 1}">gen ${i + 1}</a>`).join(' ') : '');

  const site = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(`${SITE_HOST}${path}`);
    const send = (status: number, type: string, text: string, headers: Record<string, string | string[]> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(text);
    };
    const html = (text: string, headers: Record<string, string | string[]> = {}) => send(200, 'text/html; charset=utf-8', text, headers);
    switch (path) {
      case '/':
        return html(page('Fixture home', `<nav>
          <a href="/cookies">Cookies</a> <a href="/storage">Storage</a> <a href="/third-party">Third party</a>
          <a href="/tracker">Tracker</a> <a href="/slow">Slow</a> <a href="/loop/a">Loop</a> <a href="/banner#top">Banner</a>
          <a href="http://${THIRD_PARTY_HOST}:1/elsewhere">Elsewhere</a> <a href="/files/report.pdf">PDF</a> <a href="mailto:a@b.c">Mail</a>
          ${genLinks()}</nav>`), { 'set-cookie': 'fixture_session=s1; Path=/; HttpOnly; SameSite=Lax' });
      case '/cookies':
        return html(page('Cookies', `<script>document.cookie = 'fixture_pref=dark; max-age=3600; path=/';</script><a href="/">Home</a>`),
          { 'set-cookie': ['fixture_server=v; Path=/; Max-Age=86400; HttpOnly; SameSite=Strict', 'fixture_gone=x; Path=/; Max-Age=0'] });
      case '/storage':
        return html(page('Storage', `<script>
          localStorage.setItem('fixture_local', 'v'); sessionStorage.setItem('fixture_tab', 'v');
          const open = indexedDB.open('fixture_db', 1); open.onupgradeneeded = () => open.result.createObjectStore('things');
          open.onsuccess = () => { document.title = 'Storage ready'; };
        </script>`));
      case '/third-party':
        return html(page('Third party', `<script src="${thirdPartyOrigin}/widget.js"></script>
          <img src="${thirdPartyOrigin}/pixel.gif" alt=""><iframe src="${thirdPartyOrigin}/frame.html" title="frame"></iframe>`));
      case '/tracker':
        return html(page('Tracker', `<script>document.cookie = '_ga=GA1.1.123.456; max-age=63072000; path=/';</script>`));
      case '/slow':
        return; // never answers (the socket is closed by close())
      case '/loop/a':
        return html(page('Loop A', '<a href="/loop/b">B</a>'));
      case '/loop/b':
        return html(page('Loop B', '<a href="/loop/a">A</a> <a href="/">Home</a> <a href="/loop/b">self</a>'));
      case '/banner':
        return html(page('Banner', `<a href="#" data-consentry-open>Cookie settings</a>
          <script type="text/plain" data-category="analytics">document.cookie = '_gid=GA1.1.789; max-age=86400; path=/';</script>`, bannerHead()),
          granted(req, 'analytics') ? { 'set-cookie': 'fixture_analytics=1; Path=/; Max-Age=3600; HttpOnly' } : {});
      case '/sitemap-only':
        return html(page('Only in the sitemap', '<p>Found through wp-sitemap.xml.</p>'));
      case '/banner.js':
        return send(200, 'text/javascript', banner);
      case '/wp-sitemap.xml':
        return send(200, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${origin}/wp-sitemap-posts-page-1.xml</loc></sitemap></sitemapindex>`);
      case '/wp-sitemap-posts-page-1.xml': {
        const urls = ['/sitemap-only', '/cookies', ...Array.from({ length: generated }, (_, i) => `/gen/${i + 1}`)];
        return send(200, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.map((u) => `<url><loc>${origin}${u}</loc></url>`).join('')}</urlset>`);
      }
    }
    if (path.startsWith('/wp-json/consentry/v1/')) return send(201, 'application/json', '{"success":true}');
    const gen = /^\/gen\/(\d+)$/.exec(path);
    if (gen && Number(gen[1]) >= 1 && Number(gen[1]) <= generated) {
      return html(page(`Generated ${gen[1]}`, `<p>${'Some text. '.repeat(50)}</p><a href="/">Home</a>
        <script>document.cookie = 'gen_visit=${gen[1]}; max-age=600; path=/'; localStorage.setItem('gen_seen', '1');</script>
        <script type="text/plain" data-category="analytics">document.cookie = '_gid=GA1.1.789; max-age=86400; path=/';</script>`, bannerHead()));
    }
    send(404, 'text/html', page('Not found', ''));
  };

  const thirdParty = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(`${THIRD_PARTY_HOST}${path}`);
    if (path === '/widget.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end("document.cookie = 'widget_id=w1; max-age=600; path=/';");
    }
    if (path === '/pixel.gif') {
      res.writeHead(200, { 'content-type': 'image/gif', 'set-cookie': 'tp_uid=u1; Path=/; Max-Age=600; SameSite=Lax' });
      return res.end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
    }
    if (path === '/frame.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      // The embed keeps storage of its own origin, which the page's own script cannot see.
      return res.end(`<!doctype html><title>frame</title><p>embedded</p><script>
        localStorage.setItem('widget_seen', '1'); sessionStorage.setItem('widget_tab', '1'); indexedDB.open('widget_db');
      </script>`);
    }
    res.writeHead(404).end();
  };

  const listen = async (handler: typeof site, host: string) => {
    const server = createServer(handler);
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return server;
  };
  const servers: Server[] = [await listen(site, SITE_HOST), await listen(thirdParty, THIRD_PARTY_HOST)];
  origin = `http://${SITE_HOST}:${(servers[0]!.address() as AddressInfo).port}`;
  thirdPartyOrigin = `http://${THIRD_PARTY_HOST}:${(servers[1]!.address() as AddressInfo).port}`;

  return {
    origin,
    thirdPartyOrigin,
    siteDomain: SITE_HOST,
    thirdPartyHost: THIRD_PARTY_HOST,
    url: (path) => origin + path,
    requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
