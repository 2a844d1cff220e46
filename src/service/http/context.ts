import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceConfig } from '../config.ts';
import type { Accounts } from '../domain/accounts.ts';
import type { Consent } from '../domain/consent.ts';
import type { DisplayUsage } from '../domain/display-usage.ts';
import type { Scans } from '../domain/scans.ts';
import type { Sites } from '../domain/sites.ts';
import type { Webhooks } from '../domain/webhooks.ts';

// What route modules receive, kept apart from app.ts so that routes never import the module that imports them.

export const SERVICE_VERSION = '0.1.0';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** The domain services a route module calls, built once by app.ts. */
export interface RouteContext {
  accounts: Accounts;
  sites: Sites;
  consent: Consent;
  webhooks: Webhooks;
  scans: Scans;
  /** Anonymous display-preferences counts and their hourly webhook. */
  displayUsage: DisplayUsage;
  config: ServiceConfig;
  /** What GET /ready checks, by part name (the store; Redis when configured): each throws when its part does not answer. */
  readiness: Record<string, () => Promise<void>>;
  /** The exposition text of GET /metrics (see metrics.ts). */
  renderMetrics(): Promise<string>;
}
