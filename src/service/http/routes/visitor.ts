import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ApiError } from '../../domain/errors.ts';
import { HeartbeatBody, HeartbeatResponse, VisitorConsentBody } from '../../domain/schemas.ts';
import type { App, RouteContext } from '../app.ts';
import { errors, PUBLIC, VISITOR_ROUTE } from '../docs.ts';
import { visitor } from '../policies.ts';

const BANNER_MAX_AGE_SECONDS = 300;
const VISITOR_PATHS = ['/banner/:publicKey', '/consent/log', '/heartbeat'];

/** Visitor routes answer CORS from any origin (they never use cookies). */
function cors(_request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  reply.header('Access-Control-Allow-Origin', '*');
  reply.header('Access-Control-Expose-Headers', 'X-Request-ID, ETag');
  done();
}

/**
 * The endpoints a banner calls from visitors' browsers, identified by the
 * site's public key. Public by design; they answer CORS from any origin and
 * never use cookies.
 */
export function visitorRoutes(app: App, { sites, consent }: RouteContext): void {
  const tags = ['visitor'];

  for (const path of VISITOR_PATHS) {
    app.options(path, { schema: { hide: true }, onRequest: cors }, async (_request, reply) => reply
      .header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
      .header('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-API-Key')
      .header('Access-Control-Max-Age', '86400')
      .code(204).send());
  }

  app.get('/banner/:publicKey', {
    onRequest: cors,
    schema: {
      tags, summary: 'Everything a banner needs to render, for the site of a public key (cacheable 5 minutes, ETag)',
      params: Type.Object({ publicKey: Type.String({ maxLength: 100 }) }),
      response: { 200: Type.Unknown({ description: 'BannerConfigResponse: siteId, publicKey, config, categories' }), 304: Type.Null(), ...errors(404) },
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
    onRequest: cors,
    config: VISITOR_ROUTE,
    schema: {
      tags, security: PUBLIC, summary: 'Record a visitor\'s consent choice (proof of consent); durable before the 201', body: VisitorConsentBody,
      response: { 201: Type.Object({ success: Type.Literal(true), id: Type.String() }), ...errors(400, 401, 403, 413, 422) },
    },
  }, async (request, reply) => {
    const { api_key: _key, siteId: _siteId, ...input } = request.body;
    const event = await consent.record(visitor(request), input, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, test: false });
    return reply.code(201).send({ success: true, id: event.id });
  });

  app.post('/heartbeat', {
    onRequest: cors,
    config: VISITOR_ROUTE,
    schema: {
      tags, security: PUBLIC, summary: 'Count a pageview (a reload of the same page by the same session within 30 minutes counts once)',
      body: HeartbeatBody, response: { 200: HeartbeatResponse, ...errors(400, 401, 403, 413, 422) },
    },
  }, async (request) => {
    return consent.heartbeat(visitor(request), request.body, false);
  });
}
