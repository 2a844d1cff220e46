import type { ScanDetail, ScanFailureReason, ScanItem, ScanState, ScanTrigger } from '#shared/consent.ts';
import type { CreateInventoryInput, CreateScanInput, InventoryListInput, ScanListInput, UpdateInventoryInput } from '#shared/schemas.ts';
import { createClassifier, type ClassificationOverride } from '../scanner/classify.ts';
import type { EngineOutcome, PageResult } from '../scanner/engine-types.ts';
import { diffCounts, diffScans, itemKey, summariseScan, type DiffableItem } from '../scanner/findings.ts';
import type { Clock } from './clock.ts';
import { ApiError, UniqueViolation } from './errors.ts';
import { newId } from './ids.ts';
import { isPageOfSite, nextScanAt, type Sites } from './sites.ts';
import type { InventoryMerge, InventoryRecord, ScanPageRecord, ScanRecord, SiteRecord, Store } from './store.ts';
import type { Webhooks } from './webhooks.ts';

/** Pages a scan visits unless told otherwise. */
export const DEFAULT_PAGE_BUDGET = 50;

const EMPTY_COUNTS = { items: 0, unclassified: 0, violations: 0, flagged: 0, added: 0, removed: 0, changed: 0 };

/** The scan as the API shows it: who runs it stays internal. */
export const publicScan = ({ runner: _runner, leaseUntil: _lease, resumes: _resumes, ...scan }: ScanRecord) => scan;

/** How a scan ended, as the runner tells it. */
export interface ScanEnd {
  state: Exclude<ScanState, 'queued' | 'running'>;
  reason?: ScanFailureReason | undefined;
  message?: string | undefined;
}

/**
 * Cookie scans of a site and its cookie inventory. A scan is queued here and run by the scan runner
 * (scan-runner.ts), which reports its pages and its end back through recordPage and finish; everything is kept in
 * the store, so that a scan outlives the instance that started it.
 */
export class Scans {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sites: Sites,
    private readonly webhooks: Webhooks,
    /** Told when a scan was queued, so that a runner can start it at once. */
    private readonly onQueued: () => void = () => {},
    /** Told when a scan was cancelled, so that the runner holding it here stops its engine at once. */
    private readonly onCancelled: (scanId: string) => void = () => {},
  ) {}

  /**
   * Queues a scan of a site: 202 at the API. The start URL must be on the site's domain or a subdomain of it (any
   * port); one scan per site is queued or running at a time (409 otherwise, enforced by the store).
   */
  async start(accountId: string, siteId: string, input: CreateScanInput): Promise<ScanRecord> {
    const site = await this.sites.owned(accountId, siteId);
    if (site.status !== 'active') throw ApiError.conflict('The site is deleted: it cannot be scanned', { status: site.status });
    const startUrl = input.startUrl ?? `https://${site.domain}/`;
    if (!isPageOfSite(site.domain, startUrl)) {
      throw new ApiError('DOMAIN_MISMATCH', `startUrl is not on this site's domain (${site.domain} or a subdomain of it)`, { field: 'startUrl', domain: site.domain });
    }
    return this.queue(site, 'manual', {
      startUrl, pageBudget: input.pageBudget ?? DEFAULT_PAGE_BUDGET, include: input.include ?? [], exclude: input.exclude ?? [],
    });
  }

  /** A scheduled rescan of a site, with the default options; null when one is already queued or running. */
  async startScheduled(site: SiteRecord): Promise<ScanRecord | null> {
    try {
      return await this.queue(site, 'schedule', { startUrl: `https://${site.domain}/`, pageBudget: DEFAULT_PAGE_BUDGET, include: [], exclude: [] });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CONFLICT_ERROR') return null;
      throw error;
    }
  }

  private async queue(site: SiteRecord, trigger: ScanTrigger, options: { startUrl: string; pageBudget: number; include: string[]; exclude: string[] }) {
    const now = this.clock.now();
    const { startUrl, ...rest } = options;
    const scan: ScanRecord = {
      id: newId('scan', now.getTime()), siteId: site.id, state: 'queued', trigger, startUrl, options: rest,
      pagesPlanned: 0, pagesDone: 0, pagesFailed: 0, counts: { ...EMPTY_COUNTS }, reason: null, message: null,
      createdAt: now.toISOString(), startedAt: null, finishedAt: null, runner: null, leaseUntil: null, resumes: 0,
    };
    try {
      await this.store.createScan(scan);
    } catch (error) {
      if (error instanceof UniqueViolation) {
        const [active] = (await this.store.listScans(site.id, { limit: 1, offset: 0 })).scans;
        throw ApiError.conflict('A scan of this site is already queued or running; cancel it or wait for it to end', { scanId: active?.id ?? null });
      }
      throw error;
    }
    this.onQueued();
    return scan;
  }

  async list(accountId: string, siteId: string, query: ScanListInput) {
    await this.sites.owned(accountId, siteId);
    return this.store.listScans(siteId, { limit: query.limit ?? 20, offset: query.offset ?? 0 }, query.state);
  }

  private async owned(accountId: string, siteId: string, scanId: string): Promise<ScanRecord> {
    await this.sites.owned(accountId, siteId);
    const scan = await this.store.getScan(scanId);
    if (!scan || scan.siteId !== siteId) throw ApiError.notFound('Scan');
    return scan;
  }

  /** A scan with its pages, and once it finished its items, hosts, violations, flagged items and diff. */
  async detail(accountId: string, siteId: string, scanId: string): Promise<ScanDetail> {
    const scan = await this.owned(accountId, siteId, scanId);
    const [pages, items, results] = await Promise.all([this.store.scanPages(scanId), this.store.scanItems(scanId), this.store.scanResults(scanId)]);
    const violationsOf = new Map<string, number>();
    for (const v of results.violations) violationsOf.set(v.pageUrl, (violationsOf.get(v.pageUrl) ?? 0) + 1);
    return {
      scan: publicScan(scan),
      pages: pages.map((p) => ({
        url: p.url, depth: p.depth, state: p.state, error: p.error, bannerFound: p.bannerFound, passes: p.passes,
        items: new Set(p.items.map(itemKey)).size, violations: violationsOf.get(p.url) ?? 0, scannedAt: p.scannedAt,
      })),
      items, ...results,
    };
  }

  /** Cancels a queued or running scan (its runner stops it); one that already ended is a 409. */
  async cancel(accountId: string, siteId: string, scanId: string): Promise<ScanRecord> {
    const scan = await this.owned(accountId, siteId, scanId);
    const at = this.clock.now().toISOString();
    if (!(await this.store.cancelScan(scanId, at))) {
      const now = await this.store.getScan(scanId);
      throw ApiError.conflict(`The scan has already ended (${now?.state ?? scan.state})`, { state: now?.state ?? scan.state });
    }
    this.onCancelled(scanId);
    // The site's next scheduled scan counts from now.
    const site = await this.store.getSite(siteId);
    if (site) await this.store.setScanNextAt(siteId, nextScanAt(site.scanSchedule, at));
    return (await this.store.getScan(scanId))!;
  }

  /** Records a page the engine finished; false when the runner no longer holds the scan (cancelled, taken over). */
  recordPage(scan: ScanRecord, runner: string, page: PageResult, seq: number, leaseUntil: string): Promise<boolean> {
    const record: ScanPageRecord = {
      scanId: scan.id, url: page.url, seq, depth: page.depth, state: page.state, error: page.error ?? null, bannerFound: page.bannerFound,
      passes: page.passes, items: page.items, hosts: page.hosts, scannedAt: this.clock.now().toISOString(),
    };
    return this.store.recordScanPage(runner, record, leaseUntil);
  }

  /**
   * Ends a scan: classifies what its pages found, lists violations and flagged items, diffs it against the site's
   * previous scan with a result, merges its items into the inventory, sets the site's next scheduled scan and queues
   * `scan.completed` or `scan.failed`, all in one transaction; only if the scan is still `from` (held by `runner`).
   */
  async finish(scan: ScanRecord, from: 'queued' | 'running', runner: string | null, end: ScanEnd): Promise<boolean> {
    const [site, pages] = await Promise.all([this.store.getSite(scan.siteId), this.store.scanPages(scan.id)]);
    if (!site) return false;
    const finishedAt = this.clock.now().toISOString();
    const pagesDone = pages.length;
    const pagesFailed = pages.filter((p) => p.state === 'failed').length;
    let { state } = end;
    let reason = end.reason ?? null;
    let message = end.message ?? null;
    // An ended scan with pages done has a result; without any, it failed.
    if ((state === 'completed' || state === 'partial') && pagesDone === 0) {
      state = 'failed';
      reason ??= 'unreachable';
      message ??= 'No page of the site could be scanned';
    }
    if (state === 'completed' && pagesFailed > 0) state = 'partial';
    const withResult = state === 'completed' || state === 'partial';

    let counts = { ...EMPTY_COUNTS };
    let items: ScanItem[] = [];
    let inventory: InventoryMerge[] = [];
    let results = { hosts: [] as ScanDetail['hosts'], violations: [] as ScanDetail['violations'], flagged: [] as ScanDetail['flagged'], diff: [] as ScanDetail['diff'] };
    if (withResult) {
      const [categories, entries, previous] = await Promise.all([
        this.store.listCategories(site.id), this.store.allInventory(site.id), this.store.previousResultScan(site.id, scan.id),
      ]);
      // People's choices win: entries added by hand or edited, that have a category.
      const overrides: ClassificationOverride[] = entries
        .filter((e) => e.categoryKey !== null && (e.source === 'manual' || e.editedAt !== null))
        .map((e) => ({ kind: e.kind, name: e.name, domain: e.domain, categoryKey: e.categoryKey! }));
      const summary = summariseScan(pages.map(toPageResult), createClassifier(categories, overrides));
      const byKey = new Map(entries.map((e) => [itemKey(e), e]));
      const at = this.clock.now().getTime();
      items = summary.items.map((item) => ({ ...item, inventoryId: byKey.get(itemKey(item))?.id ?? newId('ck', at) }));
      inventory = items.map((item) => ({
        id: item.inventoryId!, kind: item.kind, name: item.name, domain: item.domain, provider: item.classification.provider,
        purpose: item.classification.purpose, retention: item.classification.retention, categoryKey: item.classification.categoryKey,
      }));
      const diff = previous ? diffScans((await this.store.scanItems(previous.id)).map(diffable), items.map(diffable)) : [];
      const changes = diffCounts(diff);
      results = { hosts: summary.hosts, violations: summary.violations, flagged: summary.flagged, diff };
      counts = {
        items: items.length, unclassified: summary.unclassified, violations: summary.violations.length, flagged: summary.flagged.length, ...changes,
      };
    }
    const stamps = { started_at: scan.startedAt, finished_at: finishedAt };
    const common = { scan_id: scan.id, site_id: site.id, domain: site.domain, trigger: scan.trigger };
    const deliveries = withResult
      ? await this.webhooks.deliveriesFor(site.accountId, 'scan.completed', {
        ...common, state: state as 'completed' | 'partial', partial: state === 'partial', reason,
        counts: {
          pages: pagesDone, pages_failed: pagesFailed, items: counts.items, added: counts.added, removed: counts.removed, changed: counts.changed,
          unclassified: counts.unclassified, violations: counts.violations,
        },
        ...stamps,
      })
      : state === 'failed'
        ? await this.webhooks.deliveriesFor(site.accountId, 'scan.failed', {
          ...common, reason: reason ?? 'internal', message: message ?? 'The scan failed', ...stamps,
        })
        : [];
    const done = await this.store.finishScan({
      scanId: scan.id, siteId: site.id, from, runner, state, reason: state === 'failed' ? (reason ?? 'internal') : reason, message,
      counts, pagesPlanned: pagesDone, finishedAt, ...results, items, inventory,
      nextScanAt: site.status === 'active' ? nextScanAt(site.scanSchedule, finishedAt) : null, deliveries,
    });
    if (done && deliveries.length) this.webhooks.queued();
    return done;
  }

  /** An engine outcome as the end of a scan. */
  static endOf(outcome: EngineOutcome): ScanEnd {
    return { state: outcome.state, reason: outcome.reason, message: outcome.message };
  }

  // The cookie inventory

  async inventory(accountId: string, siteId: string, query: InventoryListInput) {
    await this.sites.owned(accountId, siteId);
    const { kind, reviewState, source, categoryKey, unclassified } = query;
    return this.store.listInventory(siteId, {
      limit: query.limit ?? 20, offset: query.offset ?? 0,
      ...(kind && { kind }), ...(reviewState && { reviewState }), ...(source && { source }), ...(categoryKey && { categoryKey }),
      ...(unclassified !== undefined && { unclassified }),
    });
  }

  private async checkCategory(siteId: string, categoryKey: string | null | undefined): Promise<void> {
    if (categoryKey === undefined || categoryKey === null) return;
    const categories = await this.store.listCategories(siteId);
    if (!categories.some((c) => c.key === categoryKey)) throw ApiError.validation([{ field: 'categoryKey', message: 'is not a category of this site' }]);
  }

  /** A manual entry; 409 when the site's inventory already holds its kind, name and domain. */
  async createEntry(accountId: string, siteId: string, input: CreateInventoryInput): Promise<InventoryRecord> {
    await this.sites.owned(accountId, siteId);
    await this.checkCategory(siteId, input.categoryKey);
    const now = this.clock.now();
    const at = now.toISOString();
    const entry: InventoryRecord = {
      id: newId('ck', now.getTime()), siteId, kind: input.kind, name: input.name, domain: input.domain ?? '',
      provider: input.provider ?? '', purpose: input.purpose ?? '', retention: input.retention ?? '', categoryKey: input.categoryKey ?? null,
      reviewState: input.reviewState ?? 'done', translations: input.translations ?? {}, source: 'manual', editedAt: at,
      firstSeenAt: null, lastSeenAt: null, lastScanId: null, createdAt: at, updatedAt: at,
    };
    try {
      await this.store.createInventoryEntry(entry);
    } catch (error) {
      if (error instanceof UniqueViolation) {
        throw ApiError.conflict('The inventory already has this item (same kind, name and domain)', { field: 'name' });
      }
      throw error;
    }
    return entry;
  }

  /** A person's change: kept by every later scan. */
  async updateEntry(accountId: string, siteId: string, entryId: string, input: UpdateInventoryInput): Promise<InventoryRecord> {
    await this.sites.owned(accountId, siteId);
    const entry = await this.store.getInventoryEntry(siteId, entryId);
    if (!entry) throw ApiError.notFound('Inventory entry');
    await this.checkCategory(siteId, input.categoryKey);
    const at = this.clock.now().toISOString();
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<InventoryRecord>;
    const updated: InventoryRecord = { ...entry, ...changes, editedAt: at, updatedAt: at };
    await this.store.updateInventoryEntry(updated);
    return updated;
  }

  async deleteEntry(accountId: string, siteId: string, entryId: string): Promise<void> {
    await this.sites.owned(accountId, siteId);
    if (!(await this.store.deleteInventoryEntry(siteId, entryId))) throw ApiError.notFound('Inventory entry');
  }
}

/** A stored page as the engine reported it. */
function toPageResult(p: ScanPageRecord): PageResult {
  return {
    url: p.url, depth: p.depth, state: p.state, ...(p.error !== null && { error: p.error }), bannerFound: p.bannerFound, passes: p.passes,
    items: p.items, hosts: p.hosts,
  };
}

const diffable = (item: ScanItem): DiffableItem => ({
  kind: item.kind, name: item.name, domain: item.domain, categoryKey: item.classification.categoryKey, attributes: item.attributes, passes: item.passes,
});
