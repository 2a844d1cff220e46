import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ApiError } from '../../domain/errors.ts';
import type { VisitorContext } from '../../domain/consent.ts';
import { DisplayUsageBody, HeartbeatBody, HeartbeatResponse, VisitorConsentBody, type HeartbeatInput, type VisitorConsentInput } from '#shared/schemas.ts';
import { requirePageOfSite, type VisitorView } from '../../domain/sites.ts';
import type { App, RouteContext } from '../context.ts';
import { ANONYMOUS_VISITOR_ROUTE, errors, OPEN, PUBLIC, VISITOR_ROUTE } from '../docs.ts';
import { visitor } from '../policies.ts';

const BANNER_MAX_AGE_SECONDS = 300;
const VISITOR_PATHS = ['/banner/:publicKey', '/consent/log', '/heartbeat', '/banner/:publicKey/display-usage'];

/** Who is writing: the site of the public key, and what the request says of the visitor. */
export interface VisitorWrite<B> {
  view: VisitorView;
  body: B;
  visitor: VisitorContext;
}

/**
 * The two writes a banner makes on every page: its consent choice and its
 * heartbeat. Shared by the Fastify routes below and the direct lane
 * (visitor-lane.ts), so both answer alike.
 */
export function visitorWrites({ consent }: Pick<RouteContext, 'consent'>) {
  return {
    '/consent/log': {
      schema: VisitorConsentBody,
      status: 201 as const,
      async run({ view, body, visitor }: VisitorWrite<VisitorConsentInput>): Promise<{ success: true; id: string }> {
        const { api_key: _key, siteId: _siteId, ...input } = body;
        requirePageOfSite(view.site, input.pageUrl, 'pageUrl');
        const event = await consent.record(view, input, visitor);
        return { success: true, id: event.id };
      },
    },
    '/heartbeat': {
      schema: HeartbeatBody,
      status: 200 as const,
      async run({ view, body, visitor }: VisitorWrite<HeartbeatInput>) {
        requirePageOfSite(view.site, body.page_url, 'page_url');
        return consent.heartbeat(view, body, visitor.test);
      },
    },
  };
}

const visitorContext = (request: FastifyRequest): VisitorContext =>
  ({ ip: request.ip, userAgent: request.headers['user-agent'] ?? null, test: false });

/**
 * The endpoints a banner calls from visitors' browsers, identified by the
 * site's public key. Public by design; they answer CORS from any origin and
 * never use cookies.
 */
export function visitorRoutes(app: App, context: RouteContext): void {
  const { sites, consent, displayUsage } = context;
  const writes = visitorWrites(context);
  const tags = ['visitor'];

  for (const path of VISITOR_PATHS) {
    app.options(path, { schema: { hide: true }, config: { cors: true } }, async (_request, reply) => reply
      .header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
      .header('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-API-Key')
      .header('Access-Control-Max-Age', '86400')
      .code(204).send());
  }

  app.get('/banner/:publicKey', {
    config: { cors: true },
    schema: {
      operationId: 'getBannerConfig',
      tags, security: OPEN, summary: 'Everything a banner needs to render, for the site of a public key (cacheable 5 minutes, ETag)',
      params: Type.Object({ publicKey: Type.String({ maxLength: 100 }) }),
      response: { 200: Type.Unknown({ description: 'BannerConfigResponse: siteId, publicKey, config, categories' }), 304: Type.Null(), ...errors(404, 429) },
    },
  }, async (request, reply) => {
    const view = request.params.publicKey.startsWith('pk_') ? await sites.visitorView(request.params.publicKey) : null;
    if (!view) throw ApiError.notFound('Site for this public key');
    const body = JSON.stringify(consent.bannerConfig(view));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    reply.header('ETag', etag).header('Cache-Control', `public, max-age=${BANNER_MAX_AGE_SECONDS}`).header('Vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.post('/consent/log', {
    config: VISITOR_ROUTE,
    schema: {
      operationId: 'logVisitorConsent',
      tags, security: PUBLIC, summary: 'Record a visitor\'s consent choice (proof of consent); durable before the 201', body: VisitorConsentBody,
      response: { 201: Type.Object({ success: Type.Literal(true), id: Type.String() }), ...errors(400, 401, 403, 413, 422, 429) },
    },
  }, async (request, reply) => {
    const write = writes['/consent/log'];
    return reply.code(write.status).send(await write.run({ view: visitor(request), body: request.body, visitor: visitorContext(request) }));
  });

  app.post('/heartbeat', {
    config: VISITOR_ROUTE,
    schema: {
      operationId: 'recordHeartbeat',
      tags, security: PUBLIC, summary: 'Count a pageview (a reload of the same page by the same session within 30 minutes counts once)',
      body: HeartbeatBody, response: { 200: HeartbeatResponse, ...errors(400, 401, 403, 413, 422, 429) },
    },
  }, async (request) => {
    return writes['/heartbeat'].run({ view: visitor(request), body: request.body, visitor: visitorContext(request) });
  });

  app.post('/banner/:publicKey/display-usage', {
    config: ANONYMOUS_VISITOR_ROUTE,
    schema: {
      operationId: 'countDisplayProfileUse',
      tags, security: OPEN,
      summary: 'Count one use of a display-preferences profile, anonymously',
      description: 'The body is `{ "profile": … }` and nothing else. Nothing about the sender is kept or logged (no address, browser, '
        + 'consent id or session, and no audit entry): the service adds one to the site\'s count of the profile in the current hour. '
        + 'Counts are written within a few seconds; `a11y.profile_used` carries each closed hour\'s counts.',
      params: Type.Object({ publicKey: Type.String({ maxLength: 100 }) }), body: DisplayUsageBody,
      response: { 202: Type.Object({ success: Type.Literal(true) }), ...errors(400, 401, 413, 422, 429) },
    },
  }, async (request, reply) => {
    displayUsage.count(visitor(request).site, request.body.profile);
    return reply.code(202).send({ success: true });
  });
}
