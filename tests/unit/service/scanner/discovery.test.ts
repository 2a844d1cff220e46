/** The scanner's pure rules: which URLs are pages of the site, include/exclude, sitemaps, Set-Cookie lines. */
import { describe, expect, it } from 'vitest';
import { linksOfHtml, onSiteDomain, pageUrl, parseSitemap, pathAllowed, sitemapPages } from '../../../../src/service/scanner/discovery.ts';
import { parseSetCookie } from '../../../../src/service/scanner/page-pass.ts';

describe('pages of the site', () => {
  it('takes the site domain and its subdomains on any port, and nothing else', () => {
    expect(onSiteDomain('example.com', 'example.com')).toBe(true);
    expect(onSiteDomain('shop.Example.com', 'example.com')).toBe(true);
    expect(onSiteDomain('badexample.com', 'example.com')).toBe(false);
    expect(onSiteDomain('example.com.evil.net', 'example.com')).toBe(false);
    expect(pageUrl('https://blog.example.com:8443/a?b=1#top', 'https://example.com/', 'example.com')).toBe('https://blog.example.com:8443/a?b=1');
    expect(pageUrl('/files/x.pdf', 'https://example.com/', 'example.com')).toBeNull();
    expect(pageUrl('/wp-admin/', 'https://example.com/', 'example.com')).toBeNull();
    expect(pageUrl('mailto:a@example.com', 'https://example.com/', 'example.com')).toBeNull();
    expect(pageUrl('https://other.net/', 'https://example.com/', 'example.com')).toBeNull();
  });

  it('matches include/exclude on the path: globs with *, substrings otherwise; exclude wins', () => {
    expect(pathAllowed('https://e.com/blog/2024/post', ['/blog/*'], [])).toBe(true);
    expect(pathAllowed('https://e.com/shop/cart', ['/blog/*'], [])).toBe(false);
    expect(pathAllowed('https://e.com/shop/cart', [], ['cart'])).toBe(false);
    expect(pathAllowed('https://e.com/blog/x', ['/blog/*'], ['/blog/x'])).toBe(false);
    expect(pathAllowed('https://e.com/a.b', ['/a.b'], [])).toBe(true);
    expect(pathAllowed('https://e.com/axb', ['/a.*'], [])).toBe(false);
  });

  it('reads sitemaps and sitemap indexes, within the limit, and links of plain HTML', async () => {
    expect(parseSitemap('<urlset><url><loc> https://e.com/a </loc></url></urlset>')).toEqual({ pages: ['https://e.com/a'], sitemaps: [] });
    expect(parseSitemap('not xml <')).toEqual({ pages: [], sitemaps: [] });
    const docs: Record<string, string> = {
      'https://e.com/wp-sitemap.xml': '<sitemapindex><sitemap><loc>https://e.com/s1.xml</loc></sitemap><sitemap><loc>https://evil.net/s.xml</loc></sitemap></sitemapindex>',
      'https://e.com/s1.xml': '<urlset><url><loc>https://e.com/a</loc></url><url><loc>https://e.com/b</loc></url><url><loc>https://evil.net/c</loc></url></urlset>',
      'https://e.com/sitemap.xml': '<urlset><url><loc>https://e.com/a</loc></url><url><loc>https://e.com/d</loc></url></urlset>',
    };
    const asked: string[] = [];
    const fetch = async (url: string) => (asked.push(url), docs[url] ?? null);
    expect(await sitemapPages('https://e.com/', 'e.com', 10, fetch)).toEqual(['https://e.com/a', 'https://e.com/d', 'https://e.com/b']);
    expect(asked).not.toContain('https://evil.net/s.xml');
    expect(await sitemapPages('https://e.com/', 'e.com', 1, fetch)).toEqual(['https://e.com/a']);
    expect(linksOfHtml(`<a href="/x">x</a><A class=a HREF='/y?a=1&amp;b=2'>y</A><a href=https://other.net/>o</a>`, 'https://e.com/p', 'e.com'))
      .toEqual(['https://e.com/x', 'https://e.com/y?a=1&b=2']);
  });
});

describe('Set-Cookie lines', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('keeps the name and attributes, never the value', () => {
    const item = parseSetCookie('sid=secret; Domain=.Example.com; Path=/app; Max-Age=3600; Secure; HttpOnly; SameSite=none', 'www.example.com', 'before', now);
    expect(item).toEqual({ kind: 'cookie', name: 'sid', domain: '.example.com', pass: 'before', attributes: { httpOnly: true, secure: true, path: '/app', sameSite: 'None', expiresInSeconds: 3600 } });
    expect(JSON.stringify(item)).not.toContain('secret');
  });

  it('takes the request host for host-only cookies, Expires for the lifetime, null for session cookies', () => {
    expect(parseSetCookie('a=1; Expires=Thu, 01 Jan 2026 01:00:00 GMT', 'e.com', 'accept', now)).toMatchObject({ domain: 'e.com', attributes: { expiresInSeconds: 3600 } });
    expect(parseSetCookie('a=1', 'e.com', 'accept', now)).toMatchObject({ attributes: { expiresInSeconds: null, httpOnly: false } });
  });

  it('drops deletions and lines without a name', () => {
    expect(parseSetCookie('a=; Max-Age=0', 'e.com', 'reject', now)).toBeNull();
    expect(parseSetCookie('a=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'e.com', 'reject', now)).toBeNull();
    expect(parseSetCookie('=x', 'e.com', 'reject', now)).toBeNull();
    expect(parseSetCookie('novalue', 'e.com', 'reject', now)).toBeNull();
  });
});
