import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ServiceConfig } from '../config.ts';
import { Accounts } from '../domain/accounts.ts';
import type { Clock } from '../domain/clock.ts';
import { Consent } from '../domain/consent.ts';
import { randomBase62 } from '../domain/ids.ts';
import { Sites } from '../domain/sites.ts';
import type { Store } from '../domain/store.ts';
import { registerErrorHandling } from './errors.ts';
import { categoryRoutes } from './routes/categories.ts';
import { consentRoutes } from './routes/consent.ts';
import { healthRoutes } from './routes/health.ts';
import { siteRoutes } from './routes/sites.ts';
import { visitorRoutes } from './routes/visitor.ts';

export const SERVICE_VERSION = '0.1.0';

export interface AppDeps {
  config: ServiceConfig;
  store: Store;
  clock: Clock;
}

/** What route modules receive. */
export interface RouteContext {
  accounts: Accounts;
  sites: Sites;
  consent: Consent;
  config: ServiceConfig;
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
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    genReqId: () => `req_${randomBase62(20)}`,
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

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-ID', request.id);
  });
  registerErrorHandling(app, config.documentationUrl);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Consentry API',
        version: SERVICE_VERSION,
        description: 'Sites, consent categories, proof of consent and the visitor endpoints of the Consentry consent-management service. '
          + 'Bodies are JSON; unknown fields are rejected with 422. Every response carries X-Request-ID; every error is '
          + '{success:false, error:{code, message, details, request_id, documentation_url}}.',
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
        { name: 'sites' }, { name: 'categories' }, { name: 'consent' }, { name: 'visitor', description: 'Endpoints a banner calls with the public key' }, { name: 'meta' },
      ],
    },
  });

  const context: RouteContext = {
    accounts: new Accounts(deps.store, deps.clock),
    sites: new Sites(deps.store, deps.clock),
    consent: new Consent(deps.store, deps.clock),
    config,
  };
  await app.register(async (instance) => {
    const api = instance.withTypeProvider<TypeBoxTypeProvider>();
    healthRoutes(api, context);
    siteRoutes(api, context);
    categoryRoutes(api, context);
    consentRoutes(api, context);
    visitorRoutes(api, context);
  }, { prefix: '/api/v1' });
  return app;
}
