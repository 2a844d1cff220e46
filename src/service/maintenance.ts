import type { Clock } from './domain/clock.ts';
import type { Store } from './domain/store.ts';

/** Idempotency keys are kept this long. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

const DAY = 24 * 60 * 60 * 1000;

/** Retention, run by the service itself: the audit log after its retention, idempotency keys after 24 h, finished deliveries after 30 days. */
export async function purgeExpired(store: Store, clock: Clock, auditRetentionDays: number): Promise<void> {
  const now = clock.now().getTime();
  await store.purge({
    audit: new Date(now - auditRetentionDays * DAY).toISOString(),
    idempotency: new Date(now - IDEMPOTENCY_TTL_MS).toISOString(),
    deliveries: new Date(now - 30 * DAY).toISOString(),
  });
}
