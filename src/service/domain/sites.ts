import { withDisplayPreferences, type Category, type SiteConfig } from '#shared/consent.ts';
import { SEEDED_KEYS, trackerCookies } from '#shared/trackers.ts';
import { ApiError, UniqueViolation } from './errors.ts';
import type { Clock } from './clock.ts';
import { newId, newPublicKey } from './ids.ts';
import type { CreateCategoryInput, CreateSiteInput, ReorderInput, UpdateCategoryInput, UpdateSiteInput } from '#shared/schemas.ts';
import { PAGEVIEW_LIMITS } from './plans.ts';
import type { Page, SiteRecord, Store } from './store.ts';

/** What the visitor endpoints need of a site, read once per few seconds instead of once per request. */
export interface VisitorView {
  site: SiteRecord;
  categories: Category[];
  pageviewLimit: number | null;
}

/**
 * How long a visitor view is reused. Changes made through this instance take
 * effect at once (the cache is cleared); other instances see them within this time.
 */
export const VISITOR_VIEW_TTL_MS = 2000;

type CategorySeed = Pick<Category, 'key' | 'nameEn' | 'descriptionEn' | 'translations' | 'isRequired' | 'isDefault' | 'wpConsentCategory' | 'cookies' | 'blockPatterns'>;

/** The three categories every new site starts with; the cookies of the catalogue's trackers are deleted on revoke. */
const SEED_CATEGORIES: CategorySeed[] = [
  {
    key: 'necessary', nameEn: 'Necessary', isRequired: true, isDefault: true, wpConsentCategory: 'functional',
    descriptionEn: 'Needed for the site to work: security, the consent choice itself, sign-in. Always on.',
    translations: { tr: { name: 'Zorunlu', description: 'Sitenin çalışması için gerekli: güvenlik, onay tercihinin kendisi, oturum açma. Her zaman açık.' } },
    cookies: [], blockPatterns: [],
  },
  {
    key: SEEDED_KEYS.statistics, nameEn: 'Analytics', isRequired: false, isDefault: false, wpConsentCategory: 'statistics',
    descriptionEn: 'Helps us understand how the site is used, through anonymous statistics.',
    translations: { tr: { name: 'Analitik', description: 'Sitenin nasıl kullanıldığını anonim istatistiklerle anlamamıza yardımcı olur.' } },
    cookies: trackerCookies('statistics'), blockPatterns: [],
  },
  {
    key: SEEDED_KEYS.marketing, nameEn: 'Marketing', isRequired: false, isDefault: false, wpConsentCategory: 'marketing',
    descriptionEn: 'Used to show relevant advertising and measure campaigns across sites.',
    translations: { tr: { name: 'Pazarlama', description: 'İlgili reklamları göstermek ve kampanyaları siteler arasında ölçmek için kullanılır.' } },
    cookies: trackerCookies('marketing'), blockPatterns: [],
  },
];

/**
 * Whether a page belongs to a site: its host is the site's domain or a subdomain of it, on any port
 * (`shop.example.com:8443` is on `example.com`). A site on a loopback name (`localhost:8888`, a test or wp-env
 * install) takes pages on any loopback name: the same machine is reached as localhost, 127.0.0.1 or [::1].
 */
export function isPageOfSite(domain: string, pageUrl: string): boolean {
  let host = plainHost(pageUrl);
  if (host === null) {
    try {
      host = new URL(pageUrl).hostname;
    } catch {
      return false;
    }
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  const colon = domain.lastIndexOf(':');
  const siteHost = (colon === -1 ? domain : domain.slice(0, colon)).toLowerCase();
  if (host === siteHost || (host.endsWith(siteHost) && host[host.length - siteHost.length - 1] === '.')) return true;
  return isLoopback(siteHost) && isLoopback(host);
}

/**
 * The host of an http(s) URL whose authority is plain (lower-case letters, digits, dots, hyphens, a port) and does
 * not end in a digit, or null: what `new URL()` answers for those, at a tenth of its cost on this busy path. Anything
 * else (user info, `\\`, escapes, capitals, IDN, IP literals and numeric shorthand) is left to `new URL()`.
 */
function plainHost(url: string): string | null {
  const start = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
  if (start === -1) return null;
  let end = start;
  let colon = -1;
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end);
    if (c === 47 || c === 63 || c === 35) break; // / ? #
    if (c === 58 && colon === -1) colon = end;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 45)) return null;
  }
  const host = url.slice(start, colon === -1 ? end : colon);
  const last = host.charCodeAt(host.length - 1);
  return host.length === 0 || (last >= 48 && last <= 57) ? null : host;
}

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** Refuses a visitor write whose page is not on the key's site (422 DOMAIN_MISMATCH); the field as the body names it. */
export function requirePageOfSite(site: Pick<SiteRecord, 'domain'>, pageUrl: string | undefined, field: string): void {
  if (pageUrl === undefined || isPageOfSite(site.domain, pageUrl)) return;
  throw new ApiError('DOMAIN_MISMATCH', `${field} is not on this site's domain (${site.domain} or a subdomain of it)`, { field, domain: site.domain });
}

/** Rescans of a new site: on, every 30 days. */
export const DEFAULT_SCAN_SCHEDULE = { enabled: true, intervalDays: 30 } as const;

/** When a site's next scheduled scan is due: `intervalDays` after its last scan (or its creation); null when rescans are off. */
export function nextScanAt(schedule: { enabled: boolean; intervalDays: number }, since: string): string | null {
  return schedule.enabled ? new Date(Date.parse(since) + schedule.intervalDays * 24 * 60 * 60 * 1000).toISOString() : null;
}

export class Sites {
  private readonly visitorViews = new Map<string, { expires: number; view: VisitorView | null }>();

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** The cached answer of visitorView, or undefined when it must be looked up. */
  cachedVisitorView(publicKey: string): VisitorView | null | undefined {
    const cached = this.visitorViews.get(publicKey);
    return cached && cached.expires > performance.now() ? cached.view : undefined;
  }

  /** The active site of a public key with its categories and plan limit; null for unknown keys and deleted sites. */
  async visitorView(publicKey: string): Promise<VisitorView | null> {
    const now = performance.now();
    const cached = this.visitorViews.get(publicKey);
    if (cached && cached.expires > now) return cached.view;
    const site = await this.store.getSiteByPublicKey(publicKey);
    let view: VisitorView | null = null;
    if (site && site.status === 'active') {
      const [categories, account] = await Promise.all([this.store.listCategories(site.id), this.store.getAccount(site.accountId)]);
      view = { site, categories, pageviewLimit: account ? PAGEVIEW_LIMITS[account.plan] : null };
    }
    if (this.visitorViews.size > 10_000) this.visitorViews.clear();
    this.visitorViews.set(publicKey, { expires: now + VISITOR_VIEW_TTL_MS, view });
    return view;
  }

  /** Called after every change to a site or its categories. */
  private changed(): void {
    this.visitorViews.clear();
  }

  /** A site the account owns; another account's site is "not found", never a leak. */
  async owned(accountId: string, siteId: string): Promise<SiteRecord> {
    const site = await this.store.getSite(siteId);
    if (!site || site.accountId !== accountId) throw ApiError.notFound('Site');
    return site;
  }

  list(accountId: string, page: Page, status?: SiteRecord['status']) {
    return this.store.listSites(accountId, page, status);
  }

  async create(accountId: string, input: CreateSiteInput): Promise<{ site: SiteRecord; categories: Category[] }> {
    const now = this.clock.now();
    const at = now.toISOString();
    const site: SiteRecord = {
      id: newId('site', now.getTime()), accountId, name: input.name, domain: input.domain.toLowerCase(), status: 'active',
      publicKey: newPublicKey(), config: withDisplayPreferences((input.config ?? {}) as SiteConfig),
      scanSchedule: { ...DEFAULT_SCAN_SCHEDULE, ...stripUndefined(input.scanSchedule ?? {}), nextAt: null }, createdAt: at, updatedAt: at,
    };
    site.scanSchedule.nextAt = nextScanAt(site.scanSchedule, at);
    const categories = SEED_CATEGORIES.map((seed, sortOrder): Category => ({
      ...seed, id: newId('cat', now.getTime()), siteId: site.id, sortOrder, createdAt: at, updatedAt: at,
    }));
    await this.store.createSite(site, categories);
    return { site, categories };
  }

  async update(accountId: string, siteId: string, input: UpdateSiteInput): Promise<SiteRecord> {
    const site = await this.owned(accountId, siteId);
    const updated: SiteRecord = {
      ...site,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.domain !== undefined && { domain: input.domain.toLowerCase() }),
      ...(input.config !== undefined && { config: withDisplayPreferences(input.config as SiteConfig) }),
      ...(input.status !== undefined && { status: input.status }),
      updatedAt: this.clock.now().toISOString(),
    };
    if (input.scanSchedule) {
      const schedule = { ...site.scanSchedule, ...stripUndefined(input.scanSchedule) };
      const [last] = (await this.store.listScans(siteId, { limit: 1, offset: 0 })).scans;
      const active = last !== undefined && (last.state === 'queued' || last.state === 'running');
      // While a scan is queued or running the next one is set when it ends.
      updated.scanSchedule = { ...schedule, nextAt: active ? null : nextScanAt(schedule, last ? (last.finishedAt ?? last.createdAt) : site.createdAt) };
    }
    await this.store.updateSite(updated);
    this.changed();
    return updated;
  }

  /** Soft delete: the site stops serving visitors; its consent events stay readable. */
  remove(accountId: string, siteId: string): Promise<SiteRecord> {
    return this.update(accountId, siteId, { status: 'deleted' });
  }

  async rotatePublicKey(accountId: string, siteId: string): Promise<SiteRecord> {
    const site = await this.owned(accountId, siteId);
    const updated = { ...site, publicKey: newPublicKey(), updatedAt: this.clock.now().toISOString() };
    await this.store.updateSite(updated);
    this.changed();
    return updated;
  }

  categories(siteId: string): Promise<Category[]> {
    return this.store.listCategories(siteId);
  }

  async createCategory(accountId: string, siteId: string, input: CreateCategoryInput): Promise<Category> {
    await this.owned(accountId, siteId);
    const existing = await this.store.listCategories(siteId);
    const now = this.clock.now();
    const category: Category = {
      id: newId('cat', now.getTime()), siteId, key: input.key, nameEn: input.nameEn, descriptionEn: input.descriptionEn ?? '',
      translations: input.translations ?? {}, isRequired: input.isRequired ?? false, isDefault: input.isDefault ?? false,
      sortOrder: existing.reduce((max, c) => Math.max(max, c.sortOrder + 1), 0),
      wpConsentCategory: input.wpConsentCategory ?? 'preferences', cookies: input.cookies ?? [], blockPatterns: input.blockPatterns ?? [],
      createdAt: now.toISOString(), updatedAt: now.toISOString(),
    };
    try {
      await this.store.createCategory(category);
    } catch (error) {
      if (error instanceof UniqueViolation) {
        throw ApiError.conflict(`A category with key "${input.key}" already exists on this site`, { field: 'key' });
      }
      throw error;
    }
    this.changed();
    return category;
  }

  private async ownedCategory(accountId: string, siteId: string, categoryId: string): Promise<Category> {
    await this.owned(accountId, siteId);
    const category = (await this.store.listCategories(siteId)).find((c) => c.id === categoryId);
    if (!category) throw ApiError.notFound('Category');
    return category;
  }

  async updateCategory(accountId: string, siteId: string, categoryId: string, input: UpdateCategoryInput): Promise<Category> {
    const category = await this.ownedCategory(accountId, siteId, categoryId);
    const updated: Category = { ...category, ...stripUndefined(input), updatedAt: this.clock.now().toISOString() };
    await this.store.updateCategory(updated);
    this.changed();
    return updated;
  }

  async deleteCategory(accountId: string, siteId: string, categoryId: string): Promise<void> {
    const category = await this.ownedCategory(accountId, siteId, categoryId);
    if (category.isRequired) {
      throw ApiError.conflict(`"${category.key}" is a required category and cannot be deleted`, { field: 'isRequired' });
    }
    await this.store.deleteCategory(siteId, categoryId);
    this.changed();
  }

  async reorderCategories(accountId: string, siteId: string, input: ReorderInput): Promise<Category[]> {
    await this.owned(accountId, siteId);
    const known = new Set((await this.store.listCategories(siteId)).map((c) => c.id));
    const seen = new Set<string>();
    const fields = input.order.flatMap((item, i) => {
      if (!known.has(item.id)) return [{ field: `order/${i}/id`, message: 'is not a category of this site' }];
      if (seen.has(item.id)) return [{ field: `order/${i}/id`, message: 'appears more than once' }];
      seen.add(item.id);
      return [];
    });
    if (fields.length) throw ApiError.validation(fields);
    await this.store.setCategoryOrder(siteId, input.order, this.clock.now().toISOString());
    this.changed();
    return this.store.listCategories(siteId);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
