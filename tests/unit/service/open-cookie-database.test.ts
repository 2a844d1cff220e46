// The Open Cookie Database import: each cleaning rule, the counts, and that the committed table is what the
// committed CSV gives (else: node scripts/build/open-cookie-database.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  CATEGORY_NAMES, generatedModule, importOpenCookieDatabase, normaliseRetention, OCD_CATEGORIES, OCD_CSV, OCD_DIR, OCD_MODULE, OCD_UPSTREAM,
} from '../../../scripts/build/open-cookie-database.ts';
import { OCD_CATEGORIES as SHIPPED_CATEGORIES, OCD_PROVIDERS, OCD_ROWS, OCD_SOURCE } from '../../../src/service/scanner/open-cookie-database.ts';

const root = join(import.meta.dirname, '../../../');
const csv = readFileSync(join(root, OCD_CSV), 'utf8');
const result = importOpenCookieDatabase(csv);
const HEADER = 'ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match';
const row = (id: string, category: string, name: string, wildcard = '0', extra: Partial<Record<'platform' | 'description' | 'retention', string>> = {}): string =>
  [id, extra.platform ?? 'Vendor', category, name, '', extra.description ?? 'Does things', extra.retention ?? '1 year', 'Vendor BV', 'https://vendor.example/privacy', wildcard]
    .map((v) => `"${v.replace(/"/g, '""')}"`).join(',');

describe('the Open Cookie Database import', () => {
  it('accounts for every row of the pinned copy: 2,264 in, each kept or dropped for a stated reason', () => {
    const rows = parse(csv, { columns: true, bom: true }) as unknown[];
    expect(rows).toHaveLength(2264);
    expect(result.rowsIn).toBe(2264);
    const dropped = Object.values(result.dropped).reduce((n, list) => n + list.length, 0);
    expect(result.entries.length + dropped).toBe(result.rowsIn);
    expect({ out: result.entries.length, blank: result.dropped['blank name'].length, junk: result.dropped['junk name'].length,
      unknownCategory: result.dropped['unknown category'].length, duplicate: result.dropped.duplicate.length })
      .toEqual({ out: 2246, blank: 0, junk: 1, unknownCategory: 0, duplicate: 17 });
    expect(result.dropped['junk name']).toEqual(['2c1380a0-ec77-4161-af73-292f48c3ced3 pagead/conv/%INTEGER%']);
  });

  it('leaves no blank, padded, starred or duplicate name, and maps every category the data uses', () => {
    const keys = result.entries.map((e) => `${e.wildcard ? '*' : '='}${e.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of result.entries) {
      expect(e.name.trim()).toBe(e.name);
      expect(e.name).not.toBe('');
      expect(e.name).not.toMatch(/[*\u00AD\u200B\u0000-\u001F]/);
      expect(OCD_CATEGORIES).toContain(e.category);
      if (e.wildcard) expect(e.name.length).toBeGreaterThanOrEqual(3);
      if (e.provider?.privacyUrl) expect(e.provider.privacyUrl).toMatch(/^https?:\/\//);
    }
    expect(Object.entries(result.categoriesSeen).filter(([, mapped]) => mapped === null)).toEqual([]);
    expect(Object.keys(result.categoriesSeen).sort()).toEqual(['Analytics', 'Functional', 'Marketing', 'Necessary', 'Personalization', 'Security']);
    // Every category of ours is reachable from some spelling.
    expect(new Set(Object.values(CATEGORY_NAMES))).toEqual(new Set(OCD_CATEGORIES));
  });

  it('fixes the known flaws of the pinned copy', () => {
    const find = (name: string, wildcard?: boolean) => result.entries.filter((e) => e.name === name && (wildcard === undefined || e.wildcard === wildcard));
    expect(find('ce_need_secure_cookie')).toHaveLength(1); // was followed by a tab
    expect(find('logglytrackingsession')).toHaveLength(1); // had a soft hyphen inside
    expect(find('SSPR_', true)).toHaveLength(1); // `SSPR_*` with the flag off
    expect(find('SR')).toEqual([expect.objectContaining({ wildcard: false })]); // a 2-letter prefix would match SRCH… and more
    // `token`: Adform (marketing) and Xandr (functional): one entry, the more intrusive.
    expect(find('token')).toEqual([expect.objectContaining({ category: 'marketing' })]);
    // `_s`: Shopify exact (analytics) and Marfeel's `_s` prefix, now exact too: merged.
    expect(find('_s')).toEqual([expect.objectContaining({ category: 'analytics', wildcard: false })]);
    expect(result.entries.filter((e) => e.description === 'Pending')).toEqual([]);
    expect(new Set(result.entries.map((e) => e.retention)).has('Session')).toBe(false);
  });

  it('normalises retention spellings and empties non-answers', () => {
    expect(normaliseRetention('1 Year')).toBe('1 year');
    expect(normaliseRetention(' 30 mins')).toBe('30 minutes');
    expect(normaliseRetention('1 months')).toBe('1 month');
    expect(normaliseRetention('Session')).toBe('session');
    expect(normaliseRetention('End of session (browser)')).toBe('session');
    expect(normaliseRetention('forever')).toBe('persistent');
    expect(normaliseRetention('Unknown')).toBe('');
    expect(normaliseRetention('Awin')).toBe('');
    expect(normaliseRetention('180 days after last activity')).toBe('180 days after last activity');
  });

  it('applies each rule to a small CSV of its own', () => {
    const small = [
      HEADER,
      row('1', 'Functional', '  '),
      row('2', 'Analytics', 'a%ID%b'),
      row('3', 'Tracking', 'odd'),
      row('4', 'functional', 'same'),
      row('5', 'Marketing', 'same'),
      row('6', 'Analytics', 'same'),
      row('7', 'Personalisation', 'pre_', '1'),
      row('8', 'Security', 'star_*'),
      row('9', 'Marketing', 'ab', '1'),
      row('10', 'Necessary', ' keep\u00AD ', '0', { description: ' two   spaces ', retention: '2 Years', platform: '' }),
    ].join('\n');
    const r = importOpenCookieDatabase(small);
    expect(r.rowsIn).toBe(10);
    expect(r.dropped).toEqual({ 'blank name': ['1'], 'junk name': ['2 a%ID%b'], 'unknown category': ['3 odd: "Tracking"'], duplicate: ['4 same', '6 same'] });
    expect(r.categoriesSeen).toMatchObject({ Tracking: null, functional: 'functional', Personalisation: 'preferences' });
    expect(r.entries).toEqual([
      { name: 'ab', wildcard: false, category: 'marketing', provider: expect.any(Object), description: 'Does things', retention: '1 year' },
      // No platform: the data controller names the provider.
      { name: 'keep', wildcard: false, category: 'necessary', provider: { name: 'Vendor BV', privacyUrl: 'https://vendor.example/privacy' }, description: 'two spaces', retention: '2 years' },
      { name: 'pre_', wildcard: true, category: 'preferences', provider: expect.any(Object), description: 'Does things', retention: '1 year' },
      { name: 'same', wildcard: false, category: 'marketing', provider: { name: 'Vendor', controller: 'Vendor BV', privacyUrl: 'https://vendor.example/privacy' }, description: 'Does things', retention: '1 year' },
      { name: 'star_', wildcard: true, category: 'security', provider: expect.any(Object), description: 'Does things', retention: '1 year' },
    ]);
  });

  it('is committed as the import of the committed CSV gives it (else: node scripts/build/open-cookie-database.ts)', () => {
    expect(readFileSync(join(root, OCD_MODULE), 'utf8') === generatedModule(root)).toBe(true);
    expect(OCD_ROWS).toHaveLength(result.entries.length);
    expect(OCD_SOURCE).toMatchObject({ commit: OCD_UPSTREAM.commit, rowsIn: 2264, entries: 2246, licence: 'Apache-2.0' });
    expect(SHIPPED_CATEGORIES).toEqual(OCD_CATEGORIES);
    for (const [, , category, provider] of OCD_ROWS) {
      expect(SHIPPED_CATEGORIES[category]).toBeDefined();
      expect(provider === -1 || OCD_PROVIDERS[provider] !== undefined).toBe(true);
    }
  });

  it('ships with its licence and a notice of where it came from and what the import changed', () => {
    const licence = readFileSync(join(root, OCD_DIR, 'LICENSE'), 'utf8');
    expect(licence).toContain('Apache License');
    expect(licence).toContain('Version 2.0, January 2004');
    const notice = readFileSync(join(root, OCD_DIR, 'README.md'), 'utf8');
    expect(notice).toContain(OCD_UPSTREAM.commit);
    expect(notice).toContain(OCD_UPSTREAM.repository);
    expect(notice).toMatch(/What the import changes/);
    const zip = readFileSync(join(root, 'scripts/build/plugin-zip.ts'), 'utf8');
    expect(zip).toContain(`${OCD_DIR}/LICENSE`);
    for (const file of ['plugin/readme.txt', 'README.md']) expect(readFileSync(join(root, file), 'utf8')).toContain('Open Cookie Database');
  });
});
