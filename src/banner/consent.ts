/** The consent rules, free of the DOM so that they can be tested alone. */
import {
  CONSENT_COOKIE,
  DEFAULT_LIFETIME_DAYS,
  DEFAULT_POLICY_VERSION,
  type BannerCategory,
  type BannerSiteConfig,
  type ConsentAction,
  type ConsentChoices,
  type WpConsentCategory,
} from './config.ts';

/** The consent cookie's JSON: id, policy version, Unix seconds, choice per key (1/0). */
export interface StoredConsent {
  id: string;
  v: string;
  t: number;
  c: Record<string, 0 | 1>;
}

const DAY = 86400;

/**
 * A map keyed by category key, without a prototype: `__proto__` stays an ordinary key there (on `{}` setting
 * it is ignored and reading it finds Object.prototype, which is truthy), and `constructor` reads nothing.
 */
export const keyMap = <T>(): Record<string, T> => Object.create(null);

/** Value of one cookie in a `document.cookie` string, or null. */
export function readCookie(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The stored consent, or null when the cookie is absent or not ours. */
export function parseConsent(cookies: string): StoredConsent | null {
  const raw = readCookie(cookies, CONSENT_COOKIE);
  if (!raw) return null;
  try {
    const s = JSON.parse(decodeURIComponent(raw)) as StoredConsent;
    return s && typeof s.id === 'string' && typeof s.v === 'string' && typeof s.t === 'number' && s.c && typeof s.c === 'object' ? s : null;
  } catch {
    return null;
  }
}

/** A stored consent still holds while the policy version is unchanged and its lifetime has not run out. */
export function isValid(s: StoredConsent | null, config: BannerSiteConfig, now: number): s is StoredConsent {
  return !!s && s.v === (config.policyVersion || DEFAULT_POLICY_VERSION) && now >= s.t && now - s.t < lifetime(config);
}

/** Consent lifetime in seconds. */
export const lifetime = (config: BannerSiteConfig): number => (config.consentLifetimeDays || DEFAULT_LIFETIME_DAYS) * DAY;

/** The `document.cookie` assignment that stores a choice. */
export function serializeConsent(s: StoredConsent, config: BannerSiteConfig, secure: boolean): string {
  return `${CONSENT_COOKIE}=${encodeURIComponent(JSON.stringify(s))};path=/;max-age=${lifetime(config)};SameSite=Lax` +
    (config.cookieDomain ? `;domain=${config.cookieDomain}` : '') + (secure ? ';Secure' : '');
}

/** Choices held by a stored consent: required categories always on, unknown ones off. */
export function storedChoices(s: StoredConsent | null, categories: BannerCategory[]): ConsentChoices {
  const out = keyMap<boolean>();
  for (const c of categories) out[c.key] = c.isRequired || s?.c[c.key] === 1;
  return out;
}

export function toStored(id: string, config: BannerSiteConfig, choices: ConsentChoices, now: number): StoredConsent {
  const c = keyMap<0 | 1>();
  for (const k in choices) c[k] = choices[k] ? 1 : 0;
  return { id, v: config.policyVersion || DEFAULT_POLICY_VERSION, t: now, c };
}

/** Marketing under the WP Consent API vocabulary is what Global Privacy Control refuses. */
export const isMarketing = (c: BannerCategory): boolean => c.wpConsentCategory === 'marketing';

/**
 * Accept all: every category, except that with Global Privacy Control on a
 * marketing category stays off unless the visitor already turned it on.
 */
export function acceptAll(categories: BannerCategory[], gpc: boolean, previous: ConsentChoices | null): ConsentChoices {
  const out = keyMap<boolean>();
  for (const c of categories) out[c.key] = c.isRequired || !gpc || !isMarketing(c) || previous?.[c.key] === true;
  return out;
}

/** Reject all: required categories only. */
export function rejectAll(categories: BannerCategory[]): ConsentChoices {
  return normalize(categories, {});
}

/** A choice from switches: required forced on, missing keys off. */
export function normalize(categories: BannerCategory[], picked: ConsentChoices): ConsentChoices {
  const out = keyMap<boolean>();
  for (const c of categories) out[c.key] = c.isRequired || picked[c.key] === true;
  return out;
}

/** What the preference centre's switches start at: the valid choice, else nothing optional ticked. */
export function initialSwitches(categories: BannerCategory[], current: ConsentChoices | null): ConsentChoices {
  return normalize(categories, current || {});
}

/**
 * The action a choice records: `withdraw` when it takes back a category the
 * visitor had granted; otherwise by what it grants.
 */
export function actionFor(categories: BannerCategory[], previous: ConsentChoices | null, next: ConsentChoices, button: 'accept' | 'reject' | 'save'): ConsentAction {
  const optional = categories.filter((c) => !c.isRequired);
  if (previous && optional.some((c) => previous[c.key] && !next[c.key])) return 'withdraw';
  if (button === 'accept') return 'accept_all';
  if (button === 'reject') return 'reject_all';
  const on = optional.filter((c) => next[c.key]).length;
  return on === optional.length && on ? 'accept_all' : on ? 'custom' : 'reject_all';
}

/** Keys whose choice differs. */
export function changedKeys(a: ConsentChoices | null, b: ConsentChoices): string[] {
  return Object.keys(b).filter((k) => !!a?.[k] !== b[k]);
}

export const CONSENT_MODE_TYPES = [
  'ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage',
  'functionality_storage', 'personalization_storage', 'security_storage',
] as const;
export type ConsentModeType = (typeof CONSENT_MODE_TYPES)[number];
export type ConsentModeState = Record<ConsentModeType, 'granted' | 'denied'>;

/** Google Consent Mode types a category stands for: by its key first, else by its WP Consent API category. */
export function consentModeTypes(c: BannerCategory): ConsentModeType[] {
  if (c.isRequired || c.key === 'necessary') return ['functionality_storage', 'security_storage'];
  const kind = /^(analytics|statistics)/.test(c.key) ? 'statistics' : /^(marketing|advertising|ads)$/.test(c.key) ? 'marketing' : c.wpConsentCategory;
  switch (kind) {
    case 'statistics':
    case 'statistics-anonymous':
      return ['analytics_storage'];
    case 'marketing':
      return ['ad_storage', 'ad_user_data', 'ad_personalization'];
    case 'preferences':
      return ['functionality_storage', 'personalization_storage'];
    default:
      return ['functionality_storage'];
  }
}

/** Consent Mode state for a choice; `null` choices (no decision yet) deny everything. */
export function consentModeState(categories: BannerCategory[], choices: ConsentChoices | null): ConsentModeState {
  const out = {} as ConsentModeState;
  for (const t of CONSENT_MODE_TYPES) out[t] = 'denied';
  if (choices) {
    out.functionality_storage = out.security_storage = 'granted';
    for (const c of categories) if (choices[c.key]) for (const t of consentModeTypes(c)) out[t] = 'granted';
  }
  return out;
}

export const WP_CATEGORIES: WpConsentCategory[] = ['functional', 'preferences', 'statistics', 'statistics-anonymous', 'marketing'];

/** WP Consent API state: a WP category is allowed when a granted site category maps to it; functional always. */
export function wpConsentState(categories: BannerCategory[], choices: ConsentChoices): Record<WpConsentCategory, 'allow' | 'deny'> {
  const on = new Set<string>(['functional']);
  for (const c of categories) if (choices[c.key]) on.add(c.wpConsentCategory);
  if (on.has('statistics')) on.add('statistics-anonymous');
  const out = {} as Record<WpConsentCategory, 'allow' | 'deny'>;
  for (const w of WP_CATEGORIES) out[w] = on.has(w) ? 'allow' : 'deny';
  return out;
}

/** A random id for the consent and the session: 128 bits as 32 hex digits. */
export function randomId(): string {
  let s = '';
  for (const x of crypto.getRandomValues(new Uint8Array(16))) s += (x | 256).toString(16).slice(1);
  return s;
}
