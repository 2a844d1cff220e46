import { describe, expect, it } from 'vitest';
import {
  acceptAll, actionFor, changedKeys, consentModeState, consentModeTypes, initialSwitches, isValid, normalize, parseConsent,
  randomId, readCookie, rejectAll, serializeConsent, storedChoices, toStored, wpConsentState, type StoredConsent,
} from '../../../src/banner/consent.ts';
import { cat, SEEDED } from './helpers.ts';

const NOW = 1_800_000_000;
const DAY = 86400;
const stored = (over: Partial<StoredConsent> = {}): StoredConsent => ({ id: 'a'.repeat(32), v: '1', t: NOW - DAY, c: { necessary: 1, analytics: 1, marketing: 0 }, ...over });
const cookieOf = (s: StoredConsent) => serializeConsent(s, {}, false).split(';')[0]!;

describe('consent cookie', () => {
  it('reads one cookie out of document.cookie', () => {
    expect(readCookie('a=1; consentry_consent=x%20y; b=2', 'consentry_consent')).toBe('x%20y');
    expect(readCookie('xconsentry_consent=1', 'consentry_consent')).toBeNull();
    expect(readCookie('', 'a')).toBeNull();
  });

  it('round-trips through serialize and parse', () => {
    const s = stored();
    expect(parseConsent(`other=1; ${cookieOf(s)}`)).toEqual(s);
  });

  it('treats a broken or foreign cookie as absent', () => {
    expect(parseConsent('consentry_consent=%7Bnot-json')).toBeNull();
    expect(parseConsent('consentry_consent=%E0%A4%A')).toBeNull();
    expect(parseConsent(`consentry_consent=${encodeURIComponent('{"id":1,"v":"1","t":1,"c":{}}')}`)).toBeNull();
    expect(parseConsent(`consentry_consent=${encodeURIComponent('null')}`)).toBeNull();
    expect(parseConsent('')).toBeNull();
  });

  it('writes a first-party Lax cookie for the lifetime, with the shared domain and Secure when asked', () => {
    const s = stored();
    const plain = serializeConsent(s, {}, false);
    expect(plain).toMatch(/^consentry_consent=[^;]+;path=\/;max-age=15724800;SameSite=Lax$/);
    expect(decodeURIComponent(plain.split(';')[0]!.split('=')[1]!)).toBe(JSON.stringify(s));
    const shared = serializeConsent(s, { cookieDomain: '.example.com', consentLifetimeDays: 30 }, true);
    expect(shared).toContain(';max-age=2592000;');
    expect(shared).toContain(';domain=.example.com');
    expect(shared.endsWith(';Secure')).toBe(true);
  });

  it('is valid under the same policy version within the lifetime (default 6 months)', () => {
    expect(isValid(stored(), {}, NOW)).toBe(true);
    expect(isValid(stored(), { policyVersion: '1' }, NOW)).toBe(true);
    expect(isValid(stored({ t: NOW - 181 * DAY }), {}, NOW)).toBe(true);
    expect(isValid(stored({ t: NOW - 182 * DAY }), {}, NOW)).toBe(false);
    expect(isValid(stored({ t: NOW - 31 * DAY }), { consentLifetimeDays: 30 }, NOW)).toBe(false);
    expect(isValid(null, {}, NOW)).toBe(false);
  });

  it('is void after a policy version bump, and when its time lies in the future', () => {
    expect(isValid(stored(), { policyVersion: '2' }, NOW)).toBe(false);
    expect(isValid(stored({ v: '2' }), {}, NOW)).toBe(false);
    expect(isValid(stored({ t: NOW + DAY }), {}, NOW)).toBe(false);
  });

  it('gives required categories on and unknown ones off', () => {
    expect(storedChoices(stored({ c: { analytics: 1 } }), [...SEEDED, cat('video')])).toEqual({ necessary: true, analytics: true, marketing: false, video: false });
    expect(storedChoices(null, SEEDED)).toEqual({ necessary: true, analytics: false, marketing: false });
  });

  it('stores 1/0 per key with the policy version and time', () => {
    expect(toStored('id1', { policyVersion: '7' }, { necessary: true, analytics: false }, NOW)).toEqual({ id: 'id1', v: '7', t: NOW, c: { necessary: 1, analytics: 0 } });
    expect(toStored('id1', {}, {}, NOW).v).toBe('1');
  });
});

describe('choices', () => {
  it('Accept all grants every category', () => {
    expect(acceptAll(SEEDED, false, null)).toEqual({ necessary: true, analytics: true, marketing: true });
  });

  it('with Global Privacy Control, Accept all leaves marketing off unless the visitor turned it on', () => {
    expect(acceptAll(SEEDED, true, null)).toEqual({ necessary: true, analytics: true, marketing: false });
    expect(acceptAll(SEEDED, true, { marketing: false })).toMatchObject({ marketing: false });
    expect(acceptAll(SEEDED, true, { marketing: true })).toMatchObject({ marketing: true });
    // Marketing is the WP Consent API category, whatever the key.
    expect(acceptAll([cat('ads', { wpConsentCategory: 'marketing' })], true, null)).toEqual({ ads: false });
  });

  it('Reject all keeps required categories only', () => {
    expect(rejectAll(SEEDED)).toEqual({ necessary: true, analytics: false, marketing: false });
  });

  it('Save forces required on and drops unknown keys', () => {
    expect(normalize(SEEDED, { necessary: false, analytics: true, bogus: true })).toEqual({ necessary: true, analytics: true, marketing: false });
  });

  it('pre-ticks no optional category, even one marked isDefault', () => {
    const categories = [...SEEDED, cat('video', { isDefault: true })];
    expect(initialSwitches(categories, null)).toEqual({ necessary: true, analytics: false, marketing: false, video: false });
    expect(initialSwitches(categories, { analytics: true })).toMatchObject({ analytics: true, video: false });
  });
});

describe('action of a choice', () => {
  const all = { necessary: true, analytics: true, marketing: true };
  const none = { necessary: true, analytics: false, marketing: false };
  const some = { necessary: true, analytics: true, marketing: false };

  it('names the first choice by its button or by what it grants', () => {
    expect(actionFor(SEEDED, null, all, 'accept')).toBe('accept_all');
    expect(actionFor(SEEDED, null, none, 'reject')).toBe('reject_all');
    expect(actionFor(SEEDED, null, some, 'save')).toBe('custom');
    expect(actionFor(SEEDED, null, all, 'save')).toBe('accept_all');
    expect(actionFor(SEEDED, null, none, 'save')).toBe('reject_all');
    expect(actionFor([cat('necessary')], null, { necessary: true }, 'save')).toBe('reject_all');
  });

  it('records withdraw when a granted category is taken back, from any button', () => {
    expect(actionFor(SEEDED, all, some, 'save')).toBe('withdraw');
    expect(actionFor(SEEDED, some, none, 'reject')).toBe('withdraw');
    expect(actionFor(SEEDED, { ...all }, { ...all, marketing: false }, 'accept')).toBe('withdraw');
  });

  it('is not a withdrawal when nothing granted is taken back', () => {
    expect(actionFor(SEEDED, none, none, 'reject')).toBe('reject_all');
    expect(actionFor(SEEDED, some, all, 'accept')).toBe('accept_all');
  });

  it('lists the keys that changed', () => {
    expect(changedKeys(all, some)).toEqual(['marketing']);
    expect(changedKeys(some, some)).toEqual([]);
    expect(changedKeys(null, some)).toEqual(['necessary', 'analytics']);
  });
});

describe('Google Consent Mode', () => {
  it('denies all seven types before any choice', () => {
    expect(consentModeState(SEEDED, null)).toEqual({
      ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied',
      functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'denied',
    });
  });

  it('grants functionality and security storage on any choice, the rest by category', () => {
    expect(consentModeState(SEEDED, rejectAll(SEEDED))).toMatchObject({ functionality_storage: 'granted', security_storage: 'granted', analytics_storage: 'denied', ad_storage: 'denied', personalization_storage: 'denied' });
    expect(consentModeState(SEEDED, { necessary: true, analytics: true, marketing: false })).toMatchObject({ analytics_storage: 'granted', ad_storage: 'denied', ad_user_data: 'denied' });
    expect(consentModeState(SEEDED, { necessary: true, analytics: false, marketing: true })).toMatchObject({ analytics_storage: 'denied', ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' });
  });

  it('maps by key first, then by the WP Consent API category', () => {
    expect(consentModeTypes(cat('analytics', { wpConsentCategory: 'preferences' }))).toEqual(['analytics_storage']);
    expect(consentModeTypes(cat('advertising', { wpConsentCategory: 'functional' }))).toEqual(['ad_storage', 'ad_user_data', 'ad_personalization']);
    expect(consentModeTypes(cat('stats', { wpConsentCategory: 'statistics-anonymous' }))).toEqual(['analytics_storage']);
    expect(consentModeTypes(cat('video', { wpConsentCategory: 'marketing' }))).toEqual(['ad_storage', 'ad_user_data', 'ad_personalization']);
    expect(consentModeTypes(cat('prefs', { wpConsentCategory: 'preferences' }))).toEqual(['functionality_storage', 'personalization_storage']);
    expect(consentModeTypes(cat('chat', { wpConsentCategory: 'functional' }))).toEqual(['functionality_storage']);
    expect(consentModeTypes(cat('necessary'))).toEqual(['functionality_storage', 'security_storage']);
  });
});

describe('WP Consent API', () => {
  it('allows functional always and each WP category a granted site category maps to', () => {
    expect(wpConsentState(SEEDED, rejectAll(SEEDED))).toEqual({ functional: 'allow', preferences: 'deny', statistics: 'deny', 'statistics-anonymous': 'deny', marketing: 'deny' });
    expect(wpConsentState(SEEDED, { necessary: true, analytics: true, marketing: false })).toEqual({ functional: 'allow', preferences: 'deny', statistics: 'allow', 'statistics-anonymous': 'allow', marketing: 'deny' });
    expect(wpConsentState([...SEEDED, cat('prefs')], { prefs: true, marketing: true })).toMatchObject({ preferences: 'allow', marketing: 'allow', statistics: 'deny' });
  });
});

it('makes random 128-bit ids the service accepts', () => {
  const a = randomId();
  expect(a).toMatch(/^[0-9a-f]{32}$/);
  expect(randomId()).not.toBe(a);
});

describe('category keys that name parts of every object', () => {
  // The service refuses these keys now; a site may still hold one from before, and a page may ask for any name.
  const odd = [cat('necessary'), cat('__proto__'), cat('constructor'), cat('prototype')];

  it('are ordinary keys of every choice: denied until granted, never read from Object.prototype', () => {
    for (const choices of [rejectAll(odd), normalize(odd, {}), storedChoices(null, odd), initialSwitches(odd, null)]) {
      expect(Object.keys(choices)).toEqual(['necessary', '__proto__', 'constructor', 'prototype']);
      expect([choices.__proto__, choices.constructor, choices.prototype]).toEqual([false, false, false]);
    }
    expect(acceptAll(odd, false, null).__proto__).toBe(true);
    expect(rejectAll(SEEDED).constructor).toBeUndefined();
  });

  it('survive the cookie: stored as 0/1 under their own names and read back', () => {
    const s = toStored('a'.repeat(32), {}, normalize(odd, JSON.parse('{"__proto__":true,"constructor":false}')), NOW);
    expect(JSON.stringify(s.c)).toBe('{"necessary":1,"__proto__":1,"constructor":0,"prototype":0}');
    const back = storedChoices(parseConsent(cookieOf(s)), odd);
    expect([back.__proto__, back.constructor, back.prototype]).toEqual([true, false, false]);
    expect(storedChoices(parseConsent(cookieOf({ ...s, c: JSON.parse('{"necessary":1}') })), odd).__proto__).toBe(false);
  });
});
