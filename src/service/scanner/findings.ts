/**
 * What a scan's pages come to: the distinct items and hosts found (each with
 * the first page and pass it was seen on, and its classification), the
 * violations, and the difference from the site's previous scan. Pure.
 *
 * A violation is a non-necessary item (a storage item, or a host of the
 * tracker catalogue) present in the `before` pass or the `reject` pass of a
 * page: set before any choice, or despite "Reject all".
 *
 * An unclassified item in those passes is not a violation: nothing says it
 * needs consent, and calling it one would make every site with a cookie of
 * its own (a load balancer's, a theme's) fail the report until someone
 * classified it. It is *flagged* instead, so that the report says "n items in
 * those passes still need a category" and a person decides. Classifying it
 * (an override) turns it into a violation or not on the next scan.
 */
import {
  SCAN_PASSES, type ScanDiffEntry as SharedScanDiffEntry, type ScanDiffKind, type ScanPass, type ScanViolation as SharedScanViolation, type StorageKind,
} from '#shared/consent.ts';
import type { Classification, Classifier, HostClassification } from './classify.ts';
import type { CapturedHost, CapturedItem, PageResult } from './engine-types.ts';

export type CookieAttributes = NonNullable<CapturedItem['attributes']>;
/** The passes a violation can be in. */
export type ViolationPass = Extract<ScanPass, 'before' | 'reject'>;
const VIOLATION_PASSES: readonly ScanPass[] = ['before', 'reject'] satisfies ViolationPass[];

/** A violation (the shared shape) and what classified the item. */
export interface ScanViolation extends SharedScanViolation {
  source: NonNullable<Classification['source']>;
}

/** An unclassified item present before any choice or after "Reject all": not a violation, but to be classified. */
export interface FlaggedItem {
  pageUrl: string;
  pass: ViolationPass;
  kind: StorageKind;
  name: string;
  domain: string;
}

export interface ScannedItem {
  kind: StorageKind;
  name: string;
  domain: string;
  /** The attributes of the first sighting (cookies only). */
  attributes: CookieAttributes | null;
  firstPageUrl: string;
  firstPass: ScanPass;
  /** Every pass it was seen in, on any page, in pass order. */
  passes: ScanPass[];
  /** Pages it was seen on. */
  pages: number;
  classification: Classification;
}

export interface ScannedHost {
  host: string;
  resourceTypes: CapturedHost['resourceType'][];
  firstPageUrl: string;
  firstPass: ScanPass;
  passes: ScanPass[];
  pages: number;
  classification: HostClassification;
}

export interface ScanSummary {
  items: ScannedItem[];
  hosts: ScannedHost[];
  violations: ScanViolation[];
  flagged: FlaggedItem[];
  /** Distinct items without a category (`categoryKey` null), the ones no source knows and the ones the site has no category for. */
  unclassified: number;
}

/** The identity of an item across passes, pages and scans. */
export const itemKey = (item: { kind: string; name: string; domain: string }): string => `${item.kind}\u0000${item.name}\u0000${item.domain}`;

const passOrder = (a: ScanPass, b: ScanPass): number => SCAN_PASSES.indexOf(a) - SCAN_PASSES.indexOf(b);
const addPass = (passes: ScanPass[], pass: ScanPass): void => {
  if (!passes.includes(pass)) {
    passes.push(pass);
    passes.sort(passOrder);
  }
};
const isViolationPass = (pass: ScanPass): pass is ViolationPass => VIOLATION_PASSES.includes(pass);

/**
 * Items, hosts, violations and flagged items of a scan's pages, in the order the pages are given (within a page,
 * pass by pass). Each item is classified once.
 */
export function summariseScan(pages: readonly PageResult[], classifier: Classifier): ScanSummary {
  const items = new Map<string, ScannedItem & { seenOn: Set<string> }>();
  const hosts = new Map<string, ScannedHost & { seenOn: Set<string> }>();
  const violations: ScanViolation[] = [];
  const flagged: FlaggedItem[] = [];
  const reported = new Set<string>();

  for (const page of pages) {
    const byPass = <T extends { pass: ScanPass }>(list: readonly T[]): T[] => [...list].sort((a, b) => passOrder(a.pass, b.pass));
    for (const captured of byPass(page.items)) {
      const key = itemKey(captured);
      let item = items.get(key);
      if (!item) {
        item = {
          kind: captured.kind, name: captured.name, domain: captured.domain, attributes: captured.attributes ?? null,
          firstPageUrl: page.url, firstPass: captured.pass, passes: [], pages: 0, seenOn: new Set(),
          classification: classifier.item(captured),
        };
        items.set(key, item);
      }
      addPass(item.passes, captured.pass);
      item.seenOn.add(page.url);
      if (!isViolationPass(captured.pass)) continue;
      const once = `${page.url}\u0000${captured.pass}\u0000${key}`;
      if (reported.has(once)) continue;
      reported.add(once);
      const { classification } = item;
      const where = { pageUrl: page.url, pass: captured.pass, kind: captured.kind, name: captured.name, domain: captured.domain };
      if (classification.source === null) flagged.push(where);
      else if (!classification.necessary) violations.push({ ...where, categoryKey: classification.categoryKey, source: classification.source });
    }
    for (const captured of byPass(page.hosts)) {
      const name = captured.host.toLowerCase();
      let host = hosts.get(name);
      if (!host) {
        host = {
          host: name, resourceTypes: [], firstPageUrl: page.url, firstPass: captured.pass, passes: [], pages: 0, seenOn: new Set(),
          classification: classifier.host(name),
        };
        hosts.set(name, host);
      }
      if (!host.resourceTypes.includes(captured.resourceType)) host.resourceTypes.push(captured.resourceType);
      addPass(host.passes, captured.pass);
      host.seenOn.add(page.url);
      const { classification } = host;
      if (!isViolationPass(captured.pass) || classification.source === null || classification.necessary) continue;
      const once = `${page.url}\u0000${captured.pass}\u0000host\u0000${name}`;
      if (reported.has(once)) continue;
      reported.add(once);
      violations.push({
        pageUrl: page.url, pass: captured.pass, kind: 'host', name, domain: name, categoryKey: classification.categoryKey, source: classification.source,
      });
    }
  }
  const finish = <T extends { seenOn: Set<string>; pages: number }>(entry: T): Omit<T, 'seenOn'> => {
    const { seenOn, ...rest } = entry;
    return { ...rest, pages: seenOn.size };
  };
  const itemList = [...items.values()].map(finish);
  return {
    items: itemList,
    hosts: [...hosts.values()].map(finish),
    violations,
    flagged,
    unclassified: itemList.filter((i) => i.classification.categoryKey === null).length,
  };
}

// ---- The difference from the previous scan ----

/** What the diff compares of an item. */
export interface DiffableItem {
  kind: StorageKind;
  name: string;
  domain: string;
  categoryKey: string | null;
  attributes?: CookieAttributes | null;
  passes?: readonly ScanPass[];
}

/** What can change between two scans of the same item. */
export const DIFF_FIELDS = ['categoryKey', 'domain', 'httpOnly', 'secure', 'sameSite', 'path', 'expires', 'passes'] as const;
export type DiffField = (typeof DIFF_FIELDS)[number];

/** One entry of the diff (the shared shape), its fields in DIFF_FIELDS order. */
export interface ScanDiffEntry extends SharedScanDiffEntry {
  fields: DiffField[];
}

/**
 * Whether two lifetimes differ for a person reading the declaration: session against persistent, or persistent
 * ones that differ by more than a tenth (and an hour). Lifetimes are counted from each scan's time, so a cookie
 * with a fixed expiry date reads a little shorter every month; that is not a change.
 */
export function lifetimeChanged(before: number | null | undefined, after: number | null | undefined): boolean {
  const a = before ?? null;
  const b = after ?? null;
  if (a === null || b === null) return a !== b;
  return Math.abs(a - b) > Math.max(3600, 0.1 * Math.max(Math.abs(a), Math.abs(b)));
}

function changedFields(before: DiffableItem, after: DiffableItem): DiffField[] {
  const fields = new Set<DiffField>();
  if (before.categoryKey !== after.categoryKey) fields.add('categoryKey');
  if (before.domain !== after.domain) fields.add('domain');
  const a = before.attributes ?? {};
  const b = after.attributes ?? {};
  if (Boolean(a.httpOnly) !== Boolean(b.httpOnly)) fields.add('httpOnly');
  if (Boolean(a.secure) !== Boolean(b.secure)) fields.add('secure');
  if ((a.sameSite ?? '').toLowerCase() !== (b.sameSite ?? '').toLowerCase()) fields.add('sameSite');
  if ((a.path ?? '/') !== (b.path ?? '/')) fields.add('path');
  if ((before.kind === 'cookie' || after.kind === 'cookie') && lifetimeChanged(a.expiresInSeconds, b.expiresInSeconds)) fields.add('expires');
  if (before.passes && after.passes && [...before.passes].sort().join() !== [...after.passes].sort().join()) fields.add('passes');
  return DIFF_FIELDS.filter((f) => fields.has(f));
}

const CHANGE_ORDER: Record<ScanDiffKind, number> = { added: 0, removed: 1, changed: 2 };

/**
 * The difference between the previous scan's items and this one's, keyed by kind, name and domain: added,
 * removed, and changed (category, attributes, passes). An item that left one domain for exactly one other (same
 * kind and name, e.g. `.example.com` → `www.example.com`) is one change of `domain`, not a removal and an addition.
 * Items given twice under the same key count once (the first).
 */
export function diffScans(previous: readonly DiffableItem[], current: readonly DiffableItem[]): ScanDiffEntry[] {
  const index = (list: readonly DiffableItem[]): Map<string, DiffableItem> => {
    const map = new Map<string, DiffableItem>();
    for (const item of list) if (!map.has(itemKey(item))) map.set(itemKey(item), item);
    return map;
  };
  const before = index(previous);
  const after = index(current);
  const entries: ScanDiffEntry[] = [];
  const added: DiffableItem[] = [];
  const removed: DiffableItem[] = [];
  for (const [key, item] of after) {
    const old = before.get(key);
    if (!old) added.push(item);
    else {
      const fields = changedFields(old, item);
      if (fields.length) entries.push({ change: 'changed', kind: item.kind, name: item.name, domain: item.domain, fields });
    }
  }
  for (const [key, item] of before) if (!after.has(key)) removed.push(item);

  // A move between domains: exactly one removal and one addition of the same kind and name.
  const byName = (list: DiffableItem[]): Map<string, DiffableItem[]> => {
    const map = new Map<string, DiffableItem[]>();
    for (const item of list) {
      const key = `${item.kind}\u0000${item.name}`;
      map.set(key, [...(map.get(key) ?? []), item]);
    }
    return map;
  };
  const addedByName = byName(added);
  const removedByName = byName(removed);
  const moved = new Set<DiffableItem>();
  for (const [key, gone] of removedByName) {
    const come = addedByName.get(key);
    if (gone.length !== 1 || come?.length !== 1) continue;
    const [old, item] = [gone[0]!, come[0]!];
    moved.add(old).add(item);
    entries.push({ change: 'changed', kind: item.kind, name: item.name, domain: item.domain, previousDomain: old.domain, fields: changedFields(old, item) });
  }
  for (const item of added) if (!moved.has(item)) entries.push({ change: 'added', kind: item.kind, name: item.name, domain: item.domain, fields: [] });
  for (const item of removed) if (!moved.has(item)) entries.push({ change: 'removed', kind: item.kind, name: item.name, domain: item.domain, fields: [] });

  return entries.sort((a, b) => CHANGE_ORDER[a.change] - CHANGE_ORDER[b.change] || itemKey(a).localeCompare(itemKey(b)));
}

/** How many entries of each kind a diff has (the scan's counts and `scan.completed`'s). */
export function diffCounts(entries: readonly ScanDiffEntry[]): Record<ScanDiffKind, number> {
  const counts: Record<ScanDiffKind, number> = { added: 0, removed: 0, changed: 0 };
  for (const e of entries) counts[e.change]++;
  return counts;
}
