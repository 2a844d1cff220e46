import type { Category, ConsentAction, ConsentEvent, Site, SiteStatus } from '../../shared/consent.ts';

/** Plans an account can be on; `self_hosted` is the default and has no limits. */
export const PLANS = ['self_hosted', 'pro', 'enterprise', 'enterprise_plus'] as const;
export type Plan = (typeof PLANS)[number];

export interface Account {
  id: string;
  name: string;
  plan: Plan;
  createdAt: string;
}

export type KeyMode = 'live' | 'test';

export interface ApiKey {
  id: string;
  accountId: string;
  name: string;
  /** Prefix and last four characters, for people to recognise a key. */
  hint: string;
  mode: KeyMode;
  createdAt: string;
  revokedAt: string | null;
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

export interface DailyConsentCount {
  date: string;
  action: ConsentAction;
  count: number;
}

/**
 * Everything the domain needs from storage. One implementation per backend;
 * all writes resolve only once they are durable.
 */
export interface Store {
  close(): Promise<void>;

  createAccount(account: Account): Promise<void>;
  getAccount(id: string): Promise<Account | null>;
  setAccountPlan(id: string, plan: Plan): Promise<boolean>;

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

  appendConsentEvent(event: ConsentEvent): Promise<void>;
  listConsentEvents(siteId: string, query: ConsentEventQuery): Promise<{ events: ConsentEvent[]; total: number }>;
  dailyConsentCounts(siteId: string, fromDate: string): Promise<DailyConsentCount[]>;

  /** Counts a pageview unless the same session saw the same page recently; answers the month's count. */
  recordPageview(input: PageviewInput): Promise<number>;
  pageviewCount(siteId: string, month: string): Promise<number>;
}
