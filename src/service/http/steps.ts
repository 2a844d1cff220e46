import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The steps of a visitor write (a banner's consent choice or heartbeat), in
 * order. Two paths serve these writes: the Fastify routes (routes/visitor.ts
 * with the app's hooks) and the direct lane (visitor-lane.ts). Each path
 * declares what does every step in a `Steps<…>` table and runs them in this
 * order, so a step added here is a type error until both paths have it, and
 * tests/service/http/visitor-steps.test.ts checks both enumerate this list.
 */
export const VISITOR_WRITE_STEPS = [
  /** X-Request-ID on the answer; the same id in the error object, the logs and the audit entry. */
  'requestId',
  /** X-API-Version; an unsupported version asked for is a 400. */
  'apiVersion',
  /** Any origin may call: banners run in visitors' browsers and never use cookies. */
  'cors',
  /** The per-client-address limit (429 with Retry-After). */
  'addressLimit',
  /** A body past the limit, declared or received, is a 413. */
  'bodyLimit',
  /** JSON, or a beacon's JSON sent as text/plain; `__proto__` and `constructor.prototype` are refused (400). */
  'jsonParse',
  /** The route's body schema, without type coercion (422 with per-field details). */
  'schema',
  /** The site's public key from a header or `api_key`; a `siteId` must be the key's own site (401, 403). */
  'publicKey',
  /** The site's cap on this route, counted from every address together (429 with Retry-After). */
  'siteLimit',
  /** The write itself, through the domain; the page URL must be on the site's domain (422 DOMAIN_MISMATCH). */
  'domainCall',
  /** The result, or the error object of whatever failed above. */
  'answer',
  /** One audit entry, written after the answer left. */
  'audit',
] as const;

export type VisitorWriteStep = (typeof VISITOR_WRITE_STEPS)[number];

/** What one path does for each step: every step must be there. */
export type Steps<T> = { readonly [S in VisitorWriteStep]: T };

/** Steps that still run after an earlier one failed; the others are skipped from the first failure on. */
export const AFTER_FAILURE: ReadonlySet<VisitorWriteStep> = new Set(['answer', 'audit']);

/** Fastify's request lifecycle, in the order it runs. */
export const FASTIFY_STAGES = ['onRequest', 'parse', 'validation', 'preHandler', 'handler', 'send', 'onResponse'] as const;
export type FastifyStage = (typeof FASTIFY_STAGES)[number];

type Hook = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void;
type AsyncHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * Where the Fastify path does a step. A `hook` is installed from this table,
 * in the order of the list: app-wide for `onRequest` and `onResponse`, on the
 * routes with `config.auth = 'visitor'` for `preHandler` (so a new check after
 * the public key, a per-site cap say, is a preHandler step here and a function
 * in the lane's table). Without a hook, `by` names what Fastify or app.ts does
 * there (body limit, parsers, validator, handler, error handler).
 */
export interface FastifyStep {
  stage: FastifyStage;
  by: string;
  hook?: Hook | AsyncHook | null;
}
