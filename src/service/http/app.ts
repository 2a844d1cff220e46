import { createServer } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ServiceConfig } from '../config.ts';
import { Accounts } from '../domain/accounts.ts';
import type { Clock } from '../domain/clock.ts';
import { Consent } from '../domain/consent.ts';
import type { RateCounter } from '../domain/limits.ts';
import { Sites } from '../domain/sites.ts';
import type { Store } from '../domain/store.ts';
import { Webhooks } from '../domain/webhooks.ts';
import { Dispatcher } from '../delivery/dispatcher.ts';
import { purgeExpired } from '../maintenance.ts';
import { MemoryRateCounter } from '../store/memory-counter.ts';
import { registerErrorHandling } from './errors.ts';
import {
  auditRecorder, deprecationPolicy, idempotencyPolicy, idempotencyRecorder, ipRatePolicy, newRequestId, requestPolicy, secretKeyPolicy,
  visitorPolicy, type PolicyDeps,
} from './policies.ts';
import { accountRoutes } from './routes/account.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { categoryRoutes } from './routes/categories.ts';
import { consentRoutes } from './routes/consent.ts';
import { healthRoutes } from './routes/health.ts';
import { siteRoutes } from './routes/sites.ts';
import { visitorRoutes, visitorWrites } from './routes/visitor.ts';
import { visitorLane, type VisitorLane } from './visitor-lane.ts';

export const SERVICE_VERSION = '0.1.0';

export interface AppDeps {
  config: ServiceConfig;
  store: Store;
  clock: Clock;
  /** Rate-limit counters; in memory when not given. */
  counter?: RateCounter;
}

/** What route modules receive. */
export interface RouteContext {
  accounts: Accounts;
  sites: Sites;
  consent: Consent;
  webhooks: Webhooks;
  config: ServiceConfig;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Background work of the service: webhook deliveries and retention. */
    consentry: { dispatcher: Dispatcher; purge(): Promise<void> };
  }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Two validators: bodies are checked strictly (no type coercion: `"5"` is not
 * a number), while querystring and path values, which are always text, are
 * coerced to the schema's types.
 */
function makeValidator(coerce: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, removeAdditional: false, coerceTypes: coerce });
  addFormats(ajv);
  return ajv;
}

/** Builds the whole service from explicit dependencies; never listens (server.ts does). */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  let lane: VisitorLane | null = null;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    genReqId: newRequestId,
    // The two visitor writes of every page view take a direct lane (visitor-lane.ts); everything else is Fastify's.
    serverFactory: (handler) => createServer((req, res) => {
      if (!lane?.handle(req, res)) handler(req, res);
    }),
    logController: new LogController({
      requestIdLogLabel: 'request_id',
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const bodyValidator = makeValidator(false);
  const textValidator = makeValidator(true);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyValidator : textValidator).compile(schema) as never);
  // Responses are documented by their schemas but written with JSON.stringify, so a schema can never drop a field.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // sendBeacon without a preflight sends text/plain: read it as JSON.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(String(body)));
    } catch {
      const error = new SyntaxError('invalid JSON') as SyntaxError & { statusCode: number };
      error.statusCode = 400;
      done(error, undefined);
    }
  });

  registerErrorHandling(app, config.documentationUrl);

  const accounts = new Accounts(deps.store, deps.clock);
  const sites = new Sites(deps.store, deps.clock);
  const dispatcher = new Dispatcher(deps.store, deps.clock, {
    maxAttempts: config.webhookMaxAttempts, retryBaseMs: config.webhookRetryBaseMs, maxDelayMs: 32_000,
    allowPrivate: config.webhookAllowPrivate, pollMs: 500, timeoutMs: 5000,
    concurrency: config.webhookConcurrency, perAccount: Math.min(config.webhookAccountConcurrency, config.webhookConcurrency),
  }, (message, details) => app.log.warn(details ?? {}, message));
  const webhooks = new Webhooks(deps.store, deps.clock, { maxAttempts: config.webhookMaxAttempts, retryBaseMs: config.webhookRetryBaseMs, maxDelayMs: 32_000 }, () => dispatcher.wake());
  const context: RouteContext = {
    accounts, sites, webhooks, config, consent: new Consent(deps.store, deps.clock, webhooks, config.pageviewOverage),
  };
  const counter = deps.counter ?? new MemoryRateCounter();
  const policy: PolicyDeps = { accounts, sites, store: deps.store, clock: deps.clock, counter, ipRateLimit: config.ipRateLimit };

  // Order matters: request id, version and per-address limit for every call; the secret key before the body is
  // validated; the public key (which may sit in the body) and idempotency after it. Key checks are attached only to
  // the routes that need them, and the hooks on every call return at once when they have nothing to do.
  app.addHook('onRequest', requestPolicy);
  if (config.ipRateLimit > 0) app.addHook('onRequest', ipRatePolicy(policy));
  const secretKey = secretKeyPolicy(policy);
  const visitorKey = visitorPolicy(policy);
  const idempotency = idempotencyPolicy(policy);
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    const methods = [route.method].flat();
    if (auth === 'secret') route.preValidation = [secretKey];
    if (route.config?.sunset) route.onRequest = [...[route.onRequest ?? []].flat(), deprecationPolicy(route.config.sunset)];
    route.preHandler = [
      ...(auth === 'visitor' ? [visitorKey] : []),
      ...(methods.some((m) => m === 'POST' || m === 'PUT' || m === 'PATCH') ? [idempotency] : []),
    ];
  });
  app.addHook('onSend', idempotencyRecorder(policy));
  lane = visitorLane({ ...policy, config, log: app.log, compile: (schema) => bodyValidator.compile(schema as object), writes: visitorWrites(context) });
  app.addHook('preClose', (done) => {
    lane?.close();
    done();
  });
  app.addHook('onResponse', auditRecorder(policy));

  let purgeTimer: NodeJS.Timeout | null = null;
  const purge = () => purgeExpired(deps.store, deps.clock, config.auditRetentionDays);
  app.decorate('consentry', { dispatcher, purge });
  app.addHook('onReady', async () => {
    dispatcher.start();
    purgeTimer = setInterval(() => void purge().catch((error: unknown) => app.log.error({ err: error }, 'purge failed')), 60 * 60 * 1000);
    purgeTimer.unref();
  });
  app.addHook('onClose', async () => {
    if (purgeTimer) clearInterval(purgeTimer);
    await dispatcher.stop();
    if (!deps.counter) await counter.close();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Consentry API',
        version: SERVICE_VERSION,
        description: 'Sites, consent categories, proof of consent and the visitor endpoints of the Consentry consent-management service. '
          + 'Bodies are JSON; unknown fields are rejected with 422. Every response carries X-Request-ID; every error is '
          + '{success:false, error:{code, message, details, request_id, documentation_url}}; GET /api/v1/errors lists the codes.\n\n'
          + 'Rate limits: 500 requests/minute per client address (CONSENTRY_IP_RATE_LIMIT); secret-key calls also count against the '
          + 'account plan (pro 100/min, 3,000/h, 50,000/day; enterprise ×10; enterprise_plus ×100; writes ½, deletes ⅕, bulk ⅒ of '
          + 'each budget, exports 10/min; self_hosted unlimited). Limited responses carry X-RateLimit-Limit/-Remaining/-Reset; '
          + '429 adds Retry-After.\n\nIdempotency-Key on POST/PUT/PATCH: same key and body replays the stored answer '
          + '(Idempotent-Replayed: true), another body is 422, a replay while the first runs is 409; scoped to the API key, kept 24 h.\n\n'
          + 'Versions: /api/v1, X-API-Version: 1 or ?api_version=1. Deprecated routes answer Deprecation and Sunset headers.\n\n'
          + 'Webhook deliveries are signed: Consentry-Signature t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>, and the '
          + 'Standard Webhooks headers webhook-id, webhook-timestamp, webhook-signature.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Secret key ck_… (server side only)' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'Secret key ck_…, or on visitor endpoints the public key pk_…' },
          publicKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The site\'s public key pk_… (also accepted as api_key in the body)' },
        },
      },
      tags: [
        { name: 'sites' }, { name: 'categories' }, { name: 'consent' }, { name: 'visitor', description: 'Endpoints a banner calls with the public key' },
        { name: 'account', description: 'API keys, IP allowlist and the audit log' }, { name: 'webhooks' }, { name: 'meta' },
      ],
    },
  });

  await app.register(async (instance) => {
    const api = instance.withTypeProvider<TypeBoxTypeProvider>();
    healthRoutes(api, context);
    siteRoutes(api, context);
    categoryRoutes(api, context);
    consentRoutes(api, context);
    visitorRoutes(api, context);
    accountRoutes(api, context);
    webhookRoutes(api, context);
  }, { prefix: '/api/v1' });
  return app;
}
