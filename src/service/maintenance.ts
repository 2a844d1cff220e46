import { isoTime, type Clock } from './domain/clock.ts';
import { newId } from './domain/ids.ts';
import type { PlanExpiry } from './domain/plan-expiry.ts';
import type { Store } from './domain/store.ts';

/** Idempotency keys are kept this long. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

const DAY = 24 * 60 * 60 * 1000;

export interface Retention {
  auditDays: number;
  /** Proof of consent: null keeps consent events for ever (the default). */
  consentDays: number | null;
}

/**
 * Retention, run by the service itself: the audit log after its retention, idempotency keys after 24 h, finished
 * deliveries after 30 days, and, when configured, consent events after their retention, each account told by an
 * entry in its audit log of how many of its events went (the entry is the proof that the purge, not a loss, removed them).
 */
export async function purgeExpired(store: Store, clock: Clock, retention: Retention): Promise<void> {
  const now = clock.now().getTime();
  await store.purge({
    audit: new Date(now - retention.auditDays * DAY).toISOString(),
    idempotency: new Date(now - IDEMPOTENCY_TTL_MS).toISOString(),
    deliveries: new Date(now - 30 * DAY).toISOString(),
  });
  if (retention.consentDays === null) return;
  const olderThan = new Date(now - retention.consentDays * DAY).toISOString();
  const started = performance.now();
  const purged = await store.purgeConsentEvents(olderThan);
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  await Promise.all(purged.map(({ accountId, count }) => store.appendAudit({
    id: newId('aud', now), accountId, keyId: null, method: 'PURGE', route: 'retention', path: 'consent_events', status: 200,
    ipAnonymized: null, requestId: newId('purge', now), durationMs,
    detail: { consentEventsPurged: count, olderThan, retentionDays: retention.consentDays }, createdAt: isoTime(now),
  })));
}

/** How often the service looks for plans that end (and at start). */
export const PLAN_CHECK_MS = 60 * 1000;

/** Plans that end: warnings 7 days and 1 day before, the fallback plan once the end passed (see PlanExpiry). */
export function checkPlans(plans: PlanExpiry): Promise<{ warned: number; expired: number }> {
  return plans.run();
}
