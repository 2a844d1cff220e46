import type { BannerConfigResponse, Category, ConsentAction, ConsentEvent, UsageReport } from '#shared/consent.ts';
import { keysetPage } from './cursor.ts';
import { ApiError } from './errors.ts';
import { isoTime, type Clock } from './clock.ts';
import { newId } from './ids.ts';
import { anonymizeIp } from './ip.ts';
import { PAGEVIEW_LIMITS } from './plans.ts';
import { maskEmails } from './privacy.ts';
import type { EventListInput, HeartbeatInput, RecordConsentInput } from '#shared/schemas.ts';
import type { Webhooks } from './webhooks.ts';
import type { WebhookEventType } from './store.ts';
import type { VisitorView } from './sites.ts';
import type { ConsentEventFilters, SiteRecord, Store } from './store.ts';

/** A reload of the same page by the same session within this window counts once. */
export const PAGEVIEW_REPEAT_WINDOW_MS = 30 * 60 * 1000;

/** What the request tells about the visitor; the raw IP is anonymised before it is kept. */
export interface VisitorContext {
  ip: string | null;
  userAgent: string | null;
  test: boolean;
}

/**
 * How far back a secret-key caller may date a choice (`occurredAt`): a plugin that held choices while the service was
 * down sends them on with the visitor's time. Older than this is refused rather than kept as proof of an unknown past.
 */
export const MAX_BACKDATE_MS = 30 * 24 * 60 * 60 * 1000;
/** A time this far ahead of the service's clock is the caller's clock running fast: recorded as now. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** What happens once a site's pageviews pass its plan's monthly allowance. */
export type PageviewOverage = 'allow' | 'block';
/** Events read per query of an export. */
const EXPORT_PAGE = 1000;

export const QUOTA_THRESHOLDS = [80, 90, 100] as const;

const WEBHOOK_EVENT_OF: Record<ConsentAction, WebhookEventType> = {
  accept_all: 'consent.given', reject_all: 'consent.rejected', custom: 'consent.updated', withdraw: 'consent.updated',
};

type ConsentInput = Omit<RecordConsentInput, 'siteId'>;

export class Consent {
  private readonly warned = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly webhooks: Webhooks,
    private readonly overage: PageviewOverage = 'allow',
  ) {}

  /** Records one event, durable before it resolves, with the webhook deliveries it causes. */
  async record(view: Pick<VisitorView, 'site' | 'categories'>, input: ConsentInput, visitor: VisitorContext): Promise<ConsentEvent> {
    const invalid = this.invalidFields(view, input);
    if (invalid.length) throw ApiError.validation(invalid);
    const event = this.build(view, input, visitor);
    await this.append(view.site.accountId, [event]);
    return event;
  }

  /** Records many events at once: all of them or none; per-item errors on 422. */
  async recordBatch(items: Array<{ view: Pick<VisitorView, 'site' | 'categories'>; input: ConsentInput }>, visitor: VisitorContext, accountId: string): Promise<ConsentEvent[]> {
    const fields = items.flatMap(({ view, input }, i) =>
      this.invalidFields(view, input).map(({ field, message }) => ({ field: `events/${i}/${field}`, message })));
    if (fields.length) throw ApiError.validation(fields, 'Some events are not valid; none was recorded');
    const events = items.map(({ view, input }) => this.build(view, input, visitor));
    await this.append(accountId, events);
    return events;
  }

  /** What the schema cannot check: the site's category keys, and the time and address a secret-key caller gave. */
  private invalidFields({ categories }: Pick<VisitorView, 'categories'>, input: ConsentInput): Array<{ field: string; message: string }> {
    const { known } = categoryIndex(categories);
    const invalid: Array<{ field: string; message: string }> = [];
    for (const key in input.categories) if (!known.has(key)) invalid.push({ field: `categories/${key}`, message: 'is not a category of this site' });
    if (input.occurredAt !== undefined) {
      const at = Date.parse(input.occurredAt);
      const now = this.clock.now().getTime();
      if (Number.isNaN(at) || at < now - MAX_BACKDATE_MS) invalid.push({ field: 'occurredAt', message: 'must be a time within the last 30 days' });
      else if (at > now + CLOCK_SKEW_MS) invalid.push({ field: 'occurredAt', message: 'must not be in the future' });
    }
    if (input.visitorIp !== undefined && anonymizeIp(input.visitorIp) === null) invalid.push({ field: 'visitorIp', message: 'must be an IPv4 or IPv6 address' });
    return invalid;
  }

  private async append(accountId: string, events: ConsentEvent[]): Promise<void> {
    // Most accounts have no endpoint: then there is nothing to build (known without a query while cached).
    const deliveries = this.webhooks.knownUnsubscribed(accountId) ? [] : (await Promise.all(events.map((event) =>
      this.webhooks.deliveriesFor(accountId, WEBHOOK_EVENT_OF[event.action], { event })))).flat();
    await this.store.appendConsentEvents(events, deliveries);
    if (deliveries.length) this.webhooks.queued();
  }

  /** Data-subject request: removes every event of one visitor on a site. */
  erase(siteId: string, consentId: string): Promise<number> {
    return this.store.eraseConsentEvents(siteId, consentId);
  }

  private build({ site, categories }: Pick<VisitorView, 'site' | 'categories'>, input: ConsentInput, visitor: VisitorContext): ConsentEvent {
    // Required categories are granted whatever the payload says: the proof shows what was in force.
    const { keys, required } = categoryIndex(categories);
    // Without a prototype: a key `__proto__` (refused now, but a site may have one from before) stays a choice.
    const choices: Record<string, boolean> = Object.create(null);
    for (let i = 0; i < keys.length; i++) choices[keys[i]!] = required[i]! || input.categories[keys[i]!] === true;
    const clock = this.clock.now().getTime();
    // A choice sent on later keeps the visitor's time (checked by invalidFields); the id is of its arrival.
    const now = input.occurredAt === undefined ? clock : Math.min(Date.parse(input.occurredAt), clock);
    const userAgent = input.userAgent ?? visitor.userAgent;
    return {
      id: newId('evt', clock),
      siteId: site.id,
      consentId: input.consentId,
      action: input.action,
      categories: choices,
      policyVersion: input.policyVersion,
      language: input.language ?? null,
      pageUrl: input.pageUrl ? maskEmails(input.pageUrl) : null,
      userAgent: userAgent ? userAgent.slice(0, 512) : null,
      ipAnonymized: anonymizeIp(input.visitorIp ?? visitor.ip),
      gpc: input.gpc ?? false,
      test: visitor.test,
      createdAt: isoTime(now),
    };
  }

  list(siteId: string, query: EventListInput) {
    const { limit = 50, offset = 0, cursor, ...filters } = query;
    return keysetPage({ limit, offset, cursor }, async (page) => {
      const { events, total } = await this.store.listConsentEvents(siteId, { ...page, ...filters });
      return { rows: events, total };
    });
  }

  /** Every event of a site matching the filters, newest first, a page at a time. */
  export(siteId: string, filters: ConsentEventFilters): AsyncIterable<ConsentEvent[]> {
    return this.store.streamConsentEvents(siteId, filters, EXPORT_PAGE);
  }

  async heartbeat({ site, pageviewLimit: limit }: VisitorView, input: HeartbeatInput, test: boolean) {
    const now = this.clock.now();
    const month = now.toISOString().slice(0, 7);
    if (this.overage === 'block' && limit !== null && !test && (await this.store.pageviewCount(site.id, month)) >= limit) {
      throw new ApiError('AUTHORIZATION_ERROR', 'This site has used its monthly pageviews; the plan limit was reached', { plan_limit: limit });
    }
    const count = await this.store.recordPageview({
      siteId: site.id, sessionId: input.session_id, pageUrl: stripFragment(input.page_url), month, now: now.toISOString(),
      repeatAfter: new Date(now.getTime() - PAGEVIEW_REPEAT_WINDOW_MS).toISOString(), test,
    });
    if (limit !== null && !test) await this.warnOnQuota(site, month, count, limit);
    return { success: true as const, pageview_count_month: count, plan_limit: limit, usage_percent: usagePercent(count, limit) };
  }

  /** Sends `pageview.limit_warning` once per threshold per month. */
  private async warnOnQuota(site: VisitorView['site'], month: string, count: number, limit: number): Promise<void> {
    for (const threshold of QUOTA_THRESHOLDS) {
      const key = `${site.id}:${month}:${threshold}`;
      if (count * 100 < limit * threshold || this.warned.has(key)) continue;
      this.warned.add(key);
      const deliveries = await this.webhooks.deliveriesFor(site.accountId, 'pageview.limit_warning', {
        site_id: site.id, domain: site.domain, month, threshold_percent: threshold, pageview_count_month: count, plan_limit: limit,
        usage_percent: usagePercent(count, limit),
      });
      if (await this.store.recordQuotaWarning(site.id, month, threshold, this.clock.now().toISOString(), deliveries) && deliveries.length) {
        this.webhooks.queued();
      }
    }
  }

  async usage(site: SiteRecord, days: number): Promise<UsageReport> {
    const now = this.clock.now();
    const month = now.toISOString().slice(0, 7);
    const pageviews = await this.store.pageviewCount(site.id, month);
    const account = await this.store.getAccount(site.accountId);
    const planLimit = account ? PAGEVIEW_LIMITS[account.plan] : null;
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
    const counts = await this.store.dailyConsentCounts(site.id, start.toISOString());
    const daily: UsageReport['daily'] = [];
    for (let d = 0; d < days; d++) {
      const date = new Date(start.getTime() + d * 86_400_000).toISOString().slice(0, 10);
      daily.push({ date, accept_all: 0, reject_all: 0, custom: 0, withdraw: 0 });
    }
    const byDate = new Map(daily.map((row) => [row.date, row]));
    for (const c of counts) {
      const row = byDate.get(c.date);
      if (row) row[c.action] = c.count;
    }
    return { month, pageviews, planLimit, usagePercent: usagePercent(pageviews, planLimit), daily };
  }

  bannerConfig({ site, categories }: VisitorView): BannerConfigResponse {
    return {
      siteId: site.id,
      publicKey: site.publicKey,
      config: site.config,
      categories: categories.map(({ key, nameEn, descriptionEn, translations, isRequired, isDefault, sortOrder, wpConsentCategory, cookies, blockPatterns }) =>
        ({ key, nameEn, descriptionEn, translations, isRequired, isDefault, sortOrder, wpConsentCategory, cookies, blockPatterns })),
    };
  }

}

/** A site's category keys in order, which are required, and the set of keys; made once per cached list. */
interface CategoryIndex { keys: string[]; required: boolean[]; known: Set<string> }
const categoryIndexes = new WeakMap<Category[], CategoryIndex>();

function categoryIndex(categories: Category[]): CategoryIndex {
  let index = categoryIndexes.get(categories);
  if (!index) {
    index = { keys: categories.map((c) => c.key), required: categories.map((c) => c.isRequired), known: new Set(categories.map((c) => c.key)) };
    categoryIndexes.set(categories, index);
  }
  return index;
}

function usagePercent(count: number, limit: number | null): number {
  return limit ? Math.round((count / limit) * 10_000) / 100 : 0;
}

function stripFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}
