import type {
  Account, ApiKey as PublicApiKey, AuditEntry as PublicAuditEntry, Category, ConsentAction, ConsentEvent, DisplayProfile, InventoryEntry, Plan,
  ReviewState, InventorySource, Scan, ScanDiffEntry, ScanFlaggedItem, ScanHost, ScanItem, ScanPageState, ScanPass, ScanState, ScanViolation, Site,
  SiteStatus, StorageKind,
  WebhookDelivery as PublicWebhookDelivery, WebhookEndpoint as PublicWebhookEndpoint,
} from '#shared/consent.ts';

export { PLANS } from '#shared/consent.ts';
export type { DeliveryState, KeyMode, Plan, WebhookEventType } from '#shared/consent.ts';

/** An account as stored: `email` unmasked (the API masks it), `ipAllowlist` the CIDR ranges secret-key calls must come from. */
export type { Account };

/** A secret key's record; `hint` is its prefix and last four characters, for people to recognise it. */
export interface ApiKey extends PublicApiKey {
  accountId: string;
}

export interface SiteRecord extends Site {
  accountId: string;
}

export interface Page {
  limit: number;
  offset: number;
}

export interface ConsentEventQuery extends Page {
  /** Keyset position: events strictly older than this (createdAt, id) pair. */
  before?: { createdAt: string; id: string };
  action?: ConsentAction;
  from?: string;
  to?: string;
}

/** What narrows a list or an export of consent events. */
export type ConsentEventFilters = Pick<ConsentEventQuery, 'action' | 'from' | 'to'>;

export interface PageviewInput {
  siteId: string;
  sessionId: string;
  pageUrl: string;
  /** Month key `YYYY-MM` of `now`. */
  month: string;
  now: string;
  /** A repeat of the same page by the same session newer than this does not count. */
  repeatAfter: string;
  test: boolean;
}

export type IdempotencyState =
  | { state: 'new' }
  | { state: 'running'; requestHash: string }
  | { state: 'done'; requestHash: string; status: number; response: string };

export interface AuditEntry extends PublicAuditEntry {
  accountId: string | null;
}

export interface AuditQuery extends Page {
  before?: { createdAt: string; id: string };
  method?: string;
  status?: number;
  from?: string;
  to?: string;
}

export { WEBHOOK_EVENTS } from '#shared/consent.ts';

export interface WebhookEndpoint extends PublicWebhookEndpoint {
  accountId: string;
  /** Signing secret (`whsec_…`); kept readable because deliveries are signed with it. */
  secret: string;
}

export interface WebhookDelivery extends PublicWebhookDelivery {
  accountId: string;
}

export interface DeliveryClaim {
  now: string;
  lockedUntil: string;
  limit: number;
  /** No account gets more than this many deliveries in flight, counting `inFlight`. */
  perAccount: number;
  /** Deliveries each account already has in flight: an account with fewer goes first. */
  inFlight: ReadonlyMap<string, number>;
}

/** An account's plan with an end date, as the expiry check reads it. */
export interface PlanEnding {
  accountId: string;
  plan: Plan;
  expiresAt: string;
  /** The nearest warning already sent (days before the end), or null. */
  warnedDays: number | null;
}

export interface DailyConsentCount {
  date: string;
  action: ConsentAction;
  count: number;
}

/** Told of each durable write, for the service's metrics; every call is on the write's path, so it must be cheap. */
/** Uses of one display-preferences profile on one site in one hour (`hour`: the hour's start, ISO). */
export interface DisplayUsageCount {
  siteId: string;
  hour: string;
  profile: DisplayProfile;
  count: number;
}

/** A site's hour with uses whose `a11y.profile_used` is not sent yet. */
export interface DisplayUsageHour {
  siteId: string;
  hour: string;
}

export interface StoreObserver {
  /** A write took this long (seconds) from being queued to being durable. */
  write(seconds: number): void;
  /** One fsync of the SQLite log took this long (seconds). */
  fsync(seconds: number): void;
  /** This many consent events were durably written. */
  consentEvents(count: number): void;
}

/**
 * Everything the domain needs from storage. One implementation per backend;
 * all writes resolve only once they are durable.
 */
export interface Store {
  close(): Promise<void>;
  /** Readiness: answers once the database answers a query; throws otherwise. */
  ping(): Promise<void>;
  /** From now on, tells `observer` of each write (the metrics). */
  observe(observer: StoreObserver): void;
  /** Webhook deliveries waiting to be sent, and those that failed for good (kept 30 days). */
  webhookOutbox(): Promise<{ pending: number; failed: number }>;

  createAccount(account: Account): Promise<void>;
  getAccount(id: string): Promise<Account | null>;
  /** Sets the plan and its end date (null: none); clears the warnings sent for an earlier end date. */
  setAccountPlan(id: string, plan: Plan, expiresAt?: string | null): Promise<boolean>;
  /** Accounts whose plan ends at or before `before`, soonest first. */
  plansEndingBefore(before: string): Promise<PlanEnding[]>;
  /**
   * Notes that the warning `days` before the end was sent, with its deliveries, in one transaction; false (and
   * nothing written) when the plan or its end changed, or this or a nearer warning was already sent.
   */
  recordPlanWarning(ending: PlanEnding, days: number, deliveries: WebhookDelivery[]): Promise<boolean>;
  /** Moves the account to `fallback` and clears the end date, with its deliveries, in one transaction; false when already done. */
  expirePlan(ending: PlanEnding, fallback: Plan, deliveries: WebhookDelivery[]): Promise<boolean>;
  setAccountAllowlist(id: string, cidrs: string[]): Promise<void>;

  /** Adds to the counts of display-preferences uses (one transaction), and marks each site's hour as one to notify. */
  addDisplayUsage(counts: DisplayUsageCount[]): Promise<void>;
  /** A site's counts in hours from `from` (inclusive) to `to` (exclusive), oldest first. */
  displayUsage(siteId: string, from: string, to: string): Promise<DisplayUsageCount[]>;
  /** Sites' hours with uses, starting before `before`, whose `a11y.profile_used` is not sent yet; oldest first. */
  displayUsageHoursToNotify(before: string, limit: number): Promise<DisplayUsageHour[]>;
  /** Notes the hour as sent, with its deliveries, in one transaction; false (nothing written) when it was already. */
  markDisplayUsageNotified(hour: DisplayUsageHour, at: string, deliveries: WebhookDelivery[]): Promise<boolean>;

  createApiKey(key: ApiKey, hash: string): Promise<void>;
  findApiKeyByHash(hash: string): Promise<ApiKey | null>;
  listApiKeys(accountId: string): Promise<ApiKey[]>;
  revokeApiKey(accountId: string, keyId: string, at: string): Promise<boolean>;

  createSite(site: SiteRecord, categories: Category[]): Promise<void>;
  getSite(id: string): Promise<SiteRecord | null>;
  getSiteByPublicKey(publicKey: string): Promise<SiteRecord | null>;
  listSites(accountId: string, page: Page, status?: SiteStatus): Promise<{ sites: SiteRecord[]; total: number }>;
  updateSite(site: SiteRecord): Promise<void>;

  listCategories(siteId: string): Promise<Category[]>;
  /** Throws UniqueViolation when the key is taken on the site. */
  createCategory(category: Category): Promise<void>;
  updateCategory(category: Category): Promise<void>;
  deleteCategory(siteId: string, categoryId: string): Promise<boolean>;
  setCategoryOrder(siteId: string, order: Array<{ id: string; sortOrder: number }>, at: string): Promise<void>;

  /** Appends events and the webhook deliveries they cause, all in one transaction. */
  appendConsentEvents(events: ConsentEvent[], deliveries: WebhookDelivery[]): Promise<void>;
  /** Data-subject erasure: removes one visitor's events; answers how many. */
  eraseConsentEvents(siteId: string, consentId: string): Promise<number>;
  listConsentEvents(siteId: string, query: ConsentEventQuery): Promise<{ events: ConsentEvent[]; total: number }>;
  /** Every matching event of a site, newest first, in pages of `pageSize`: for exports, so nothing is counted. */
  streamConsentEvents(siteId: string, filters: ConsentEventFilters, pageSize: number): AsyncIterable<ConsentEvent[]>;
  dailyConsentCounts(siteId: string, fromDate: string): Promise<DailyConsentCount[]>;

  /** Counts a pageview unless the same session saw the same page recently; answers the month's count. */
  recordPageview(input: PageviewInput): Promise<number>;
  pageviewCount(siteId: string, month: string): Promise<number>;
  /** True the first time a threshold is recorded for the site and month. */
  recordQuotaWarning(siteId: string, month: string, threshold: number, at: string, deliveries: WebhookDelivery[]): Promise<boolean>;

  /** Claims an idempotency key, or answers what it already holds. Running claims older than `staleBefore` are taken over. */
  claimIdempotencyKey(scope: string, key: string, requestHash: string, at: string, staleBefore: string): Promise<IdempotencyState>;
  completeIdempotencyKey(scope: string, key: string, status: number, response: string): Promise<void>;
  releaseIdempotencyKey(scope: string, key: string): Promise<void>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(accountId: string, query: AuditQuery): Promise<{ entries: AuditEntry[]; total: number }>;

  createWebhookEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  listWebhookEndpoints(accountId: string): Promise<WebhookEndpoint[]>;
  updateWebhookEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  deleteWebhookEndpoint(accountId: string, endpointId: string): Promise<boolean>;
  enqueueDeliveries(deliveries: WebhookDelivery[]): Promise<void>;
  /** Locks up to `limit` due deliveries until `lockedUntil` and answers them, accounts taking turns (see DeliveryClaim). */
  claimDueDeliveries(claim: DeliveryClaim): Promise<WebhookDelivery[]>;
  saveDeliveryAttempt(delivery: WebhookDelivery): Promise<void>;
  listDeliveries(endpointId: string, page: Page): Promise<{ deliveries: WebhookDelivery[]; total: number }>;
  getDelivery(deliveryId: string): Promise<WebhookDelivery | null>;
  /** The next time a pending delivery is due, if any. */
  nextDeliveryDue(): Promise<string | null>;

  /** Retention: drops audit entries, idempotency keys and finished deliveries older than the given times. */
  purge(before: { audit: string; idempotency: string; deliveries: string }): Promise<void>;
  /** Retention of proof: drops consent events older than `before`; answers how many, by account. */
  purgeConsentEvents(before: string): Promise<Array<{ accountId: string; count: number }>>;

  // Cookie scans and the cookie inventory

  /**
   * Queues a scan and clears the site's next scheduled scan, in one transaction. Throws UniqueViolation when the
   * site already has a queued or running scan: the store, not memory, keeps one scan per site (any instance).
   */
  createScan(scan: ScanRecord): Promise<void>;
  getScan(id: string): Promise<ScanRecord | null>;
  /** A site's scans, newest first. */
  listScans(siteId: string, page: Page, state?: ScanState): Promise<{ scans: ScanRecord[]; total: number }>;
  /** Queued scans, oldest first. */
  queuedScans(limit: number): Promise<ScanRecord[]>;
  /** Running scans whose runner's lease ran out before `now` (its instance stopped), oldest first. */
  orphanedScans(now: string, limit: number): Promise<ScanRecord[]>;
  /**
   * Takes a scan to run: a queued one (it becomes running) or an orphaned running one (its lease as read), only if
   * it is still as read, so that two instances never run one scan. `resumed` counts a take-over.
   */
  claimScan(claim: ScanClaim): Promise<boolean>;
  /** Extends this runner's leases; answers the ids of the scans it still runs (a cancelled one is gone). */
  renewScanLeases(runner: string, leaseUntil: string): Promise<string[]>;
  /** Lets go of this runner's running scans (it stops): any instance may take them over at once. */
  releaseScans(runner: string): Promise<void>;
  /** Raises pagesPlanned (never lowers it) while the runner holds the scan. */
  setScanPlanned(scanId: string, runner: string, pagesPlanned: number): Promise<void>;
  /** Records a finished page and counts it, in one transaction; false (nothing written) when the runner no longer holds the scan. */
  recordScanPage(runner: string, page: ScanPageRecord, leaseUntil: string): Promise<boolean>;
  scanPages(scanId: string): Promise<ScanPageRecord[]>;
  scanItems(scanId: string): Promise<ScanItem[]>;
  /** What a finished scan found beside its items (empty lists before it finished). */
  scanResults(scanId: string): Promise<ScanResults>;
  /** The site's newest scan that finished with a result (completed or partial) other than `exceptId`. */
  previousResultScan(siteId: string, exceptId: string): Promise<ScanRecord | null>;
  /**
   * Ends a scan with everything it found, in one transaction: its state, counts and results, its items, the
   * inventory merged (see InventoryMerge), the site's next scheduled scan, and the webhook deliveries. Only if the
   * scan is still in `from` (and held by `runner` when given); false and nothing written otherwise.
   */
  finishScan(finish: ScanFinish): Promise<boolean>;
  /** Cancels a queued or running scan; false when it had already ended. */
  cancelScan(scanId: string, at: string): Promise<boolean>;
  /** Sites whose next scheduled scan is due at `now`, soonest first. */
  sitesDueForScan(now: string, limit: number): Promise<SiteRecord[]>;
  /** Active sites with rescans on, no next scan written and no scan queued or running (to compute their next scan). */
  sitesWithoutNextScan(limit: number): Promise<Array<{ site: SiteRecord; lastScanAt: string | null }>>;
  setScanNextAt(siteId: string, nextAt: string | null): Promise<void>;

  listInventory(siteId: string, query: InventoryQuery): Promise<{ entries: InventoryRecord[]; total: number }>;
  /** Every inventory entry of a site (for classification and the merge of a scan). */
  allInventory(siteId: string): Promise<InventoryRecord[]>;
  getInventoryEntry(siteId: string, id: string): Promise<InventoryRecord | null>;
  /** Throws UniqueViolation when kind, name and domain exist on the site. */
  createInventoryEntry(entry: InventoryRecord): Promise<void>;
  updateInventoryEntry(entry: InventoryRecord): Promise<void>;
  deleteInventoryEntry(siteId: string, id: string): Promise<boolean>;
}

export interface ScanResults {
  hosts: ScanHost[];
  violations: ScanViolation[];
  flagged: ScanFlaggedItem[];
  diff: ScanDiffEntry[];
}

/** A scan as stored: the runner that holds it and until when, and how often it was taken over after a stop. */
export interface ScanRecord extends Scan {
  runner: string | null;
  leaseUntil: string | null;
  resumes: number;
}

export interface ScanClaim {
  scanId: string;
  runner: string;
  leaseUntil: string;
  now: string;
  /** `queued`: a scan waiting to start; `orphaned`: a running scan whose lease, as read, ran out. */
  from: { state: 'queued' } | { state: 'running'; leaseUntil: string | null };
}

/** What one page of a scan found, as the engine reported it: kept so that a restarted scan skips it and the results can be built. */
export interface ScanPageRecord {
  scanId: string;
  url: string;
  /** Order in which pages were done. */
  seq: number;
  depth: number;
  state: ScanPageState;
  error: string | null;
  bannerFound: boolean;
  passes: ScanPass[];
  items: Array<{
    kind: StorageKind; name: string; domain: string; pass: ScanPass;
    attributes?: { httpOnly?: boolean; secure?: boolean; sameSite?: string; path?: string; expiresInSeconds?: number | null };
  }>;
  hosts: Array<{ host: string; resourceType: ScanHost['resourceTypes'][number]; pass: ScanPass }>;
  scannedAt: string;
}

/** An inventory entry as stored: `editedAt` is set once a person changed it (a rescan then keeps its fields). */
export interface InventoryRecord extends InventoryEntry {
  editedAt: string | null;
}

export interface InventoryQuery extends Page {
  kind?: StorageKind;
  reviewState?: ReviewState;
  source?: InventorySource;
  categoryKey?: string;
  unclassified?: boolean;
}

/**
 * An item a scan found, merged into the inventory by kind, name and domain: a new entry (review `todo`, source
 * `scan`), or the existing one seen again (lastSeen, lastScanId; provider, purpose, retention and category refreshed
 * only while no person has edited it).
 */
export interface InventoryMerge {
  id: string;
  kind: StorageKind;
  name: string;
  domain: string;
  provider: string;
  purpose: string;
  retention: string;
  categoryKey: string | null;
}

export interface ScanFinish {
  scanId: string;
  siteId: string;
  from: 'queued' | 'running';
  runner: string | null;
  state: Exclude<ScanState, 'queued' | 'running'>;
  reason: Scan['reason'];
  message: string | null;
  counts: Scan['counts'];
  pagesPlanned?: number;
  finishedAt: string;
  hosts: ScanHost[];
  violations: ScanViolation[];
  flagged: ScanFlaggedItem[];
  diff: ScanDiffEntry[];
  items: ScanItem[];
  inventory: InventoryMerge[];
  /** The site's next scheduled scan (null: none). */
  nextScanAt: string | null;
  deliveries: WebhookDelivery[];
}
