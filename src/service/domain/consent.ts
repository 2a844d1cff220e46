import type { BannerConfigResponse, ConsentAction, ConsentEvent } from '../../shared/consent.ts';
import { ApiError } from './errors.ts';
import type { Clock } from './clock.ts';
import { newId } from './ids.ts';
import { anonymizeIp } from './ip.ts';
import { PAGEVIEW_LIMITS } from './plans.ts';
import type { EventListInput, HeartbeatInput, RecordConsentInput } from './schemas.ts';
import type { VisitorView } from './sites.ts';
import type { SiteRecord, Store } from './store.ts';

/** A reload of the same page by the same session within this window counts once. */
export const PAGEVIEW_REPEAT_WINDOW_MS = 30 * 60 * 1000;

/** What the request tells about the visitor; the raw IP is anonymised before it is kept. */
export interface VisitorContext {
  ip: string | null;
  userAgent: string | null;
  test: boolean;
}

export interface UsageReport {
  month: string;
  pageviews: number;
  planLimit: number | null;
  usagePercent: number;
  daily: Array<{ date: string } & Record<ConsentAction, number>>;
}

export class Consent {
  constructor(private readonly store: Store, private readonly clock: Clock) {}

  async record({ site, categories }: Pick<VisitorView, 'site' | 'categories'>, input: Omit<RecordConsentInput, 'siteId'>, visitor: VisitorContext): Promise<ConsentEvent> {
    const known = new Set(categories.map((c) => c.key));
    const unknown = Object.keys(input.categories).filter((key) => !known.has(key));
    if (unknown.length) {
      throw ApiError.validation(unknown.map((key) => ({ field: `categories/${key}`, message: 'is not a category of this site' })));
    }
    // Required categories are granted whatever the payload says: the proof shows what was in force.
    const choices = Object.fromEntries(categories.map((c) => [c.key, c.isRequired || input.categories[c.key] === true]));
    const now = this.clock.now();
    const event: ConsentEvent = {
      id: newId('evt', now.getTime()),
      siteId: site.id,
      consentId: input.consentId,
      action: input.action,
      categories: choices,
      policyVersion: input.policyVersion,
      language: input.language ?? null,
      pageUrl: input.pageUrl ?? null,
      userAgent: visitor.userAgent ? visitor.userAgent.slice(0, 512) : null,
      ipAnonymized: anonymizeIp(visitor.ip),
      gpc: input.gpc ?? false,
      test: visitor.test,
      createdAt: now.toISOString(),
    };
    await this.store.appendConsentEvent(event);
    return event;
  }

  async list(siteId: string, query: EventListInput) {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const before = query.cursor ? decodeCursor(query.cursor) : undefined;
    const { events, total } = await this.store.listConsentEvents(siteId, {
      limit: limit + 1, offset, ...(before && { before }),
      ...(query.action && { action: query.action }), ...(query.from && { from: query.from }), ...(query.to && { to: query.to }),
    });
    const page = events.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = events.length > limit && last ? encodeCursor(last) : null;
    return { data: page, pagination: { limit, offset: before ? 0 : offset, total, nextCursor } };
  }

  async heartbeat({ site, pageviewLimit: limit }: VisitorView, input: HeartbeatInput, test: boolean) {
    const now = this.clock.now();
    const month = now.toISOString().slice(0, 7);
    const count = await this.store.recordPageview({
      siteId: site.id, sessionId: input.session_id, pageUrl: stripFragment(input.page_url), month, now: now.toISOString(),
      repeatAfter: new Date(now.getTime() - PAGEVIEW_REPEAT_WINDOW_MS).toISOString(), test,
    });
    return { success: true as const, pageview_count_month: count, plan_limit: limit, usage_percent: usagePercent(count, limit) };
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

function usagePercent(count: number, limit: number | null): number {
  return limit ? Math.round((count / limit) * 10_000) / 100 : 0;
}

function stripFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

function encodeCursor(event: ConsentEvent): string {
  return Buffer.from(`${event.createdAt}|${event.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) {
    throw ApiError.validation([{ field: 'cursor', message: 'is not a cursor this API gave out' }]);
  }
  return { createdAt, id };
}
