// Classification of scanned items and hosts onto a site's categories: the order of the sources, the mapping of the
// Open Cookie Database's categories, and the site's overrides.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONSENT_COOKIE } from '../../../src/banner/config.ts';
import { DISPLAY_STORAGE_KEY } from '../../../src/banner/display/adjust.ts';
import { STORAGE_KINDS, WP_CONSENT_CATEGORIES, type StorageKind } from '../../../src/shared/consent.ts';
import { TRACKERS } from '../../../src/shared/trackers.ts';
import {
  categoryFor, createClassifier, lookUpOpenCookieDatabase, trackerOfHost, type SiteCategoryRef,
} from '../../../src/service/scanner/classify.ts';
import { OCD_ROWS } from '../../../src/service/scanner/open-cookie-database.ts';

/** What a new site starts with (src/service/domain/sites.ts), without the cookie lists. */
const SEEDED: SiteCategoryRef[] = [
  { key: 'necessary', isRequired: true, wpConsentCategory: 'functional', sortOrder: 0 },
  { key: 'analytics', isRequired: false, wpConsentCategory: 'statistics', sortOrder: 1 },
  { key: 'marketing', isRequired: false, wpConsentCategory: 'marketing', sortOrder: 2 },
];
/** A site with a category for every purpose. */
const FULL: SiteCategoryRef[] = [
  { key: 'essential', isRequired: true, wpConsentCategory: 'functional', sortOrder: 0 },
  { key: 'comfort', isRequired: false, wpConsentCategory: 'functional', sortOrder: 1 },
  { key: 'prefs', isRequired: false, wpConsentCategory: 'preferences', sortOrder: 2 },
  { key: 'stats', isRequired: false, wpConsentCategory: 'statistics-anonymous', sortOrder: 4 },
  { key: 'stats_full', isRequired: false, wpConsentCategory: 'statistics', sortOrder: 3 },
  { key: 'ads', isRequired: false, wpConsentCategory: 'marketing', sortOrder: 5 },
];
const cookie = (name: string, domain = '.example.com') => ({ kind: 'cookie' as const, name, domain });

describe('classification', () => {
  it('looks the database up by exact name first, then by the longest wildcard prefix', () => {
    expect(lookUpOpenCookieDatabase('_ga')).toMatchObject({ match: 'exact', usedFor: 'statistics', provider: 'Google Analytics' });
    // `_gac_gb_` (marketing) is a longer prefix than `_gac_` (marketing) and `_ga_` (analytics).
    expect(lookUpOpenCookieDatabase('_gac_gb_UA123')).toMatchObject({ match: 'prefix', name: '_gac_gb_' });
    expect(lookUpOpenCookieDatabase('_ga_ABC123')).toMatchObject({ match: 'prefix', name: '_ga_' });
    expect(lookUpOpenCookieDatabase('PHPSESSID')).toMatchObject({ match: 'exact', usedFor: 'functional' });
    expect(lookUpOpenCookieDatabase('surely-nobody-uses-this-name')).toBeNull();
  });

  it('finds every wildcard entry by its prefix and every exact entry by its name (the longest prefix wins)', () => {
    for (const [name, wildcard] of OCD_ROWS) {
      const found = lookUpOpenCookieDatabase(wildcard ? `${name}x9` : name);
      expect(found, name).not.toBeNull();
      if (wildcard) {
        expect(found!.name.length >= name.length).toBe(true);
        expect(`${name}x9`.startsWith(found!.name)).toBe(true);
      } else expect(found).toMatchObject({ name, match: 'exact' });
    }
  });

  it('maps the database\'s categories onto the site\'s, by their WP Consent API category', () => {
    const seeded = createClassifier(SEEDED);
    expect(seeded.item(cookie('_ga'))).toMatchObject({ categoryKey: 'analytics', necessary: false, source: 'tracker-catalogue' });
    expect(seeded.item(cookie('_gac_gb_UA1'))).toMatchObject({ categoryKey: 'marketing', necessary: false, source: 'open-cookie-database', match: 'prefix' });
    // Functional, security, necessary → the required category where the site has no optional functional one.
    expect(seeded.item(cookie('PHPSESSID'))).toMatchObject({ categoryKey: 'necessary', necessary: true, usedFor: 'functional', retention: 'session' });
    expect(seeded.item(cookie('XSRF-TOKEN'))).toMatchObject({ categoryKey: 'necessary', necessary: true, usedFor: 'necessary' });
    const full = createClassifier(FULL);
    expect(full.item(cookie('PHPSESSID'))).toMatchObject({ categoryKey: 'comfort', necessary: false });
    expect(full.item(cookie('XSRF-TOKEN'))).toMatchObject({ categoryKey: 'essential', necessary: true });
    // statistics before statistics-anonymous, whatever the order given.
    expect(full.item(cookie('_gid'))).toMatchObject({ categoryKey: 'stats_full' });
    expect(full.item(cookie('_fbp'))).toMatchObject({ categoryKey: 'ads' });
  });

  it('puts each purpose where the rules say, and nowhere when the site has no such category', () => {
    expect(categoryFor('preferences', FULL)?.key).toBe('prefs');
    expect(categoryFor('preferences', FULL.filter((c) => c.key !== 'prefs'))?.key).toBe('comfort');
    expect(categoryFor('preferences', SEEDED)).toBeNull();
    expect(categoryFor('statistics', FULL.filter((c) => c.key !== 'stats_full'))?.key).toBe('stats');
    expect(categoryFor('marketing', SEEDED.slice(0, 2))).toBeNull();
    expect(categoryFor('necessary', [])).toBeNull();
    // Known but homeless: still not necessary, so it still counts as a violation before consent.
    expect(createClassifier(SEEDED.slice(0, 2)).item(cookie('_fbp'))).toMatchObject({ categoryKey: null, necessary: false, source: 'tracker-catalogue' });
  });

  it('knows Consentry\'s and WordPress\'s own cookies as necessary', () => {
    const c = createClassifier(SEEDED);
    expect(c.item(cookie(CONSENT_COOKIE))).toMatchObject({ categoryKey: 'necessary', necessary: true, source: 'consentry', match: 'exact' });
    expect(c.item({ kind: 'sessionStorage', name: 'consentry_sid', domain: 'example.com' })).toMatchObject({ necessary: true, source: 'consentry', retention: 'session' });
    expect(c.item({ kind: 'localStorage', name: DISPLAY_STORAGE_KEY, domain: 'example.com' })).toMatchObject({ necessary: true, source: 'consentry' });
    for (const wp of WP_CONSENT_CATEGORIES) {
      expect(c.item(cookie(`wp_consent_${wp}`))).toMatchObject({ categoryKey: 'necessary', necessary: true, source: 'consentry' });
    }
    for (const name of ['wordpress_test_cookie', 'wordpress_logged_in_0123abcd', 'wordpress_sec_0123abcd', 'wp-settings-1', 'wp-settings-time-1', 'comment_author_0123abcd', 'comment_author_email_0123abcd', 'wp-postpass_0123abcd']) {
      expect(c.item(cookie(name)), name).toMatchObject({ categoryKey: 'necessary', necessary: true, source: 'wordpress', provider: 'WordPress' });
    }
    // A localStorage key named like a WordPress cookie is not WordPress's.
    expect(c.item({ kind: 'localStorage', name: 'wp-settings-1', domain: 'example.com' }).source).not.toBe('wordpress');
  });

  it('lets the catalogue win where the database calls a tracker\'s cookie functional', () => {
    expect(lookUpOpenCookieDatabase('_hjSession_123')).toMatchObject({ usedFor: 'functional' });
    expect(createClassifier(SEEDED).item(cookie('_hjSession_123'))).toMatchObject({
      categoryKey: 'analytics', necessary: false, source: 'tracker-catalogue', provider: 'Hotjar', purpose: expect.stringContaining('session'),
    });
  });

  it('lets a person\'s override win over every source, for its domain first', () => {
    const c = createClassifier(SEEDED, [
      { kind: 'cookie', name: '_ga', categoryKey: 'necessary' },
      { kind: 'cookie', name: 'wordpress_test_cookie', categoryKey: 'marketing' },
      { kind: 'cookie', name: 'mine', domain: 'shop.example.com', categoryKey: 'marketing' },
      { kind: 'cookie', name: 'mine', domain: '', categoryKey: 'analytics' },
      { kind: 'localStorage', name: 'PHPSESSID', categoryKey: 'marketing' },
      { kind: 'cookie', name: 'gone', categoryKey: 'deleted_category' },
    ]);
    expect(c.item(cookie('_ga'))).toMatchObject({ categoryKey: 'necessary', necessary: true, source: 'override', match: 'inventory', provider: 'Google Analytics' });
    expect(c.item(cookie('wordpress_test_cookie'))).toMatchObject({ categoryKey: 'marketing', necessary: false, source: 'override' });
    expect(c.item(cookie('mine', 'shop.example.com'))).toMatchObject({ categoryKey: 'marketing' });
    expect(c.item(cookie('mine', 'example.com'))).toMatchObject({ categoryKey: 'analytics' });
    // Overrides are per kind: the PHPSESSID cookie is still the database's.
    expect(c.item(cookie('PHPSESSID'))).toMatchObject({ source: 'open-cookie-database' });
    expect(c.item({ kind: 'localStorage', name: 'PHPSESSID', domain: 'example.com' })).toMatchObject({ categoryKey: 'marketing', source: 'override' });
    // An override naming a category the site no longer has says nothing.
    expect(c.item(cookie('gone'))).toMatchObject({ categoryKey: null, source: null });
  });

  it('reads the site\'s category cookie lists as overrides', () => {
    const c = createClassifier([...SEEDED.slice(0, 2), { ...SEEDED[2]!, cookies: ['_ga', 'my_ads_*'] }]);
    expect(c.item(cookie('_ga'))).toMatchObject({ categoryKey: 'marketing', source: 'override', match: 'exact' });
    expect(c.item(cookie('my_ads_1'))).toMatchObject({ categoryKey: 'marketing', source: 'override', match: 'prefix' });
  });

  it('leaves what nothing knows unclassified, whatever its kind', () => {
    const c = createClassifier(SEEDED);
    fc.assert(fc.property(fc.constantFrom(...STORAGE_KINDS), fc.stringMatching(/^zz[a-z0-9]{6,20}$/), (kind: StorageKind, name) => {
      expect(c.item({ kind, name, domain: 'example.com' })).toEqual({
        categoryKey: null, necessary: false, source: null, match: null, usedFor: null, provider: '', purpose: '', retention: '',
      });
    }), { numRuns: 200 });
  });

  it('never calls an item necessary unless its category is required or it is known to need no consent', () => {
    const names = fc.oneof(fc.constantFrom(...OCD_ROWS.map(([n]) => n)), fc.constantFrom('wordpress_x', 'consentry_consent', '_ga', 'zzunknown'), fc.string());
    const sites = fc.constantFrom(SEEDED, FULL, SEEDED.slice(0, 2), FULL.slice(1));
    fc.assert(fc.property(sites, fc.constantFrom(...STORAGE_KINDS), names, (site, kind, name) => {
      const result = createClassifier(site).item({ kind, name, domain: 'example.com' });
      const category = site.find((s) => s.key === result.categoryKey);
      if (result.categoryKey !== null) expect(category).toBeDefined();
      if (result.necessary) expect(category?.isRequired || result.usedFor === 'necessary').toBe(true);
      if (category?.isRequired) expect(result.necessary).toBe(true);
      if (result.source === null) expect(result.categoryKey).toBeNull();
    }), { numRuns: 500 });
  });

  it('classifies hosts by the tracker catalogue: its hosts and their subdomains, nothing else', () => {
    const c = createClassifier(SEEDED);
    expect(c.host('www.google-analytics.com')).toMatchObject({ categoryKey: 'analytics', necessary: false, trackerId: 'google-analytics', source: 'tracker-catalogue' });
    expect(c.host('connect.facebook.net')).toMatchObject({ categoryKey: 'marketing', trackerId: 'meta-pixel' });
    expect(c.host('static.hotjar.com')).toMatchObject({ trackerId: 'hotjar' });
    expect(c.host('www.youtube-nocookie.com')).toMatchObject({ trackerId: 'youtube', categoryKey: 'marketing' });
    expect(c.host('fonts.googleapis.com')).toEqual({ categoryKey: null, necessary: false, source: null, trackerId: null, provider: '', usedFor: null });
    // Not a suffix on a label boundary: not the tracker.
    expect(trackerOfHost('evilclarity.ms')).toBeNull();
    expect(trackerOfHost('notdoubleclick.net')).toBeNull();
    for (const tracker of TRACKERS) {
      for (const url of tracker.urls) {
        const host = url.split('/')[0]!.replace(/^\./, 'x.');
        expect(trackerOfHost(host)?.category, url).toBe(tracker.category);
      }
    }
  });
});
