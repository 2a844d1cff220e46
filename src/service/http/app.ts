import { createServer } from 'node:http';
import Fastify, { LogController } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ServiceConfig } from '../config.ts';
import { Accounts } from '../domain/accounts.ts';
import type { Clock } from '../domain/clock.ts';
import { Consent } from '../domain/consent.ts';
import { DISPLAY_USAGE_CHECK_MS, DISPLAY_USAGE_FLUSH_MS, DisplayUsage } from '../domain/display-usage.ts';
import type { RateCounter } from '../domain/limits.ts';
import { Scans } from '../domain/scans.ts';
import { Sites } from '../domain/sites.ts';
import type { Store } from '../domain/store.ts';
import { Webhooks } from '../domain/webhooks.ts';
import { Dispatcher } from '../delivery/dispatcher.ts';
import { anonymizeIp } from '../domain/ip.ts';
import { checkPlans, PLAN_CHECK_MS, purgeExpired } from '../maintenance.ts';
import { PlanExpiry } from '../domain/plan-expiry.ts';
import { Metrics } from '../metrics.ts';
import { ScanRunner } from '../scan-runner.ts';
import { runScan } from '../scanner/index.ts';
import type { RunScan } from '../scanner/engine-types.ts';
import { SERVICE_VERSION, type App, type RouteContext } from './context.ts';
import { documentBodyErrors, OPENAPI } from './docs.ts';
import { frameworkErrors, registerErrorHandling } from './errors.ts';
import {
  auditRecorder, corsPolicy, deprecationPolicy, idempotencyPolicy, idempotencyRecorder, ipRatePolicy, newRequestId, requestPolicy, secretKeyPolicy,
  siteRatePolicy, visitorPolicy, type PolicyDeps,
} from './policies.ts';
import { accountRoutes } from './routes/account.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { scanRoutes } from './routes/scans.ts';
import { cookieRoutes } from './routes/cookies.ts';
import { categoryRoutes } from './routes/categories.ts';
import { consentRoutes } from './routes/consent.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { siteRoutes } from './routes/sites.ts';
import { visitorRoutes, visitorWrites } from './routes/visitor.ts';
import { VISITOR_WRITE_STEPS, type FastifyStep, type Steps, type VisitorWriteStep } from './steps.ts';
import { visitorLane, type VisitorLane } from './visitor-lane.ts';

export { SERVICE_VERSION, type App, type RouteContext };

export interface AppDeps {
  config: ServiceConfig;
  store: Store;
  clock: Clock;
  /** Rate-limit counters (in memory, or shared in Redis), chosen and closed by the composition root. */
  counter: RateCounter;
  /** The counters of GET /metrics; a fresh set when not given. */
  metrics?: Metrics;
  /** The cookie-scan engine; the real one (headless Chromium in a worker) when not given. */
  runScan?: RunScan;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Background work of the service: webhook deliveries and retention. */
    consentry: {
      dispatcher: Dispatcher;
      purge(): Promise<void>;
      /** The expiry check of plans that end (run at start and every minute); the tests call it after moving the clock. */
      checkPlans(): Promise<{ warned: number; expired: number }>;
      /** Anonymous display-preferences counts: the tests flush them and run the hourly webhook check after moving the clock. */
      displayUsage: DisplayUsage;
      /** The scan runner: the tests run its look for work (after moving the clock) and wait until no scan runs. */
      scans: ScanRunner;
      /** The steps of a visitor write on each path, in the order each runs them. */
      visitorSteps: { fastify: Array<{ step: VisitorWriteStep } & FastifyStep>; lane: readonly VisitorWriteStep[] };
    };
  }
}

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

/** Where a value holds U+0000 (in a text or a key), as a JSON pointer; null when nowhere. */
function nulAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const at = key.includes('\0') ? `${path}/${key}` : nulAt(item, `${path}/${key}`);
    if (at !== null) return at;
  }
  return null;
}

/**
 * A schema's validator that also refuses U+0000 anywhere: PostgreSQL cannot
 * store it in text, and no field has a use for it, so both stores refuse it alike.
 */
function compileRefusingNul(ajv: Ajv, schema: object): ValidateFunction {
  const validate = ajv.compile(schema);
  const check = ((data: unknown) => {
    if (!validate(data)) {
      check.errors = validate.errors;
      return false;
    }
    const at = nulAt(data, '');
    check.errors = at === null ? null : [{ instancePath: at, schemaPath: '#', keyword: 'nul', params: {}, message: 'must not contain the character U+0000' }];
    return at === null;
  }) as ValidateFunction;
  return check;
}

/** Paths of the routes that keep nothing about their caller (routes with `config.anonymous`). */
const ANONYMOUS_PATH = /\/display-usage(?:[?#]|$)/;

/** Keys in a logged URL (a banner's public key is in its path): the prefix and four characters, as key hints show them. */
const KEY_IN_TEXT = /\b((?:pk|ck)_(?:test_)?[A-Za-z0-9]{4})[A-Za-z0-9]+|\bwhsec_[A-Za-z0-9+/=]+/g;
export const redactKeys = (text: string): string => text.replace(KEY_IN_TEXT, (whole, hint: string | undefined) => (hint ? `${hint}…` : 'whsec_…'));

/**
 * What a request and a reply look like in the log (debug and trace levels log every request): no key in full, and
 * the client's address anonymised as everywhere else (the address Fastify logs is the visitor's, behind a proxy).
 */
const LOG_SERIALIZERS = {
  req: (req: { method?: string; url?: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
    method: req.method,
    url: req.url === undefined ? undefined : redactKeys(req.url),
    // The anonymous display-preferences count logs no address at all.
    remoteAddress: ANONYMOUS_PATH.test(req.url ?? '') ? undefined : anonymizeIp(req.ip ?? req.socket?.remoteAddress) ?? undefined,
  }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

/** Builds the whole service from explicit dependencies; never listens (server.ts does). */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  let lane: VisitorLane | null = null;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, serializers: LOG_SERIALIZERS },
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
    frameworkErrors: frameworkErrors(config.documentationUrl),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const bodyValidator = makeValidator(false);
  const textValidator = makeValidator(true);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    compileRefusingNul(httpPart === 'body' ? bodyValidator : textValidator, schema) as never);
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

  const metrics = deps.metrics ?? new Metrics();
  deps.store.observe(metrics);
  const accounts = new Accounts(deps.store, deps.clock);
  const sites = new Sites(deps.store, deps.clock);
  const dispatcher = new Dispatcher(deps.store, deps.clock, {
    maxAttempts: config.webhookMaxAttempts, retryBaseMs: config.webhookRetryBaseMs, maxDelayMs: 32_000,
    allowPrivate: config.webhookAllowPrivate, pollMs: 500, timeoutMs: 5000,
    concurrency: config.webhookConcurrency, perAccount: Math.min(config.webhookAccountConcurrency, config.webhookConcurrency),
    onAttempt: (succeeded) => metrics.webhookAttempt(succeeded),
  }, (message, details) => app.log.warn(details ?? {}, message));
  const webhooks = new Webhooks(deps.store, deps.clock, { maxAttempts: config.webhookMaxAttempts, retryBaseMs: config.webhookRetryBaseMs, maxDelayMs: 32_000 }, () => dispatcher.wake());
  const { counter, store } = deps;
  const readiness: RouteContext['readiness'] = { store: () => store.ping() };
  if (config.redisUrl && counter.ping) readiness.redis = () => counter.ping!();
  const displayUsage = new DisplayUsage(deps.store, deps.clock, webhooks, (error, message) => app.log.error({ err: error }, message));
  let scanRunner: ScanRunner | null = null;
  const scans = new Scans(deps.store, deps.clock, sites, webhooks, () => scanRunner?.wake(), (scanId) => scanRunner?.cancelled(scanId));
  scanRunner = new ScanRunner(deps.store, deps.clock, scans, {
    concurrency: config.scanConcurrency, leaseMs: config.scanLeaseSeconds * 1000, chromiumPath: config.scanChromiumPath,
    allowPrivate: config.scanAllowPrivate, runScan: deps.runScan ?? runScan,
  }, (level, message, details) => app.log[level](details ?? {}, message));
  const context: RouteContext = {
    accounts, sites, webhooks, config, displayUsage, scans, consent: new Consent(deps.store, deps.clock, webhooks, config.pageviewOverage),
    readiness, renderMetrics: async () => metrics.render({ webhookOutbox: await store.webhookOutbox() }),
  };
  const policy: PolicyDeps = {
    accounts, sites, store: deps.store, clock: deps.clock, counter, metrics,
    ipRateLimit: config.ipRateLimit, ipv6RatePrefix: config.ipv6RatePrefix, siteRateLimit: config.siteRateLimit,
  };

  // Order matters: request id, version, CORS and per-address limit for every call (in the order of the visitor
  // steps); the secret key before the body is validated; the public key (which may sit in the body) and idempotency
  // after it. Key checks are attached only to the routes that need them, and the hooks on every call return at once
  // when they have nothing to do.
  const fastifySteps = fastifyVisitorSteps(policy, config);
  const installed = new Set<unknown>();
  for (const step of VISITOR_WRITE_STEPS) {
    const { stage, hook } = fastifySteps[step];
    if (!hook || installed.has(hook) || (stage !== 'onRequest' && stage !== 'onResponse')) continue;
    installed.add(hook);
    app.addHook(stage, hook as never);
  }
  const secretKey = secretKeyPolicy(policy);
  // The visitor routes' own hooks: every preHandler step of the list, in its order (the public key first).
  const visitorHooks = VISITOR_WRITE_STEPS.flatMap((step) => {
    const { stage, hook } = fastifySteps[step];
    return stage === 'preHandler' && hook ? [hook] : [];
  });
  const idempotency = idempotencyPolicy(policy);
  app.addHook('onRoute', (route) => {
    documentBodyErrors(route.schema);
    const auth = route.config?.auth;
    const methods = [route.method].flat();
    if (auth === 'secret') route.preValidation = [secretKey, ...[route.preValidation ?? []].flat()];
    if (route.config?.sunset) route.onRequest = [...[route.onRequest ?? []].flat(), deprecationPolicy(route.config.sunset)];
    route.preHandler = [
      ...(auth === 'visitor' ? visitorHooks as never[] : []),
      ...(methods.some((m) => m === 'POST' || m === 'PUT' || m === 'PATCH') ? [idempotency] : []),
    ];
  });
  app.addHook('onSend', idempotencyRecorder(policy));
  lane = visitorLane({ ...policy, config, log: app.log, compile: (schema) => compileRefusingNul(bodyValidator, schema as object), writes: visitorWrites(context) });
  app.addHook('preClose', (done) => {
    lane?.close();
    done();
  });

  let purgeTimer: NodeJS.Timeout | null = null;
  let planTimer: NodeJS.Timeout | null = null;
  const purge = () => purgeExpired(deps.store, deps.clock, { auditDays: config.auditRetentionDays, consentDays: config.consentRetentionDays });
  const planExpiry = new PlanExpiry(deps.store, deps.clock, webhooks, (accountId) => accounts.forget(accountId));
  const plans = () => checkPlans(planExpiry);
  const checkPlansLogged = () => plans().catch((error: unknown) => { app.log.error({ err: error }, 'plan expiry check failed'); });
  const laneSteps = lane.steps;
  app.decorate('consentry', {
    dispatcher, purge, checkPlans: plans, displayUsage, scans: scanRunner,
    visitorSteps: { fastify: VISITOR_WRITE_STEPS.map((step) => ({ step, ...fastifySteps[step] })), lane: laneSteps },
  });
  const notifyDisplayUsage = () => displayUsage.notify().catch((error: unknown) => { app.log.error({ err: error }, 'a11y.profile_used check failed'); });
  let displayFlushTimer: NodeJS.Timeout | null = null;
  let displayNotifyTimer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    dispatcher.start();
    // At start: an hour that closed while the service was down is sent now.
    await notifyDisplayUsage();
    displayFlushTimer = setInterval(() => void displayUsage.flush(), DISPLAY_USAGE_FLUSH_MS);
    displayFlushTimer.unref();
    displayNotifyTimer = setInterval(() => void notifyDisplayUsage(), DISPLAY_USAGE_CHECK_MS);
    displayNotifyTimer.unref();
    purgeTimer = setInterval(() => void purge().catch((error: unknown) => app.log.error({ err: error }, 'purge failed')), 60 * 60 * 1000);
    purgeTimer.unref();
    // At start: a plan that ended while the service was down falls back now, before the first request.
    await checkPlansLogged();
    planTimer = setInterval(() => void checkPlansLogged(), PLAN_CHECK_MS);
    // At start: scans left running by a stopped instance resume (or end as partial) once their lease is out.
    scanRunner.start();
    planTimer.unref();
  });
  app.addHook('onClose', async () => {
    await scanRunner.stop();
    if (purgeTimer) clearInterval(purgeTimer);
    if (planTimer) clearInterval(planTimer);
    if (displayFlushTimer) clearInterval(displayFlushTimer);
    if (displayNotifyTimer) clearInterval(displayNotifyTimer);
    await displayUsage.flush();
    await dispatcher.stop();
  });

  await app.register(swagger, { openapi: OPENAPI });

  await app.register(async (instance) => {
    const api = instance.withTypeProvider<TypeBoxTypeProvider>();
    healthRoutes(api, context);
    siteRoutes(api, context);
    categoryRoutes(api, context);
    consentRoutes(api, context);
    visitorRoutes(api, context);
    accountRoutes(api, context);
    webhookRoutes(api, context);
    scanRoutes(api, context);
    cookieRoutes(api, context);
  }, { prefix: '/api/v1' });
  metricsRoutes(app, context);
  return app;
}

/** Where the Fastify path does each step of a visitor write; the hooks here are installed by buildApp. */
function fastifyVisitorSteps(policy: PolicyDeps, config: ServiceConfig): Steps<FastifyStep> {
  return {
    requestId: { stage: 'onRequest', by: 'requestPolicy (app hook); the id itself is genReqId', hook: requestPolicy },
    apiVersion: { stage: 'onRequest', by: 'requestPolicy (app hook)', hook: requestPolicy },
    cors: { stage: 'onRequest', by: 'corsPolicy (app hook) for routes with config.cors', hook: corsPolicy },
    addressLimit: { stage: 'onRequest', by: 'ipRatePolicy (app hook), off when the limit is 0', hook: config.ipRateLimit > 0 ? ipRatePolicy(policy) : null },
    bodyLimit: { stage: 'parse', by: 'Fastify\'s bodyLimit option (config.bodyLimit)' },
    jsonParse: { stage: 'parse', by: 'Fastify\'s JSON parser (secure-json-parse) and the text/plain parser above' },
    schema: { stage: 'validation', by: 'the route\'s body schema, compiled by the body validator (no coercion)' },
    publicKey: { stage: 'preHandler', by: 'visitorPolicy on routes with config.auth = visitor', hook: visitorPolicy(policy) },
    siteLimit: {
      stage: 'preHandler', by: 'siteRatePolicy after visitorPolicy on the same routes, off when the cap is 0',
      hook: config.siteRateLimit > 0 ? siteRatePolicy(policy) : null,
    },
    domainCall: { stage: 'handler', by: 'the route handler: visitorWrites()[path].run' },
    answer: { stage: 'send', by: 'the reply, or the error handler of errors.ts' },
    audit: { stage: 'onResponse', by: 'auditRecorder (app hook)', hook: auditRecorder(policy) },
  };
}
