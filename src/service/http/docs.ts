import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import Type from 'typebox';
import { ErrorBody } from '#shared/schemas.ts';
import { SERVICE_VERSION } from './context.ts';

/** Security requirement of the secret-key routes, for the OpenAPI document. */
export const SECRET: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }];
/** Route options of the secret-key routes. */
export const SECRET_ROUTE = { auth: 'secret' } as const;
/**
 * Secret-key routes a test key (`ck_test_`) may not call: keys, the IP allowlist, erasure, and what takes a
 * live site offline (deletion, public-key rotation). A test key is for building against the API, not for running it.
 */
export const LIVE_KEY_ROUTE = { auth: 'secret', liveKeyOnly: true } as const;
/** Route options of the visitor writes: the public key, and CORS from any origin. */
export const VISITOR_ROUTE = { auth: 'visitor', cors: true } as const;
/**
 * A visitor route that must not know who calls (the display-preferences count): its public key is in the path, and
 * it writes no audit entry and logs no address.
 */
export const ANONYMOUS_VISITOR_ROUTE = { ...VISITOR_ROUTE, anonymous: true } as const;

/**
 * A route whose answer holds a secret in these top-level fields. An idempotent replay never holds it: the stored
 * answer leaves the fields out and says `secretShownOnce: true` (the secret was in the first answer only).
 */
export const secretAnswer = (...fields: string[]) => ({ secretFields: fields });

/** Present only on an idempotent replay of an answer that held a secret (see secretAnswer). */
export const SecretShownOnce = Type.Optional(Type.Literal(true, { description: 'Only on an idempotent replay: the secret was in the first answer only and is not stored' }));

export const PUBLIC: Array<Record<string, string[]>> = [{ publicKey: [] }];
/** Security requirement of the routes anyone may call (health, the error list, a banner's config by its key in the path). */
export const OPEN: Array<Record<string, string[]>> = [];

/** The error responses a route documents, by status. */
export function errors(...statuses: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody]));
}

/**
 * What any operation that takes a body can answer before its handler runs: 400 for a body that is not JSON, 413 for
 * one over 1 MiB. Added to every such operation's responses (app.ts), so that the document lists them everywhere.
 */
export function documentBodyErrors(schema: { body?: unknown; response?: unknown } | undefined): void {
  const response = schema?.response as Record<number, unknown> | undefined;
  if (!schema?.body || !response) return;
  response[400] ??= ErrorBody;
  response[413] ??= ErrorBody;
}

export const NoContent = Type.Null({ description: 'No content' });

/** The frame of the OpenAPI document; @fastify/swagger adds the paths from the routes' schemas. */
export const OPENAPI: NonNullable<FastifyDynamicSwaggerOptions['openapi']> = {
  openapi: '3.1.0',
  info: {
    title: 'Consentry API',
    version: SERVICE_VERSION,
    description: 'Sites, consent categories, proof of consent and the visitor endpoints of the Consentry consent-management service. '
      + 'Bodies are JSON; unknown fields are rejected with 422. Every response carries X-Request-ID; every error is '
      + '{success:false, error:{code, message, details, request_id, documentation_url}}; GET /api/v1/errors lists the codes.\n\n'
      + 'Rate limits: 500 requests/minute per client address (CONSENTRY_IP_RATE_LIMIT; IPv6 per /64, CONSENTRY_IPV6_RATE_PREFIX); '
      + 'the visitor writes (consent log, heartbeat) also 6,000/minute per site on each route (CONSENTRY_SITE_RATE_LIMIT), and '
      + 'their page URL must be on the site\'s domain or a subdomain (422 DOMAIN_MISMATCH); secret-key calls also count against the '
      + 'account plan (pro 100/min, 3,000/h, 50,000/day; enterprise ×10; enterprise_plus ×100; writes ½, deletes ⅕, bulk ⅒ of '
      + 'each budget, exports 10/min; self_hosted unlimited). Limited responses carry X-RateLimit-Limit/-Remaining/-Reset; '
      + '429 adds Retry-After.\n\nIdempotency-Key on POST/PUT/PATCH: same key and body replays the stored answer '
      + '(Idempotent-Replayed: true), another body is 422, a replay while the first runs is 409; scoped to the API key, kept 24 h.\n\n'
      + 'Versions: /api/v1, X-API-Version: 1 or ?api_version=1. Deprecated routes answer Deprecation and Sunset headers.\n\n'
      + 'Webhook deliveries are signed: Consentry-Signature t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>, and the '
      + 'Standard Webhooks headers webhook-id, webhook-timestamp, webhook-signature.',
    license: { name: 'GPL-2.0-or-later', identifier: 'GPL-2.0-or-later' },
  },
  // The paths carry /api/v1: the service's own origin is the server.
  servers: [{ url: '/', description: 'The Consentry service this document was served by' }],
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'Secret key ck_… (server side only)' },
      apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'Secret key ck_…, or on visitor endpoints the public key pk_…' },
      publicKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The site\'s public key pk_… (also accepted as api_key in the body)' },
    },
  },
  tags: [
    { name: 'sites', description: 'The sites of an account: domain, banner config, public key, usage against the plan' },
    { name: 'categories', description: 'Consent categories of a site (necessary, analytics, marketing, …), their texts and order' },
    { name: 'consent', description: 'Proof of consent: recording, listing, exporting and erasing consent events, server side' },
    { name: 'visitor', description: 'Endpoints a banner calls with the public key' },
    { name: 'account', description: 'API keys, IP allowlist and the audit log' },
    { name: 'webhooks', description: 'Signed notifications of consent events and pageview limits, with a delivery log' },
    { name: 'scans', description: 'Cookie scans of a site in a headless browser: what each page sets before consent, after "Accept all" and after "Reject all", violations, and the diff from the previous scan' },
    { name: 'cookies', description: 'The cookie inventory of a site: what scans found and people added, classified and reviewed, for the cookie declaration' },
    { name: 'meta', description: 'Health of the service and the list of error codes' },
  ],
};
