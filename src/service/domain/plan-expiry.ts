import { EXPIRED_PLAN_FALLBACK, PLAN_EXPIRY_WARNING_DAYS } from '#shared/consent.ts';
import type { Clock } from './clock.ts';
import type { PlanEnding, Store } from './store.ts';
import type { Webhooks } from './webhooks.ts';

const DAY = 24 * 60 * 60 * 1000;
const FARTHEST_WARNING = Math.max(...PLAN_EXPIRY_WARNING_DAYS);

/** The warning due for a plan ending in `leftMs`: the nearest of 7 and 1 days it is within; null when none. */
export function warningDue(leftMs: number): number | null {
  const due = PLAN_EXPIRY_WARNING_DAYS.filter((days) => leftMs <= days * DAY);
  return due.length ? Math.min(...due) : null;
}

/**
 * Plans that end. Run at start and then periodically by the service: an account whose end date passed falls back
 * to EXPIRED_PLAN_FALLBACK and `subscription.expired` is sent; 7 days and 1 day before the end,
 * `subscription.expiring`. Each change is written in one transaction with its deliveries and only if the account
 * is still as read, so each event is sent once, across restarts and by several instances on one database.
 */
export class PlanExpiry {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly webhooks: Webhooks,
    /** Told of each account whose plan changed (to drop cached plans). */
    private readonly onChanged: (accountId: string) => void = () => {},
  ) {}

  async run(): Promise<{ warned: number; expired: number }> {
    const now = this.clock.now();
    const endings = await this.store.plansEndingBefore(new Date(now.getTime() + FARTHEST_WARNING * DAY).toISOString());
    let warned = 0;
    let expired = 0;
    for (const ending of endings) {
      const leftMs = Date.parse(ending.expiresAt) - now.getTime();
      if (leftMs <= 0) {
        if (await this.expire(ending, now)) expired++;
        continue;
      }
      const days = warningDue(leftMs);
      if (days !== null && (ending.warnedDays === null || ending.warnedDays > days) && (await this.warn(ending, days))) warned++;
    }
    return { warned, expired };
  }

  private async expire(ending: PlanEnding, now: Date): Promise<boolean> {
    const deliveries = await this.webhooks.deliveriesFor(ending.accountId, 'subscription.expired', {
      account_id: ending.accountId, old_plan: ending.plan, new_plan: EXPIRED_PLAN_FALLBACK, expires_at: ending.expiresAt, expired_at: now.toISOString(),
    });
    const done = await this.store.expirePlan(ending, EXPIRED_PLAN_FALLBACK, deliveries);
    if (done) {
      this.onChanged(ending.accountId);
      if (deliveries.length) this.webhooks.queued();
    }
    return done;
  }

  private async warn(ending: PlanEnding, days: number): Promise<boolean> {
    const deliveries = await this.webhooks.deliveriesFor(ending.accountId, 'subscription.expiring', {
      account_id: ending.accountId, plan: ending.plan, expires_at: ending.expiresAt, days_left: days,
    });
    const done = await this.store.recordPlanWarning(ending, days, deliveries);
    if (done && deliveries.length) this.webhooks.queued();
    return done;
  }
}
