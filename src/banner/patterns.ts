/** Which category a script or iframe URL belongs to, and which cookies a revoked category leaves behind. */
import type { BannerCategory } from './config.ts';
// The built-in trackers, generated from the shared catalogue (src/shared/trackers.ts).
import { KINDS, TRACKERS } from './trackers.ts';

/** The site category key for a tracker kind: the category mapped to its WP Consent API category, else the seeded key. */
function keyForKind(categories: BannerCategory[], [kind, seeded]: [string, string]): string {
  const c = categories.find((c) => !c.isRequired && (c.wpConsentCategory === kind || (kind === 'statistics' && c.wpConsentCategory === 'statistics-anonymous')));
  return c ? c.key : seeded;
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
