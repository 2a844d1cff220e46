import { DISPLAY_PROFILES, type A11yProfileUsedData, type DisplayProfile, type DisplayUsageReport, type ProfileCounts } from '#shared/consent.ts';
import type { DisplayUsageQueryInput } from '#shared/schemas.ts';
import type { Clock } from './clock.ts';
import { ApiError } from './errors.ts';
import type { DisplayUsageCount, DisplayUsageHour, SiteRecord, Store } from './store.ts';
import type { Webhooks } from './webhooks.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** How often an instance writes the counts it gathered in memory (and when it closes). */
export const DISPLAY_USAGE_FLUSH_MS = 5000;
/**
 * An hour's `a11y.profile_used` goes out once the hour closed this long ago: longer than a flush, so that every
 * instance wrote its counts of the hour first.
 */
export const DISPLAY_USAGE_GRACE_MS = 60 * 1000;
/** How often the service looks for closed hours to send (and at start). */
export const DISPLAY_USAGE_CHECK_MS = 60 * 1000;
/** Longest range of a report, per bucket size. */
const MAX_RANGE_MS = { hour: 31 * DAY, day: 366 * DAY } as const;
/** Site-hours sent per check; the next check takes the rest. */
const NOTIFY_BATCH = 500;

const floorTo = (ms: number, size: number): number => ms - (((ms % size) + size) % size);
export const hourOf = (ms: number): string => new Date(floorTo(ms, HOUR)).toISOString();
const zeroCounts = (): ProfileCounts => Object.fromEntries(DISPLAY_PROFILES.map((p) => [p, 0])) as ProfileCounts;

/**
 * Anonymous counts of display-preferences profiles. A profile can reveal a disability (health data, GDPR Art. 9),
 * so nothing here links a use to a visitor: a use is a site, a profile and the hour it arrived in, added to a
 * counter. Uses gather in memory and are written every few seconds (a crash loses at most those seconds of counts;
 * unlike consent, nothing depends on each one), and each site's hour with uses is sent once as `a11y.profile_used`
 * after it closed, marked sent in the same transaction as its deliveries, so once across restarts and instances.
 */
export class DisplayUsage {
  private pending = new Map<string, DisplayUsageCount>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly webhooks: Webhooks,
    private readonly onError: (error: unknown, message: string) => void = () => {},
  ) {}

  /** One use of a profile on a site, now. */
  count(site: Pick<SiteRecord, 'id'>, profile: DisplayProfile): void {
    const hour = hourOf(this.clock.now().getTime());
    const key = `${site.id}|${hour}|${profile}`;
    const held = this.pending.get(key);
    if (held) held.count++;
    else this.pending.set(key, { siteId: site.id, hour, profile, count: 1 });
  }

  /** Writes the counts gathered so far; on failure they are kept for the next flush. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const counts = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.store.addDisplayUsage(counts);
      } catch (error) {
        for (const c of counts) {
          const key = `${c.siteId}|${c.hour}|${c.profile}`;
          const held = this.pending.get(key);
          if (held) held.count += c.count;
          else this.pending.set(key, c);
        }
        this.onError(error, 'display-usage counts not written; kept for the next flush');
      }
    });
    return this.flushing;
  }

  /** Sends `a11y.profile_used` for every site's closed hour with uses not sent yet; answers how many hours were sent. */
  async notify(): Promise<number> {
    await this.flush();
    const before = new Date(this.clock.now().getTime() - DISPLAY_USAGE_GRACE_MS - HOUR + 1).toISOString();
    let sent = 0;
    for (;;) {
      const hours = await this.store.displayUsageHoursToNotify(before, NOTIFY_BATCH);
      for (const hour of hours) if (await this.notifyHour(hour)) sent++;
      if (hours.length < NOTIFY_BATCH) return sent;
    }
  }

  private async notifyHour(hour: DisplayUsageHour): Promise<boolean> {
    const site = await this.store.getSite(hour.siteId);
    const start = Date.parse(hour.hour);
    const rows = await this.store.displayUsage(hour.siteId, hour.hour, new Date(start + HOUR).toISOString());
    const counts = zeroCounts();
    for (const row of rows) counts[row.profile] += row.count;
    const total = rows.reduce((sum, row) => sum + row.count, 0);
    const data: A11yProfileUsedData = {
      site_id: hour.siteId, domain: site?.domain ?? '', hour_start: hour.hour, hour_end: new Date(start + HOUR).toISOString(), counts, total,
    };
    // A deleted site's hour is marked without a delivery, as is an hour no endpoint listens to.
    const deliveries = site && site.status === 'active' && total > 0 ? await this.webhooks.deliveriesFor(site.accountId, 'a11y.profile_used', data) : [];
    const done = await this.store.markDisplayUsageNotified(hour, this.clock.now().toISOString(), deliveries);
    if (done && deliveries.length) this.webhooks.queued();
    return done;
  }

  /** Uses per profile in each hour or day (UTC) of a range, empty buckets included. */
  async report(site: Pick<SiteRecord, 'id'>, query: DisplayUsageQueryInput): Promise<DisplayUsageReport> {
    const interval = query.interval ?? 'day';
    const size = interval === 'hour' ? HOUR : DAY;
    const to = query.to !== undefined ? Date.parse(query.to) : this.clock.now().getTime();
    const from = floorTo(query.from !== undefined ? Date.parse(query.from) : to - 30 * DAY, size);
    if (!(from < to)) throw ApiError.validation([{ field: 'from', message: 'must be before to' }]);
    if (to - from > MAX_RANGE_MS[interval] + size) { // a bucket more: `from` rounded down
      throw ApiError.validation([{ field: 'from', message: `the range may span at most ${MAX_RANGE_MS[interval] / DAY} days for interval ${interval}` }]);
    }
    const buckets: DisplayUsageReport['buckets'] = [];
    for (let start = from; start < to; start += size) buckets.push({ start: new Date(start).toISOString(), counts: zeroCounts(), total: 0 });
    const totals = zeroCounts();
    let total = 0;
    for (const row of await this.store.displayUsage(site.id, new Date(from).toISOString(), new Date(to).toISOString())) {
      const bucket = buckets[Math.floor((Date.parse(row.hour) - from) / size)];
      if (!bucket) continue;
      bucket.counts[row.profile] += row.count;
      bucket.total += row.count;
      totals[row.profile] += row.count;
      total += row.count;
    }
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), interval, totals, total, buckets };
  }
}
