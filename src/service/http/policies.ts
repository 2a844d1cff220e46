import { createHash } from 'node:crypto';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountPrincipal, Accounts } from '../domain/accounts.ts';
import { isoTime, type Clock } from '../domain/clock.ts';
import { ApiError } from '../domain/errors.ts';
import { newId, randomBase62 } from '../domain/ids.ts';
import { anonymizeIp } from '../domain/ip.ts';
import { checkRate, ipWindow, planWindows, siteWindow, type RateClass, type RateCounter, type RateDecision, type RateWindow } from '../domain/limits.ts';
import type { Sites, VisitorView } from '../domain/sites.ts';
import type { AuditEntry, Store } from '../domain/store.ts';
import type { Metrics } from '../metrics.ts';
import { checkVisitorSite, presentedKey, requireAccount, visitorKey } from './auth.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: AccountPrincipal;
    visitor?: VisitorView;
    /** Extra facts for this call's audit entry (an erasure's count, say). */
    auditDetail?: Record<string, unknown>;
    idempotency?: { scope: string; key: string };
    rateShown?: RateDecision;
  }
  interface FastifyContextConfig {
    /** Who may call: an account's secret key, a site's public key, or anyone. */
    auth?: 'secret' | 'visitor' | 'none';
    /** A secret-key route that test keys may not call (see LIVE_KEY_ROUTE). */
    liveKeyOnly?: boolean;
    /** Top-level fields of the answer that hold a secret: never stored for an idempotent replay (see secretAnswer). */
    secretFields?: string[];
    /** Budget the call counts against; by default derived from the method. */
    rateClass?: RateClass;
    /** Sunset date (YYYY-MM-DD) of a deprecated route; it then answers Deprecation and Sunset headers. */
    sunset?: string;
    /** The route answers CORS from any origin (the visitor routes: they never use cookies). */
    cors?: boolean;
    /** Nothing about the caller is kept: no audit entry (the call is only counted in the metrics), no address logged. */
    anonymous?: boolean;
  }
}

export const SUPPORTED_API_VERSIONS = ['1'];
/** A claim still "running" after this long belongs to a request that died; a retry may take it over. */
const IDEMPOTENCY_STALE_MS = 60_000;

export interface PolicyDeps {
  accounts: Accounts;
  sites: Sites;
  store: Store;
  clock: Clock;
  counter: RateCounter;
  ipRateLimit: number;
  /** Counts every answered request (in the audit step, which both paths run). */
  metrics: Metrics;
  /** IPv6 clients count per network of this many bits. */
  ipv6RatePrefix: number;
  /** Visitor writes per minute per site and route. */
  siteRateLimit: number;
}

function rateClassOf(request: FastifyRequest): RateClass {
  const configured = request.routeOptions.config?.rateClass;
  if (configured) return configured;
  if (request.method === 'DELETE') return 'delete';
  return request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS' ? 'read' : 'write';
}

/**
 * Counts a call against its windows. When the counters cannot be reached
 * (Redis down), the call is let through: consent must keep working.
 */
export async function rate(log: FastifyBaseLogger, counter: RateCounter, windows: RateWindow[], now: number): Promise<RateDecision | null> {
  try {
    return await checkRate(counter, windows, now);
  } catch (error) {
    log.warn({ err: error }, 'rate-limit counters unavailable; request let through');
    return null;
  }
}

/** The headers of a rate decision; throws the 429 when the call is over. */
export function applyRate(decision: RateDecision, setHeader: (name: string, value: string | number) => void): void {
  setHeader('X-RateLimit-Limit', decision.limit);
  setHeader('X-RateLimit-Remaining', decision.remaining);
  setHeader('X-RateLimit-Reset', Math.ceil(decision.resetAt / 1000));
  if (!decision.allowed) {
    throw new ApiError('RATE_LIMIT_ERROR', `Too many requests; retry in ${decision.retryAfter} s`,
      { limit: decision.limit, retry_after: decision.retryAfter }, { 'Retry-After': String(decision.retryAfter) });
  }
}

/** Whether a decision's headers replace the ones shown: the first decision, a tighter window, or a refusal. */
export const showsRate = (shown: RateDecision | undefined, decision: RateDecision): boolean =>
  !shown || !decision.allowed || decision.remaining < shown.remaining;

/** Applies a rate decision: headers for the tightest window seen so far, 429 when over. */
function enforce(request: FastifyRequest, reply: FastifyReply, decision: RateDecision | null): void {
  if (!decision || !showsRate(request.rateShown, decision)) return;
  request.rateShown = decision;
  applyRate(decision, (name, value) => reply.header(name, value));
}

/** The id of one request: in X-Request-ID, in every error object, in the logs and the audit entry. */
export const newRequestId = (): string => `req_${randomBase62(20)}`;

/**
 * Every call: the request id header; the API version by path, `X-API-Version`
 * header or `?api_version=`.
 */
export function requestPolicy(request: FastifyRequest, reply: FastifyReply, done: HookDone): void {
  reply.header('X-Request-ID', request.id);
  const asked = request.headers['x-api-version'] ?? (request.query as Record<string, string> | undefined)?.api_version;
  if (asked !== undefined) {
    const version = String(asked).replace(/^v/i, '');
    if (!SUPPORTED_API_VERSIONS.includes(version)) {
      done(new ApiError('BAD_REQUEST', `API version "${String(asked)}" is not supported`, { supported: SUPPORTED_API_VERSIONS }));
      return;
    }
  }
  reply.header('X-API-Version', SUPPORTED_API_VERSIONS[0]);
  done();
}

/** What the visitor routes answer to any origin. */
export const CORS_HEADERS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'X-Request-ID, ETag' } as const;

/** Routes with `cors` config answer CORS, before any limit or key check so that a browser can read even a 429. */
export function corsPolicy(request: FastifyRequest, reply: FastifyReply, done: HookDone): void {
  if (request.routeOptions.config?.cors) reply.headers(CORS_HEADERS);
  done();
}

/** A deprecated route (its `sunset` config) says so on every answer. */
export function deprecationPolicy(sunset: string) {
  const date = new Date(`${sunset}T00:00:00Z`).toUTCString();
  return (_request: FastifyRequest, reply: FastifyReply, done: HookDone): void => {
    reply.header('Deprecation', 'true');
    reply.header('Sunset', date);
    done();
  };
}

type HookDone = (error?: Error) => void;

export function ipRatePolicy({ counter, clock, ipRateLimit, ipv6RatePrefix }: PolicyDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    enforce(request, reply, await rate(request.log, counter, ipWindow(request.ip, ipRateLimit, ipv6RatePrefix), clock.now().getTime()));
  };
}

/** Visitor writes, once the public key named the site: the site's cap on this route, from every address together. */
export function siteRatePolicy({ counter, clock, siteRateLimit }: PolicyDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const site = visitor(request).site;
    const windows = siteWindow(site.id, request.routeOptions.url ?? request.url, siteRateLimit);
    enforce(request, reply, await rate(request.log, counter, windows, clock.now().getTime()));
  };
}

/** Secret-key routes: the key (headers only, before the body is validated), the IP allowlist, the plan's limits. */
export function secretKeyPolicy({ accounts, counter, clock }: PolicyDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const principal = await requireAccount(request, accounts);
    request.principal = principal;
    if (!(await accounts.allows(principal.accountId, request.ip))) {
      throw ApiError.forbidden('This address is not on the account\'s IP allowlist');
    }
    if (principal.mode === 'test' && request.routeOptions.config?.liveKeyOnly) {
      throw ApiError.forbidden('A test key (ck_test_) cannot manage keys, the IP allowlist or account settings, erase consent, '
        + 'or delete a site or rotate its public key; use a live key');
    }
    const plan = await accounts.plan(principal.accountId);
    enforce(request, reply, await rate(request.log, counter, planWindows(principal.accountId, plan, rateClassOf(request)), clock.now().getTime()));
  };
}

/**
 * Visitor routes: the site's public key, from a header or the body. Synchronous
 * while the site is cached, which is almost always: these are the busiest routes.
 */
export function visitorPolicy({ sites }: PolicyDeps) {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookDone): void => {
    const body = (request.body ?? {}) as { api_key?: string; siteId?: string };
    // A key in the path (the anonymous count) names the site; headers and body are not looked at then.
    const inPath = (request.params as { publicKey?: string } | undefined)?.publicKey;
    let cached: VisitorView | null | undefined;
    let key: string;
    try {
      key = inPath === undefined ? visitorKey(request, body) : visitorKey({ headers: {} }, { api_key: inPath });
      cached = sites.cachedVisitorView(key);
      if (cached !== undefined) request.visitor = checkVisitorSite(cached, body);
    } catch (error) {
      return done(error as Error);
    }
    if (cached !== undefined) return done();
    sites.visitorView(key).then((view) => checkVisitorSite(view, body)).then((view) => {
      request.visitor = view;
      done();
    }, done);
  };
}

/**
 * `Idempotency-Key` on POST/PUT/PATCH: a replay with the same body gets the
 * stored answer; another body under the same key is a 422; a replay while the
 * first is still running is a 409. Keys are scoped to the API key.
 */
export function idempotencyPolicy({ store, clock }: PolicyDeps) {
  const claim = async (request: FastifyRequest, reply: FastifyReply, key: string | string[]): Promise<void> => {
    if (typeof key !== 'string' || !/^[A-Za-z0-9_.:-]{1,255}$/.test(key)) {
      throw ApiError.validation([{ field: 'Idempotency-Key', message: 'must be 1 to 255 letters, digits or _ . : -' }]);
    }
    const scope = request.principal?.keyId ?? (request.visitor ? visitorKeyId(request.visitor.site.id) : presentedKey(request));
    if (!scope) return;
    const hash = createHash('sha256').update(`${request.method} ${request.url.split('?')[0]}\n${bodyText(request.body)}`).digest('hex');
    const now = clock.now().getTime();
    const held = await store.claimIdempotencyKey(scope, key, hash, new Date(now).toISOString(), new Date(now - IDEMPOTENCY_STALE_MS).toISOString());
    if (held.state === 'new') {
      request.idempotency = { scope, key };
      return;
    }
    if (held.requestHash !== hash) {
      throw ApiError.validation([{ field: 'Idempotency-Key', message: 'was already used with another request body' }], 'Idempotency-Key reused with a different request');
    }
    if (held.state === 'running') throw ApiError.conflict('A request with this Idempotency-Key is still being processed; retry later');
    reply.header('Idempotent-Replayed', 'true');
    await reply.code(held.status).type('application/json; charset=utf-8').send(held.status >= 400 ? withRequestId(held.response, String(request.id)) : held.response);
  };
  return (request: FastifyRequest, reply: FastifyReply, done: HookDone): void => {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !['POST', 'PUT', 'PATCH'].includes(request.method)) return done();
    claim(request, reply, key).then(() => done(), done);
  };
}

/** An answer as a replay gives it: the secret fields left out, and a word that the secret was shown once. */
function withoutSecrets(payload: string, fields: string[]): string {
  const answer = JSON.parse(payload) as Record<string, unknown>;
  if (!fields.some((field) => Object.hasOwn(answer, field))) return payload;
  for (const field of fields) delete answer[field];
  return JSON.stringify({ ...answer, secretShownOnce: true });
}

/** A replayed error answers for this request: its request_id is this request's X-Request-ID. */
function withRequestId(payload: string, requestId: string): string {
  const answer = JSON.parse(payload) as { error?: { request_id?: string } };
  if (!answer.error || typeof answer.error !== 'object') return payload;
  answer.error.request_id = requestId;
  return JSON.stringify(answer);
}

/** The body as text for the idempotency hash; JSON nested too deep to write out again (the parser reads any depth) is refused. */
function bodyText(body: unknown): string {
  try {
    return JSON.stringify(body ?? null);
  } catch {
    throw new ApiError('BAD_REQUEST', 'The request body is nested too deeply');
  }
}

/** Stores the answer of an idempotent request before it leaves; a 5xx frees the key for a retry. */
export function idempotencyRecorder({ store }: PolicyDeps) {
  return (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: Error | null, payload?: unknown) => void): void => {
    const claim = request.idempotency;
    if (!claim) return done(null, payload);
    request.idempotency = undefined;
    const secrets = request.routeOptions.config?.secretFields;
    const stored = reply.statusCode >= 500 || typeof payload !== 'string'
      ? store.releaseIdempotencyKey(claim.scope, claim.key)
      : store.completeIdempotencyKey(claim.scope, claim.key, reply.statusCode, secrets ? withoutSecrets(payload, secrets) : payload);
    stored.then(() => done(null, payload), (error: Error) => done(error));
  };
}

/** What a call tells its audit entry: the entry less its id and time, with the raw address (anonymised here). */
export type AuditFacts = Omit<AuditEntry, 'id' | 'createdAt' | 'ipAnonymized' | 'detail'> & {
  ip: string | undefined;
  detail?: Record<string, unknown> | null | undefined;
};

let watchedAuditWrite: Promise<void> | null = null;

/**
 * Counts the call and queues its audit entry (never delaying the answer); a lost entry is logged. A call no account
 * can be named for is only counted: the audit log is read per account, so nobody could ever read its entry.
 */
export function recordAudit({ store, clock, metrics }: Pick<PolicyDeps, 'store' | 'clock' | 'metrics'>, facts: AuditFacts, log: FastifyBaseLogger): void {
  metrics.request(facts.route, facts.method, facts.status);
  if (facts.accountId === null) {
    metrics.requestWithoutAccount();
    return;
  }
  const now = clock.now().getTime();
  const written = store.appendAudit({
    id: newId('aud', now),
    accountId: facts.accountId,
    keyId: facts.keyId,
    method: facts.method,
    route: facts.route,
    path: facts.path,
    status: facts.status,
    ipAnonymized: anonymizeIp(facts.ip),
    requestId: facts.requestId,
    durationMs: Math.round(facts.durationMs * 100) / 100,
    detail: facts.detail ?? null,
    createdAt: isoTime(now),
  });
  // Entries gathered into one write share its promise: watch each write once, not once per entry.
  if (written === watchedAuditWrite) return;
  watchedAuditWrite = written;
  written.catch((error: unknown) => log.error({ err: error }, 'audit entries lost'));
}

/** The audit key id of a visitor call: the site, since public keys are per site. */
export const visitorKeyId = (siteId: string) => `site:${siteId}`;

/** One audit entry per call, written after the answer left (never delaying it). */
export function auditRecorder(deps: PolicyDeps) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookDone): void => {
    const path = request.url;
    const query = path.indexOf('?');
    recordAudit(deps, {
      accountId: request.routeOptions.config?.anonymous ? null : request.principal?.accountId ?? request.visitor?.site.accountId ?? null,
      keyId: request.principal?.keyId ?? (request.visitor ? visitorKeyId(request.visitor.site.id) : null),
      method: request.method,
      route: request.routeOptions.url ?? 'unknown',
      path: query === -1 ? path : path.slice(0, query),
      status: reply.statusCode,
      ip: request.ip,
      requestId: String(request.id),
      durationMs: reply.elapsedTime,
      detail: request.auditDetail,
    }, request.log);
    done();
  };
}

/** The principal of a secret-key route (set by secretKeyPolicy). */
export function principal(request: FastifyRequest): AccountPrincipal {
  if (!request.principal) throw ApiError.unauthenticated();
  return request.principal;
}

export function visitor(request: FastifyRequest): VisitorView {
  if (!request.visitor) throw ApiError.unauthenticated();
  return request.visitor;
}
