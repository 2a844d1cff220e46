/**
 * Classification of what a scan found: which of the site's categories each
 * cookie, storage key, IndexedDB database and third-party host belongs to.
 * Pure: no store, no HTTP, no browser; the same inputs give the same answer.
 *
 * The first that knows an item decides:
 * 1. the site's overrides: its inventory entries a person gave a category,
 *    then the cookie lists of its categories (what the banner deletes when a
 *    category is refused), both source `override`;
 * 2. Consentry's own storage (with the WP Consent API cookies its banner
 *    writes) and WordPress's own cookies: necessary;
 * 3. the cookies of the tracker catalogue (src/shared/trackers.ts): curated
 *    here, so they win where the database calls a tracker's cookie
 *    "Functional" (Hotjar's `_hjSession_*`);
 * 4. the Open Cookie Database by exact name, then by its longest wildcard
 *    prefix.
 * Hosts are classified by the tracker catalogue alone. Anything else is
 * unclassified (categoryKey null, source null) until a person classifies it.
 */
import type { Category, ClassificationSource, StorageKind, WpConsentCategory } from '#shared/consent.ts';
import { TRACKERS, type Tracker } from '#shared/trackers.ts';
import { OCD_CATEGORIES, OCD_PROVIDERS, OCD_ROWS, type OcdCategory } from './open-cookie-database.ts';

/** What the classification needs of a site category. */
export type SiteCategoryRef = Pick<Category, 'key' | 'isRequired' | 'wpConsentCategory'> & Partial<Pick<Category, 'sortOrder' | 'cookies'>>;

/** A person's choice of category for an item: the site's inventory entries that have a category. */
export interface ClassificationOverride {
  kind: StorageKind;
  name: string;
  /** The item's domain as the inventory holds it; empty or absent: any domain. */
  domain?: string;
  categoryKey: string;
}

/**
 * What an item is used for, in the terms the mapping onto the site's categories uses: the Open Cookie Database's
 * categories with `security` folded into `necessary`, and the WP Consent API's `statistics` for analytics.
 */
export type UsedFor = 'necessary' | 'functional' | 'preferences' | 'statistics' | 'marketing';

export interface Classification {
  /** The site category it belongs to; null: unclassified, or the site has no category for what it is used for. */
  categoryKey: string | null;
  /** Needs no consent: its category is the site's required one, or it is known to be necessary. */
  necessary: boolean;
  /** What classified it; null: nothing knows it (unclassified). */
  source: ClassificationSource | null;
  /** How the name matched: `exact`, `prefix` (a wildcard entry), `inventory` (an override); null: unclassified. */
  match: 'exact' | 'prefix' | 'inventory' | null;
  /** What the source says it is used for; null for overrides and unknown items. */
  usedFor: UsedFor | null;
  /** Who sets it, what it is for (a sentence), how long it is kept: empty when no source says. */
  provider: string;
  purpose: string;
  retention: string;
}

export interface HostClassification {
  categoryKey: string | null;
  necessary: boolean;
  /** `tracker-catalogue` for a known tracker's host; null otherwise (a CDN, a font host: not judged). */
  source: 'tracker-catalogue' | null;
  trackerId: string | null;
  provider: string;
  usedFor: UsedFor | null;
}

export interface Classifier {
  item(item: { kind: StorageKind; name: string; domain?: string }): Classification;
  host(host: string): HostClassification;
}

const USED_FOR_OF_OCD: Record<OcdCategory, UsedFor> = {
  necessary: 'necessary', security: 'necessary', functional: 'functional', preferences: 'preferences', analytics: 'statistics', marketing: 'marketing',
};

/**
 * Consentry's own storage: the consent cookie (`consentry_consent`, src/banner/config.ts), the banner's session id
 * (`consentry_sid`) and the display preferences a visitor asked for (`consentry_display`).
 */
export const CONSENTRY_PREFIX = 'consentry_';
/** The WP Consent API's cookies, one per its category, that the banner writes so that other plugins read the choice. */
export const WP_CONSENT_PREFIX = 'wp_consent_';

/** WordPress core's cookies (a trailing `*` is a prefix): sign-in, settings, test cookie, comment author, post password, language. */
export const WORDPRESS_COOKIES: readonly string[] = [
  'wordpress_*', 'wp-settings-*', 'wordpress_test_cookie', 'comment_author_*', 'wp-postpass_*', 'wp_lang',
];

const matches = (name: string, pattern: string): 'exact' | 'prefix' | null =>
  pattern.endsWith('*') ? (name.startsWith(pattern.slice(0, -1)) ? 'prefix' : null) : name === pattern ? 'exact' : null;

interface DatabaseEntry {
  name: string;
  usedFor: UsedFor;
  provider: string;
  purpose: string;
  retention: string;
}

interface Database {
  exact: Map<string, DatabaseEntry>;
  /** Wildcard entries, longest prefix first. */
  prefixes: DatabaseEntry[];
}

let database: Database | undefined;

/** The Open Cookie Database as lookups, built once on first use. */
function openCookieDatabase(): Database {
  if (database) return database;
  const exact = new Map<string, DatabaseEntry>();
  const prefixes: DatabaseEntry[] = [];
  for (const [name, wildcard, category, provider, description, retention] of OCD_ROWS) {
    const entry: DatabaseEntry = {
      name, usedFor: USED_FOR_OF_OCD[OCD_CATEGORIES[category]!], provider: OCD_PROVIDERS[provider]?.[0] ?? '', purpose: description, retention,
    };
    if (wildcard) prefixes.push(entry);
    else exact.set(name, entry);
  }
  prefixes.sort((a, b) => b.name.length - a.name.length || (a.name < b.name ? -1 : 1));
  database = { exact, prefixes };
  return database;
}

/** The Open Cookie Database's entry for a name: exact first, then the longest wildcard prefix. */
export function lookUpOpenCookieDatabase(name: string): (DatabaseEntry & { match: 'exact' | 'prefix' }) | null {
  const db = openCookieDatabase();
  const exact = db.exact.get(name);
  if (exact) return { ...exact, match: 'exact' };
  const prefix = db.prefixes.find((e) => name.startsWith(e.name));
  return prefix ? { ...prefix, match: 'prefix' } : null;
}

const byOrder = (a: SiteCategoryRef, b: SiteCategoryRef): number => (a.sortOrder ?? 0) - (b.sortOrder ?? 0);

/**
 * The site category for what an item is used for: necessary → the required category; functional → a functional category that
 * is not required, else the required one; preferences → a preferences category, else a functional one;
 * statistics → statistics, else statistics-anonymous; marketing → marketing. Null when the site has none.
 */
export function categoryFor(usedFor: UsedFor, categories: readonly SiteCategoryRef[]): SiteCategoryRef | null {
  const sorted = [...categories].sort(byOrder);
  const required = sorted.filter((c) => c.isRequired);
  const optional = (...wp: WpConsentCategory[]): SiteCategoryRef | null => {
    for (const w of wp) {
      const found = sorted.find((c) => !c.isRequired && c.wpConsentCategory === w);
      if (found) return found;
    }
    return null;
  };
  const theRequired = required.find((c) => c.wpConsentCategory === 'functional') ?? required[0] ?? null;
  switch (usedFor) {
    case 'necessary': return theRequired;
    case 'functional': return optional('functional') ?? theRequired;
    case 'preferences': return optional('preferences', 'functional');
    case 'statistics': return optional('statistics', 'statistics-anonymous');
    case 'marketing': return optional('marketing');
  }
}

const trackerHosts: Array<{ host: string; tracker: Tracker }> = TRACKERS.flatMap((tracker) =>
  tracker.urls.map((url) => ({ host: url.split('/')[0]!.toLowerCase(), tracker })).filter((h) => h.host.replace(/^\./, '').includes('.')));

/** The catalogue's tracker a host belongs to: the host is one of its URLs' hosts or a subdomain of one. */
export function trackerOfHost(host: string): Tracker | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  for (const { host: known, tracker } of trackerHosts) {
    const bare = known.replace(/^\./, '');
    if (h === bare || h.endsWith(`.${bare}`)) return tracker;
  }
  return null;
}

const UNCLASSIFIED: Classification = {
  categoryKey: null, necessary: false, source: null, match: null, usedFor: null, provider: '', purpose: '', retention: '',
};

/** A classifier for one site: its categories and its people's overrides. */
export function createClassifier(categories: readonly SiteCategoryRef[], overrides: readonly ClassificationOverride[] = []): Classifier {
  const byKey = new Map(categories.map((c) => [c.key, c]));
  const sortedCategories = [...categories].sort(byOrder);
  const overrideOf = new Map<string, ClassificationOverride[]>();
  for (const o of overrides) {
    if (!byKey.has(o.categoryKey)) continue; // a category deleted since: the override says nothing any more
    const key = `${o.kind}\u0000${o.name}`;
    overrideOf.set(key, [...(overrideOf.get(key) ?? []), o]);
  }

  const withUsedFor = (usedFor: UsedFor, rest: Omit<Classification, 'categoryKey' | 'necessary' | 'usedFor'>): Classification => {
    const category = categoryFor(usedFor, categories);
    return { categoryKey: category?.key ?? null, necessary: usedFor === 'necessary' || Boolean(category?.isRequired), usedFor, ...rest };
  };

  const withDetails = (name: string, found: Omit<Classification, 'purpose' | 'retention'> & Partial<Pick<Classification, 'purpose' | 'retention'>>): Classification => {
    // Whatever classified it, the database still knows best what it does and how long it lasts.
    const known = lookUpOpenCookieDatabase(name);
    return {
      ...found,
      provider: found.provider || known?.provider || '',
      purpose: found.purpose || known?.purpose || '',
      retention: found.retention || known?.retention || '',
    };
  };

  return {
    item({ kind, name, domain = '' }) {
      const candidates = overrideOf.get(`${kind}\u0000${name}`);
      if (candidates) {
        // The entry for this very domain, else one for any domain, else the first for another domain.
        const chosen = candidates.find((o) => o.domain === domain) ?? candidates.find((o) => !o.domain) ?? candidates[0]!;
        const category = byKey.get(chosen.categoryKey)!;
        return withDetails(name, { categoryKey: category.key, necessary: category.isRequired, source: 'override', match: 'inventory', usedFor: null, provider: '' });
      }
      if (kind === 'cookie') {
        // The site's categories list the cookies the banner deletes when the category is refused: a person's word too.
        for (const category of sortedCategories) {
          for (const pattern of category.cookies ?? []) {
            const match = matches(name, pattern);
            if (match) return withDetails(name, { categoryKey: category.key, necessary: category.isRequired, source: 'override', match, usedFor: null, provider: '' });
          }
        }
      }
      if (name.startsWith(CONSENTRY_PREFIX)) {
        return withUsedFor('necessary', {
          source: 'consentry', match: name === `${CONSENTRY_PREFIX}consent` ? 'exact' : 'prefix', provider: 'Consentry',
          purpose: 'Keeps what the visitor chose (consent, or display preferences) or the banner\'s session, so that the site can honour it.',
          retention: kind === 'sessionStorage' ? 'session' : '',
        });
      }
      if (kind === 'cookie' && name.startsWith(WP_CONSENT_PREFIX)) {
        return withUsedFor('necessary', {
          source: 'consentry', match: 'prefix', provider: 'Consentry (WP Consent API)',
          purpose: 'Tells the site\'s other plugins, through the WP Consent API, which categories the visitor allowed.', retention: '',
        });
      }
      if (kind === 'cookie') {
        for (const pattern of WORDPRESS_COOKIES) {
          const match = matches(name, pattern);
          if (match) {
            return withUsedFor('necessary', {
              source: 'wordpress', match, provider: 'WordPress',
              purpose: 'Set by WordPress itself: sign-in, the test that cookies work, settings, comment author or post password.',
              retention: '',
            });
          }
        }
        // The catalogue is Consentry's own, checked reading: it wins where the database calls a tracker's cookie functional.
        for (const tracker of TRACKERS) {
          for (const pattern of tracker.cookies ?? []) {
            const match = matches(name, pattern);
            if (match) return withDetails(name, withUsedFor(tracker.category, { source: 'tracker-catalogue', match, provider: tracker.vendor, purpose: '', retention: '' }));
          }
        }
      }
      const known = lookUpOpenCookieDatabase(name);
      if (known) {
        return withUsedFor(known.usedFor, {
          source: 'open-cookie-database', match: known.match, provider: known.provider, purpose: known.purpose, retention: known.retention,
        });
      }
      return { ...UNCLASSIFIED };
    },

    host(host) {
      const tracker = trackerOfHost(host);
      if (!tracker) return { categoryKey: null, necessary: false, source: null, trackerId: null, provider: '', usedFor: null };
      const category = categoryFor(tracker.category, categories);
      return {
        categoryKey: category?.key ?? null, necessary: Boolean(category?.isRequired), source: 'tracker-catalogue', trackerId: tracker.id,
        provider: tracker.vendor, usedFor: tracker.category,
      };
    },
  };
}
