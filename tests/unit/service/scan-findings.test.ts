// What a scan's pages come to: items and hosts with where they were first seen, violations (non-necessary items
// before any choice or after "Reject all"), flagged unclassified items, and the diff against the previous scan.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCAN_PASSES, STORAGE_KINDS, type ScanPass } from '../../../src/shared/consent.ts';
import { createClassifier, type SiteCategoryRef } from '../../../src/service/scanner/classify.ts';
import type { CapturedHost, CapturedItem, PageResult } from '../../../src/service/scanner/engine-types.ts';
import {
  diffCounts, diffScans, itemKey, lifetimeChanged, summariseScan, type DiffableItem,
} from '../../../src/service/scanner/findings.ts';

const SEEDED: SiteCategoryRef[] = [
  { key: 'necessary', isRequired: true, wpConsentCategory: 'functional', sortOrder: 0 },
  { key: 'analytics', isRequired: false, wpConsentCategory: 'statistics', sortOrder: 1 },
  { key: 'marketing', isRequired: false, wpConsentCategory: 'marketing', sortOrder: 2 },
];
const classifier = createClassifier(SEEDED);

const item = (pass: ScanPass, name: string, extra: Partial<CapturedItem> = {}): CapturedItem => ({ kind: 'cookie', name, domain: 'example.test', pass, ...extra });
const host = (pass: ScanPass, name: string, resourceType: CapturedHost['resourceType'] = 'script'): CapturedHost => ({ host: name, resourceType, pass });
const page = (url: string, items: CapturedItem[], hosts: CapturedHost[] = [], bannerFound = true): PageResult => ({
  url, depth: 0, state: 'ok', bannerFound, passes: bannerFound ? [...SCAN_PASSES] : ['before'], items, hosts,
});

describe('summariseScan', () => {
  const pages = [
    page('https://example.test/', [
      item('accept', '_ga', { attributes: { secure: false, expiresInSeconds: 63072000 } }),
      item('before', 'wordpress_test_cookie'),
      item('before', 'consentry_consent'),
      item('reject', 'consentry_consent'),
      item('accept', 'consentry_consent'),
    ], [host('accept', 'www.google-analytics.com'), host('before', 'fonts.example-cdn.test', 'other')]),
    page('https://example.test/leaky', [
      item('before', '_fbp', { domain: '.example.test' }),
      item('before', 'zz_theme_thing'),
      item('reject', '_ga', { attributes: { secure: true } }),
      item('before', 'zz_theme_thing'), // reported twice by a sloppy engine: counted once
    ], [host('before', 'connect.facebook.net'), host('before', 'connect.facebook.net', 'image')]),
    page('https://example.test/plain', [item('before', 'PHPSESSID', { kind: 'cookie' })], [], false),
  ];
  const summary = summariseScan(pages, classifier);

  it('lists each item once, with the first page and pass it was seen on, every pass, and the pages', () => {
    expect(summary.items.map((i) => [i.name, i.firstPageUrl, i.firstPass, i.passes, i.pages])).toEqual([
      ['wordpress_test_cookie', 'https://example.test/', 'before', ['before'], 1],
      ['consentry_consent', 'https://example.test/', 'before', ['before', 'accept', 'reject'], 1],
      ['_ga', 'https://example.test/', 'accept', ['accept', 'reject'], 2],
      ['_fbp', 'https://example.test/leaky', 'before', ['before'], 1],
      ['zz_theme_thing', 'https://example.test/leaky', 'before', ['before'], 1],
      ['PHPSESSID', 'https://example.test/plain', 'before', ['before'], 1],
    ]);
    // The attributes of the first sighting.
    expect(summary.items.find((i) => i.name === '_ga')!.attributes).toEqual({ secure: false, expiresInSeconds: 63072000 });
    expect(summary.items.find((i) => i.name === '_ga')!.classification).toMatchObject({ categoryKey: 'analytics', necessary: false });
    expect(summary.unclassified).toBe(1);
    expect(summary.hosts.map((h) => [h.host, h.resourceTypes, h.passes, h.classification.trackerId])).toEqual([
      ['fonts.example-cdn.test', ['other'], ['before'], null],
      ['www.google-analytics.com', ['script'], ['accept'], 'google-analytics'],
      ['connect.facebook.net', ['script', 'image'], ['before'], 'meta-pixel'],
    ]);
  });

  it('reports non-necessary items and tracker hosts in the before and reject passes as violations, page by page', () => {
    expect(summary.violations).toEqual([
      { pageUrl: 'https://example.test/leaky', pass: 'before', kind: 'cookie', name: '_fbp', domain: '.example.test', categoryKey: 'marketing', source: 'tracker-catalogue' },
      { pageUrl: 'https://example.test/leaky', pass: 'reject', kind: 'cookie', name: '_ga', domain: 'example.test', categoryKey: 'analytics', source: 'tracker-catalogue' },
      { pageUrl: 'https://example.test/leaky', pass: 'before', kind: 'host', name: 'connect.facebook.net', domain: 'connect.facebook.net', categoryKey: 'marketing', source: 'tracker-catalogue' },
    ]);
  });

  it('flags unclassified items in those passes instead of calling them violations', () => {
    expect(summary.flagged).toEqual([{ pageUrl: 'https://example.test/leaky', pass: 'before', kind: 'cookie', name: 'zz_theme_thing', domain: 'example.test' }]);
  });

  it('finds no violation on a site whose non-necessary items all wait for "Accept all"', () => {
    const clean = summariseScan([page('https://example.test/', [item('before', 'consentry_consent'), item('accept', '_ga'), item('accept', '_fbp')], [host('accept', 'connect.facebook.net')])], classifier);
    expect(clean.violations).toEqual([]);
    expect(clean.flagged).toEqual([]);
  });

  it('holds for any pages: a violation is exactly a known, non-necessary item in a before or reject pass', () => {
    const names = fc.constantFrom('_ga', '_fbp', 'PHPSESSID', 'wordpress_test_cookie', 'consentry_consent', 'zz_unknown', '_gac_gb_1', 'XSRF-TOKEN');
    const captured = fc.record({ kind: fc.constantFrom(...STORAGE_KINDS), name: names, domain: fc.constantFrom('example.test', '.example.test'), pass: fc.constantFrom(...SCAN_PASSES) });
    const hosts = fc.record({ host: fc.constantFrom('connect.facebook.net', 'cdn.example.org', 'www.google-analytics.com'), resourceType: fc.constantFrom('script' as const, 'image' as const), pass: fc.constantFrom(...SCAN_PASSES) });
    const pagesArb = fc.array(fc.record({ url: fc.webUrl(), items: fc.array(captured, { maxLength: 12 }), hosts: fc.array(hosts, { maxLength: 4 }) }), { maxLength: 6 })
      .map((list) => list.map((p) => page(p.url, p.items, p.hosts)));
    fc.assert(fc.property(pagesArb, (pagesIn) => {
      const s = summariseScan(pagesIn, classifier);
      const expected = new Set<string>();
      const flaggedExpected = new Set<string>();
      for (const p of pagesIn) {
        for (const i of p.items) {
          if (i.pass === 'accept') continue;
          const c = classifier.item(i);
          const key = `${p.url}|${i.pass}|${itemKey(i)}`;
          if (c.source === null) flaggedExpected.add(key);
          else if (!c.necessary) expected.add(key);
        }
        for (const h of p.hosts) {
          if (h.pass !== 'accept' && classifier.host(h.host).source !== null) expected.add(`${p.url}|${h.pass}|${itemKey({ kind: 'host', name: h.host, domain: h.host })}`);
        }
      }
      const got = s.violations.map((v) => `${v.pageUrl}|${v.pass}|${itemKey(v)}`);
      expect(new Set(got)).toEqual(expected);
      expect(got.length).toBe(expected.size); // no duplicates
      expect(new Set(s.flagged.map((f) => `${f.pageUrl}|${f.pass}|${itemKey(f)}`))).toEqual(flaggedExpected);
      expect(new Set(s.items.map(itemKey)).size).toBe(s.items.length);
      for (const i of s.items) expect(i.passes).toContain(i.firstPass);
    }), { numRuns: 200 });
  });
});

describe('diffScans', () => {
  const base: DiffableItem[] = [
    { kind: 'cookie', name: '_ga', domain: '.example.test', categoryKey: 'analytics', attributes: { secure: true, httpOnly: false, expiresInSeconds: 63072000 } },
    { kind: 'cookie', name: 'sess', domain: 'example.test', categoryKey: null, attributes: { httpOnly: true, expiresInSeconds: null } },
    { kind: 'localStorage', name: 'theme', domain: 'example.test', categoryKey: 'necessary' },
    { kind: 'cookie', name: 'moved', domain: '.example.test', categoryKey: 'marketing' },
  ];

  it('reports added, removed and changed items, with what changed', () => {
    const next: DiffableItem[] = [
      { ...base[0]!, attributes: { secure: true, httpOnly: false, expiresInSeconds: 63072000 - 30 * 86400 } }, // a month older: the same
      { ...base[1]!, categoryKey: 'necessary', attributes: { httpOnly: false, expiresInSeconds: 3600 } },
      { kind: 'indexedDB', name: 'keyval-store', domain: 'example.test', categoryKey: null },
      { ...base[3]!, domain: 'www.example.test', attributes: { secure: true } },
    ];
    const diff = diffScans(base, next);
    expect(diff).toEqual([
      { change: 'added', kind: 'indexedDB', name: 'keyval-store', domain: 'example.test', fields: [] },
      { change: 'removed', kind: 'localStorage', name: 'theme', domain: 'example.test', fields: [] },
      { change: 'changed', kind: 'cookie', name: 'moved', domain: 'www.example.test', previousDomain: '.example.test', fields: ['domain', 'secure'] },
      { change: 'changed', kind: 'cookie', name: 'sess', domain: 'example.test', fields: ['categoryKey', 'httpOnly', 'expires'] },
    ]);
    expect(diffCounts(diff)).toEqual({ added: 1, removed: 1, changed: 2 });
  });

  it('reads lifetimes as a person would: session against persistent, or more than a tenth apart', () => {
    expect(lifetimeChanged(null, 3600)).toBe(true);
    expect(lifetimeChanged(undefined, null)).toBe(false);
    expect(lifetimeChanged(31536000, 31536000 - 86400 * 30)).toBe(false);
    expect(lifetimeChanged(31536000, 63072000)).toBe(true);
    expect(lifetimeChanged(60, 1800)).toBe(false); // under an hour apart
  });

  it('reports passes that changed when both scans give them', () => {
    const a: DiffableItem = { kind: 'cookie', name: '_ga', domain: 'x', categoryKey: 'analytics', passes: ['accept'] };
    expect(diffScans([a], [{ ...a, passes: ['before', 'accept'] }])).toEqual([{ change: 'changed', kind: 'cookie', name: '_ga', domain: 'x', fields: ['passes'] }]);
    expect(diffScans([a], [{ ...a, passes: undefined }])).toEqual([]);
  });

  const diffable = fc.record({
    kind: fc.constantFrom(...STORAGE_KINDS),
    name: fc.constantFrom('a', 'b', 'c', '_ga', 'sess'),
    domain: fc.constantFrom('example.test', '.example.test', 'www.example.test'),
    categoryKey: fc.constantFrom(null, 'necessary', 'analytics'),
    attributes: fc.option(fc.record({ httpOnly: fc.boolean(), secure: fc.boolean(), expiresInSeconds: fc.option(fc.constantFrom(60, 86400, 31536000)) }, { requiredKeys: [] }), { nil: undefined }),
  }) as fc.Arbitrary<DiffableItem>;
  const scan = fc.uniqueArray(diffable, { selector: itemKey, maxLength: 15 });

  it('finds nothing between a scan and itself, and everything against nothing', () => {
    fc.assert(fc.property(scan, (items) => {
      expect(diffScans(items, items)).toEqual([]);
      expect(diffCounts(diffScans([], items))).toEqual({ added: items.length, removed: 0, changed: 0 });
      expect(diffCounts(diffScans(items, []))).toEqual({ added: 0, removed: items.length, changed: 0 });
    }), { numRuns: 200 });
  });

  it('is the mirror of itself backwards, and its counts add up', () => {
    fc.assert(fc.property(scan, scan, (previous, current) => {
      const forward = diffScans(previous, current);
      const backward = diffScans(current, previous);
      const f = diffCounts(forward);
      const b = diffCounts(backward);
      expect([f.added, f.removed, f.changed]).toEqual([b.removed, b.added, b.changed]);
      expect(f.added - f.removed).toBe(current.length - previous.length);
      // Every current item is added, changed, or unchanged; every previous one removed, changed, or unchanged.
      const currentKeys = new Set(current.map(itemKey));
      for (const e of forward) {
        if (e.change === 'removed') expect(currentKeys.has(itemKey(e))).toBe(false);
        else expect(currentKeys.has(itemKey(e))).toBe(true);
        expect(e.fields.length > 0).toBe(e.change === 'changed');
      }
      expect(new Set(forward.map((e) => `${e.change}|${itemKey(e)}`)).size).toBe(forward.length);
    }), { numRuns: 300 });
  });
});
