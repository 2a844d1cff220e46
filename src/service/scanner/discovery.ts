/**
 * Which pages a scan visits: the site-domain rule, include/exclude patterns,
 * URL normalisation, and the sitemaps (`/wp-sitemap.xml`, `/sitemap.xml`,
 * sitemap indexes followed), fetched from Node through the same private-address
 * guard as webhooks.
 */
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { guardedLookup, isPrivateAddress, refuseLiteralPrivateHost } from '../delivery/address-guard.ts';

/** Whether a host is the site's domain or one of its subdomains. */
export function onSiteDomain(host: string, siteDomain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const d = siteDomain.toLowerCase().replace(/^\.+|\.$/g, '');
  return h === d || h.endsWith('.' + d);
}

/** Files that are not pages (a link to them is not followed). */
const NOT_A_PAGE = /\.(?:pdf|zip|gz|tgz|rar|7z|jpe?g|png|gif|webp|avif|svg|ico|bmp|tiff?|mp[34]|m4a|webm|ogg|wav|avi|mov|css|js|mjs|json|xml|txt|csv|xlsx?|docx?|pptx?|woff2?|ttf|eot|exe|dmg|apk)$/i;
/** WordPress's own screens and endpoints, never content a visitor sees first. */
const NOT_CONTENT = /^\/(?:wp-admin\/|wp-login\.php|wp-json\/|xmlrpc\.php|wp-cron\.php|feed\/?$|.*\/feed\/?$)/;

/** A crawlable page URL on the site (no fragment), or null. */
export function pageUrl(href: string, base: string, siteDomain: string): string | null {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!onSiteDomain(url.hostname, siteDomain)) return null;
  if (NOT_A_PAGE.test(url.pathname) || NOT_CONTENT.test(url.pathname)) return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  return url.href;
}

/**
 * Include/exclude over the URL's path: a pattern with `*` is a glob matched
 * against the whole path (`*` matches any characters, `/` included); any other
 * pattern matches when the path contains it. No include patterns: every path
 * is included. Exclude wins.
 */
export function pathAllowed(url: string, include: string[], exclude: string[]): boolean {
  const path = new URL(url).pathname;
  const matches = (pattern: string) => {
    if (!pattern.includes('*')) return path.includes(pattern);
    const body = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return new RegExp(`^${body}$`).test(path);
  };
  if (exclude.some(matches)) return false;
  return include.length === 0 || include.some(matches);
}

export type HostCheck = { ok: true } | { ok: false; reason: 'blocked' | 'unreachable'; message: string };

/**
 * Whether a page's host may be fetched: it resolves, and (without
 * allowPrivate) to public addresses only. The browser resolves names itself;
 * this check runs before each host's first page.
 */
export async function checkHost(url: string, allowPrivate: boolean): Promise<HostCheck> {
  const { hostname } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  try {
    refuseLiteralPrivateHost(new URL(url), allowPrivate);
  } catch (error) {
    return { ok: false, reason: 'blocked', message: `${(error as Error).message}; private addresses are scanned only with CONSENTRY_SCAN_ALLOW_PRIVATE=1` };
  }
  if (isIP(host)) return { ok: true };
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(host, { all: true });
  } catch (error) {
    return { ok: false, reason: 'unreachable', message: `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
  if (refused) {
    return { ok: false, reason: 'blocked', message: `${host} resolves to ${refused.address}, a private address; private addresses are scanned only with CONSENTRY_SCAN_ALLOW_PRIVATE=1` };
  }
  return { ok: true };
}

/** GET over Node's http(s) with the address guard; the body as text, or null on any failure or non-2xx. */
export function fetchText(url: string, options: { allowPrivate: boolean; userAgent: string; timeoutMs: number; maxBytes?: number; signal?: AbortSignal }): Promise<string | null> {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
      refuseLiteralPrivateHost(target, options.allowPrivate);
    } catch {
      return resolve(null);
    }
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(target, {
      method: 'GET',
      headers: { 'user-agent': options.userAgent, accept: 'application/xml,text/xml,text/html;q=0.9,*/*;q=0.5' },
      lookup: guardedLookup(options.allowPrivate) as never,
      timeout: options.timeoutMs,
      signal: options.signal,
    }, (res: IncomingMessage) => {
      if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) {
        res.resume();
        return resolve(null);
      }
      let size = 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) req.destroy();
        else chunks.push(c);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', () => resolve(null));
      res.on('close', () => resolve(size > maxBytes ? null : Buffer.concat(chunks).toString('utf8')));
    });
    const timer = setTimeout(() => req.destroy(), options.timeoutMs);
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.on('close', () => clearTimeout(timer));
    req.end();
  });
}

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, isArray: (name) => name === 'url' || name === 'sitemap' });

/** The page URLs and the nested sitemap URLs of one sitemap document. */
export function parseSitemap(xml: string): { pages: string[]; sitemaps: string[] } {
  let doc: { urlset?: { url?: Array<{ loc?: unknown }> }; sitemapindex?: { sitemap?: Array<{ loc?: unknown }> } };
  try {
    doc = parser.parse(xml);
  } catch {
    return { pages: [], sitemaps: [] };
  }
  const locs = (list: Array<{ loc?: unknown }> | undefined) =>
    (list ?? []).map((e) => (typeof e?.loc === 'string' ? e.loc.trim() : '')).filter(Boolean);
  return { pages: locs(doc?.urlset?.url), sitemaps: locs(doc?.sitemapindex?.sitemap) };
}

/**
 * Page URLs from the site's sitemaps, in their order: `/wp-sitemap.xml` then
 * `/sitemap.xml` at the start URL's origin, following sitemap indexes (at most
 * `maxSitemaps` documents), until `limit` pages are found.
 */
export async function sitemapPages(
  startUrl: string,
  siteDomain: string,
  limit: number,
  fetch: (url: string) => Promise<string | null>,
  maxSitemaps = 20,
): Promise<string[]> {
  const origin = new URL(startUrl).origin;
  const queue = [`${origin}/wp-sitemap.xml`, `${origin}/sitemap.xml`];
  const seen = new Set<string>(queue);
  const pages: string[] = [];
  const found = new Set<string>();
  let fetched = 0;
  while (queue.length && pages.length < limit && fetched < maxSitemaps) {
    const xml = await fetch(queue.shift()!);
    fetched++;
    if (!xml) continue;
    const { pages: urls, sitemaps } = parseSitemap(xml);
    for (const s of sitemaps) {
      let next: URL;
      try {
        next = new URL(s, origin);
      } catch {
        continue;
      }
      if (onSiteDomain(next.hostname, siteDomain) && !seen.has(next.href)) {
        seen.add(next.href);
        queue.push(next.href);
      }
    }
    for (const u of urls) {
      const page = pageUrl(u, origin, siteDomain);
      if (page && !found.has(page) && pages.length < limit) {
        found.add(page);
        pages.push(page);
      }
    }
  }
  return pages;
}

/** Links of an HTML document, found without a browser (pages skipped on resume still lead to their links). */
export function linksOfHtml(html: string, base: string, siteDomain: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const href = (m[1] ?? m[2] ?? m[3] ?? '').replace(/&amp;/g, '&');
    const page = pageUrl(href, base, siteDomain);
    if (page) out.add(page);
  }
  return [...out];
}
