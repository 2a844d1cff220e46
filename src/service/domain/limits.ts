import { rateAddress } from './ip.ts';
import type { Plan } from './store.ts';

/** Request rates a plan allows on secret-key calls; null: no limit (the self-hosted default). */
export interface PlanRateLimits {
  perMinute: number;
  perHour: number;
  perDay: number;
  /** Short bursts: requests per second. */
  burstPerSecond: number;
}

export const PLAN_RATE_LIMITS: Record<Plan, PlanRateLimits | null> = {
  self_hosted: null,
  pro: { perMinute: 100, perHour: 3_000, perDay: 50_000, burstPerSecond: 200 },
  enterprise: { perMinute: 1_000, perHour: 30_000, perDay: 500_000, burstPerSecond: 500 },
  enterprise_plus: { perMinute: 10_000, perHour: 300_000, perDay: 5_000_000, burstPerSecond: 2_000 },
};

/** Kinds of call, each with its own budget: a share of the plan's limits, or a fixed rate for exports. */
export type RateClass = 'read' | 'write' | 'delete' | 'bulk' | 'export';
export const CLASS_SHARE: Record<Exclude<RateClass, 'export'>, number> = { read: 1, write: 0.5, delete: 0.2, bulk: 0.1 };
export const EXPORTS_PER_MINUTE = 10;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface RateWindow {
  /** Counter name without the window; the counter adds the window's start. */
  key: string;
  limit: number;
  windowMs: number;
}

/** The windows one secret-key call counts against. */
export function planWindows(accountId: string, plan: Plan, rateClass: RateClass): RateWindow[] {
  const limits = PLAN_RATE_LIMITS[plan];
  if (!limits) return [];
  if (rateClass === 'export') return [{ key: `plan:${accountId}:export:m`, limit: EXPORTS_PER_MINUTE, windowMs: MINUTE }];
  const share = CLASS_SHARE[rateClass];
  const scaled = (n: number) => Math.max(1, Math.floor(n * share));
  return [
    { key: `plan:${accountId}:${rateClass}:s`, limit: scaled(limits.burstPerSecond), windowMs: SECOND },
    { key: `plan:${accountId}:${rateClass}:m`, limit: scaled(limits.perMinute), windowMs: MINUTE },
    { key: `plan:${accountId}:${rateClass}:h`, limit: scaled(limits.perHour), windowMs: HOUR },
    { key: `plan:${accountId}:${rateClass}:d`, limit: scaled(limits.perDay), windowMs: DAY },
  ];
}

/** The window of one client address: an IPv4 address, or the IPv6 network of its first `v6Prefix` bits. */
export function ipWindow(ip: string, perMinute: number, v6Prefix: number): RateWindow[] {
  return perMinute > 0 ? [{ key: `ip:${rateAddress(ip, v6Prefix)}`, limit: perMinute, windowMs: MINUTE }] : [];
}

/** The window of one site on one visitor write route (whoever holds the public key, from any address). */
export function siteWindow(siteId: string, route: string, perMinute: number): RateWindow[] {
  return perMinute > 0 ? [{ key: `site:${siteId}:${route}`, limit: perMinute, windowMs: MINUTE }] : [];
}

/** Fixed-window counters shared by every instance that uses the same backend. */
export interface RateCounter {
  /** Adds one hit to each window at `now`; answers each window's count and the end of the window (ms). */
  hit(windows: RateWindow[], now: number): Promise<Array<{ count: number; resetAt: number }>>;
  /** Readiness of a shared counter (Redis): answers once it answers; throws otherwise. In memory there is nothing to check. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}

export interface RateDecision {
  allowed: boolean;
  /** The window closest to its limit, for the X-RateLimit-* headers. */
  limit: number;
  remaining: number;
  resetAt: number;
  /** Seconds until the exceeded window ends (when not allowed). */
  retryAfter: number;
}

export async function checkRate(counter: RateCounter, windows: RateWindow[], now: number): Promise<RateDecision | null> {
  if (windows.length === 0) return null;
  const counts = await counter.hit(windows, now);
  let tightest: RateDecision | null = null;
  let retryAfter = 0;
  windows.forEach((window, i) => {
    const { count, resetAt } = counts[i]!;
    const remaining = Math.max(0, window.limit - count);
    if (count > window.limit) retryAfter = Math.max(retryAfter, Math.ceil((resetAt - now) / 1000));
    if (!tightest || remaining < tightest.remaining || (remaining === tightest.remaining && resetAt < tightest.resetAt)) {
      tightest = { allowed: true, limit: window.limit, remaining, resetAt, retryAfter: 0 };
    }
  });
  const decision = tightest as unknown as RateDecision;
  return { ...decision, allowed: retryAfter === 0, retryAfter };
}

export const windowStart = (now: number, windowMs: number) => Math.floor(now / windowMs) * windowMs;
