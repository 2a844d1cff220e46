// Imports the Open Cookie Database (third-party/open-cookie-database/, Apache-2.0) into the compact table the
// scanner's classification bundles: src/service/scanner/open-cookie-database.ts (committed, generated here).
//   node scripts/build/open-cookie-database.ts [--check]
// The copy in third-party/ is never edited by hand; every fix of its data is a rule below, tested in
// tests/unit/service/open-cookie-database.test.ts, and listed in third-party/open-cookie-database/README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { isMain, repoRoot } from '../util.ts';

export const OCD_DIR = 'third-party/open-cookie-database';
export const OCD_CSV = `${OCD_DIR}/open-cookie-database.csv`;
export const OCD_MODULE = 'src/service/scanner/open-cookie-database.ts';
/** The upstream version the copy is (see its README.md). */
export const OCD_UPSTREAM = { repository: 'jkwakman/Open-Cookie-Database', commit: '0ee5a17fe1cb002943f89370d24fc26a4226061c', date: '2026-01-21' } as const;

/** The categories the import keeps, from least to most intrusive (a merged duplicate takes the most intrusive). */
export const OCD_CATEGORIES = ['necessary', 'security', 'functional', 'preferences', 'analytics', 'marketing'] as const;
export type OcdCategory = (typeof OCD_CATEGORIES)[number];

/** Every spelling of a category the data uses (lower-cased), onto ours. A row with any other category is dropped. */
export const CATEGORY_NAMES: Readonly<Record<string, OcdCategory>> = {
  necessary: 'necessary', 'strictly necessary': 'necessary', essential: 'necessary',
  security: 'security',
  functional: 'functional', functionality: 'functional',
  preferences: 'preferences', personalization: 'preferences', personalisation: 'preferences',
  analytics: 'analytics', statistics: 'analytics', performance: 'analytics',
  marketing: 'marketing', advertising: 'marketing', targeting: 'marketing',
};

/** Wildcard prefixes shorter than this match too much (`SR`, `_s`): they are kept as exact names. */
export const MIN_PREFIX_LENGTH = 3;

const COLUMNS = {
  id: 'ID', platform: 'Platform', category: 'Category', name: 'Cookie / Data Key name', domain: 'Domain',
  description: 'Description', retention: 'Retention period', controller: 'Data Controller',
  privacyUrl: 'User Privacy & GDPR Rights Portals', wildcard: 'Wildcard match',
} as const;

export interface OcdProvider {
  name: string;
  controller?: string;
  privacyUrl?: string;
}

export interface OcdImportEntry {
  name: string;
  /** The name is a prefix: it matches every name that starts with it. */
  wildcard: boolean;
  category: OcdCategory;
  provider?: OcdProvider;
  description: string;
  /** How long it is kept, in a normalised spelling ("1 year", "session"); empty when the data does not say. */
  retention: string;
}

export type DropReason = 'blank name' | 'junk name' | 'unknown category' | 'duplicate';

export interface OcdImport {
  rowsIn: number;
  entries: OcdImportEntry[];
  dropped: Record<DropReason, string[]>;
  /** Rows changed on the way in, by rule (e.g. "trimmed name"): how many. */
  fixes: Record<string, number>;
  /** Raw category spellings seen, each with the category it became (or null: dropped). */
  categoriesSeen: Record<string, OcdCategory | null>;
}

/** Invisible format characters (soft hyphen, zero-width spaces, BOM) that creep into copied names. */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const CONTROL = /[\u0000-\u001F\u007F]/;
/** Placeholders such as `%INTEGER%`: a pattern someone wrote down, not a name a browser holds. */
const PLACEHOLDER = /%[A-Z_]+%/;

/** Descriptions that say nothing yet. */
const NO_DESCRIPTION = /^(pending|tbd|todo|n\/a|unknown|-+)$/i;

const clean = (text: string | undefined): string => (text ?? '').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();

const UNITS: Record<string, string> = {
  s: 'second', sec: 'second', secs: 'second', second: 'second', seconds: 'second',
  min: 'minute', mins: 'minute', minute: 'minute', minutes: 'minute',
  h: 'hour', hour: 'hour', hours: 'hour', day: 'day', days: 'day', week: 'week', weeks: 'week', w: 'week',
  month: 'month', months: 'month', year: 'year', years: 'year', y: 'year',
};
const SESSION = /^(sessions?|seesion|session cookie|end of (the )?(browser )?session.*)$/i;
const PERSISTENT = /^(forever|unlimited|persistent|permanent|no expiration)$/i;

/** "1 Year", "30 mins", "Session", "End of session (browser)" → "1 year", "30 minutes", "session"; "Unknown" and other non-answers → "". */
export function normaliseRetention(raw: string): string {
  const text = clean(raw);
  if (SESSION.test(text)) return 'session';
  if (PERSISTENT.test(text)) return 'persistent';
  const simple = /^(\d+)\s*([a-z]+)$/i.exec(text);
  const unit = simple ? UNITS[simple[2]!.toLowerCase()] : undefined;
  if (simple && unit) return `${Number(simple[1])} ${unit}${Number(simple[1]) === 1 ? '' : 's'}`;
  // Anything else that names no duration ("Unknown", "Varies", a vendor's name) says nothing.
  return /\d/.test(text) || /session/i.test(text) ? text : '';
}

const intrusiveness = (category: OcdCategory): number => OCD_CATEGORIES.indexOf(category);

/** Cleans the CSV's rows into entries: one per name and wildcard flag. Pure, so that the test can prove each rule. */
export function importOpenCookieDatabase(csv: string): OcdImport {
  const rows = parse(csv, { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  const dropped: OcdImport['dropped'] = { 'blank name': [], 'junk name': [], 'unknown category': [], duplicate: [] };
  const fixes: Record<string, number> = {};
  const fix = (rule: string): void => { fixes[rule] = (fixes[rule] ?? 0) + 1; };
  const categoriesSeen: Record<string, OcdCategory | null> = {};
  const byKey = new Map<string, OcdImportEntry & { id: string }>();

  for (const row of rows) {
    const id = row[COLUMNS.id] ?? '?';
    const rawName = row[COLUMNS.name] ?? '';
    let name = clean(rawName);
    if (name !== rawName) fix('name trimmed or invisible characters removed');
    if (!name) { dropped['blank name'].push(id); continue; }
    if (CONTROL.test(name) || PLACEHOLDER.test(name) || name.length > 200) { dropped['junk name'].push(`${id} ${name}`); continue; }

    const rawCategory = clean(row[COLUMNS.category]);
    const category = CATEGORY_NAMES[rawCategory.toLowerCase()] ?? null;
    categoriesSeen[rawCategory] = category;
    if (!category) { dropped['unknown category'].push(`${id} ${name}: "${rawCategory}"`); continue; }

    let wildcard = clean(row[COLUMNS.wildcard]) === '1';
    if (name.endsWith('*')) {
      // A few rows mark the prefix in the name instead of the flag.
      name = name.replace(/\*+$/, '');
      if (!wildcard) fix('trailing * read as the wildcard flag');
      wildcard = true;
      if (!name) { dropped['junk name'].push(`${id} *`); continue; }
    }
    if (wildcard && name.length < MIN_PREFIX_LENGTH) {
      wildcard = false;
      fix(`prefix shorter than ${MIN_PREFIX_LENGTH} kept as an exact name`);
    }

    const platform = clean(row[COLUMNS.platform]);
    const controller = clean(row[COLUMNS.controller]);
    const privacyUrl = clean(row[COLUMNS.privacyUrl]);
    const providerName = platform || controller;
    const provider: OcdProvider | undefined = providerName ? {
      name: providerName,
      ...(controller && controller !== providerName ? { controller } : {}),
      ...(/^https?:\/\/\S+$/.test(privacyUrl) ? { privacyUrl } : {}),
    } : undefined;
    const retention = normaliseRetention(row[COLUMNS.retention] ?? '');
    if (retention !== clean(row[COLUMNS.retention])) fix('retention normalised');
    let description = clean(row[COLUMNS.description]);
    if (description !== (row[COLUMNS.description] ?? '')) fix('description whitespace cleaned');
    if (NO_DESCRIPTION.test(description)) {
      description = '';
      fix('placeholder description ("Pending") emptied');
    }
    const entry = { name, wildcard, category, ...(provider ? { provider } : {}), description, retention, id };

    const key = `${wildcard ? '*' : '='}${name}`;
    const kept = byKey.get(key);
    if (!kept) { byKey.set(key, entry); continue; }
    // The same name from several vendors: one entry, the most intrusive category (a scan must never under-report).
    const wins = intrusiveness(category) > intrusiveness(kept.category);
    dropped.duplicate.push(`${wins ? kept.id : id} ${name}${wildcard ? '*' : ''}`);
    if (wins) byKey.set(key, entry);
  }
  const entries = [...byKey.values()].map(({ id: _, ...entry }) => entry as OcdImportEntry).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Number(a.wildcard) - Number(b.wildcard)));
  return { rowsIn: rows.length, entries, dropped, fixes, categoriesSeen };
}

const literal = (value: string): string => JSON.stringify(value);

/** The generated module: providers once each, then one line per entry. */
export function renderModule(result: OcdImport): string {
  const providers: OcdProvider[] = [];
  const providerIndex = new Map<string, number>();
  const indexOf = (provider: OcdProvider | undefined): number => {
    if (!provider) return -1;
    const key = JSON.stringify([provider.name, provider.controller ?? '', provider.privacyUrl ?? '']);
    let index = providerIndex.get(key);
    if (index === undefined) {
      index = providers.push(provider) - 1;
      providerIndex.set(key, index);
    }
    return index;
  };
  const lines = result.entries.map((e) =>
    `  [${literal(e.name)}, ${e.wildcard ? 1 : 0}, ${OCD_CATEGORIES.indexOf(e.category)}, ${indexOf(e.provider)}, ${literal(e.description)}, ${literal(e.retention)}],`);
  const providerLines = providers.map((p) => `  [${[p.name, p.controller ?? '', p.privacyUrl ?? ''].map(literal).join(', ')}],`);
  return `// Generated by scripts/build/open-cookie-database.ts from ${OCD_CSV}; do not edit.
// Open Cookie Database, https://github.com/${OCD_UPSTREAM.repository} (commit ${OCD_UPSTREAM.commit.slice(0, 12)},
// ${OCD_UPSTREAM.date}), Apache License 2.0: see ${OCD_DIR}/LICENSE and README.md for what the import changed.

export const OCD_SOURCE = {
  repository: ${literal(OCD_UPSTREAM.repository)}, commit: ${literal(OCD_UPSTREAM.commit)}, date: ${literal(OCD_UPSTREAM.date)},
  licence: 'Apache-2.0', rowsIn: ${result.rowsIn}, entries: ${result.entries.length},
} as const;

/** The categories of the data, from least to most intrusive. */
export const OCD_CATEGORIES = ${JSON.stringify(OCD_CATEGORIES).replace(/"/g, "'").replace(/,/g, ', ')} as const;
export type OcdCategory = (typeof OCD_CATEGORIES)[number];

/** Platform, data controller (empty: the platform itself), privacy portal (empty: none given). */
export type OcdProviderRow = readonly [name: string, controller: string, privacyUrl: string];
/** Name, 1 when the name is a prefix, index in OCD_CATEGORIES, index in OCD_PROVIDERS (-1: none), description, retention (empty: unknown). */
export type OcdRow = readonly [name: string, wildcard: 0 | 1, category: number, provider: number, description: string, retention: string];

export const OCD_PROVIDERS: readonly OcdProviderRow[] = [
${providerLines.join('\n')}
];

export const OCD_ROWS: readonly OcdRow[] = [
${lines.join('\n')}
];
`;
}

/** The module as the committed CSV gives it. */
export function generatedModule(root = repoRoot): string {
  return renderModule(importOpenCookieDatabase(readFileSync(join(root, OCD_CSV), 'utf8')));
}

if (isMain(import.meta.url)) {
  const text = generatedModule();
  const path = join(repoRoot, OCD_MODULE);
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== text) {
      console.error(`${OCD_MODULE} is stale: run node scripts/build/open-cookie-database.ts`);
      process.exit(1);
    }
  } else {
    writeFileSync(path, text);
    const result = importOpenCookieDatabase(readFileSync(join(repoRoot, OCD_CSV), 'utf8'));
    const dropped = Object.entries(result.dropped).map(([reason, rows]) => `${rows.length} ${reason}`).join(', ');
    console.log(`${OCD_MODULE}: ${result.rowsIn} rows in, ${result.entries.length} entries out (dropped: ${dropped})`);
    for (const [rule, count] of Object.entries(result.fixes)) console.log(`  fixed: ${rule}: ${count}`);
  }
}
