import type { Plan } from './store.ts';

/** Monthly pageview allowance per plan; null means no limit (self-hosted default). */
export const PAGEVIEW_LIMITS: Record<Plan, number | null> = {
  self_hosted: null,
  pro: 100_000,
  enterprise: 1_000_000,
  enterprise_plus: 10_000_000,
};
