/** Which category a script or iframe URL belongs to, and which cookies a revoked category leaves behind. */
import type { BannerCategory, WpConsentCategory } from './config.ts';

/**
 * Well-known trackers: URL substring, then its kind in the WP Consent API
 * vocabulary (s = statistics, m = marketing). Kept as one string to stay small.
 */
export const TRACKERS =
  'googletagmanager.com s|google-analytics.com s|static.hotjar.com s|script.hotjar.com s|clarity.ms s|mc.yandex.ru s|' +
  'connect.facebook.net m|doubleclick.net m|googleadservices.com m|googlesyndication.com m|snap.licdn.com m|' +
  'analytics.tiktok.com m|static.ads-twitter.com m|bat.bing.com m|youtube.com/embed m|youtube-nocookie.com/embed m|player.vimeo.com m';

const KINDS: Record<string, WpConsentCategory> = { s: 'statistics', m: 'marketing' };
const FALLBACK_KEY: Record<string, string> = { statistics: 'analytics', marketing: 'marketing' };

/** The site category key for a WP Consent API kind: by mapping, else the seeded key. */
function keyForKind(categories: BannerCategory[], kind: WpConsentCategory): string {
  const c = categories.find((c) => !c.isRequired && (c.wpConsentCategory === kind || (kind === 'statistics' && c.wpConsentCategory === 'statistics-anonymous')));
  return c ? c.key : FALLBACK_KEY[kind]!;
}

/**
 * A matcher from URL to category key: an admin pattern (case-insensitive
 * substring of `categories[].blockPatterns`) wins over the built-in list.
 * A pattern under a required category lets its URLs through, e.g.
 * `googletagmanager.com` there keeps Tag Manager loading for Consent Mode's
 * advanced setup (its tags then obey the Consent Mode state).
 */
export function urlMatcher(categories: BannerCategory[]): (url: string) => string | undefined {
  const rules: Array<[string, string]> = [];
  for (const c of categories) for (const p of c.blockPatterns || []) if (p) rules.push([p.toLowerCase(), c.isRequired ? '' : c.key]);
  for (const t of TRACKERS.split('|')) {
    const [p, k] = t.split(' ') as [string, string];
    rules.push([p, keyForKind(categories, KINDS[k]!)]);
  }
  return (url) => {
    const u = url.toLowerCase();
    for (const [p, key] of rules) if (u.includes(p)) return key || undefined;
    return undefined;
  };
}

/** A cookie name matches a listed name, or a prefix when the entry ends with `*`. */
export function cookieMatches(name: string, pattern: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/** Names of the cookies in a `document.cookie` string. */
export function cookieNames(cookies: string): string[] {
  return cookies.split(';').map((p) => p.split('=')[0]!.trim()).filter(Boolean);
}

/**
 * Domains a cookie may have been set on, seen from this host: the host
 * itself (no domain attribute) and every parent domain, `.example.com`
 * included (where analytics scripts put `_ga_*`). IP addresses and
 * single-label hosts have no parents.
 */
export function deletionDomains(hostname: string): string[] {
  const out = [''];
  if (/^[\d.]+$|:/.test(hostname) || !hostname.includes('.')) return out;
  const labels = hostname.split('.');
  for (let i = 0; i < labels.length - 1; i++) out.push('.' + labels.slice(i).join('.'));
  return out;
}

/** `document.cookie` assignments that delete every cookie of the revoked categories. */
export function deletionCookies(cookies: string, patterns: string[], hostname: string): string[] {
  const out: string[] = [];
  for (const name of cookieNames(cookies)) {
    if (!patterns.some((p) => cookieMatches(name, p))) continue;
    for (const d of deletionDomains(hostname)) out.push(`${name}=;path=/;max-age=0${d ? ';domain=' + d : ''}`);
  }
  return out;
}
