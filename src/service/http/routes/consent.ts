import Type from 'typebox';
import { ConsentEventSchema, EventListQuery, Pagination, RecordConsentBody } from '../../domain/schemas.ts';
import type { App, RouteContext } from '../app.ts';
import { requireAccount } from '../auth.ts';
import { errors, SECRET } from '../docs.ts';
import { SiteParams } from './sites.ts';

export function consentRoutes(app: App, { accounts, sites, consent }: RouteContext): void {
  const tags = ['consent'];

  app.get('/consent/events/:siteId', {
    schema: {
      tags, security: SECRET, summary: 'Proof of consent: a site\'s events, newest first (limit 50 by default, 100 at most)',
      params: SiteParams, querystring: EventListQuery,
      response: { 200: Type.Object({ data: Type.Array(ConsentEventSchema), pagination: Pagination }), ...errors(401, 403, 404, 422) },
    },
  }, async (request) => {
    const { accountId } = await requireAccount(request, accounts);
    const site = await sites.owned(accountId, request.params.siteId);
    return consent.list(site.id, request.query);
  });

  app.post('/consent/events', {
    schema: {
      tags, security: SECRET, summary: 'Record a consent event server-side (the site must belong to the key\'s account)', body: RecordConsentBody,
      response: { 201: Type.Object({ event: ConsentEventSchema }), ...errors(400, 401, 403, 404, 413, 422) },
    },
  }, async (request, reply) => {
    const principal = await requireAccount(request, accounts);
    const { siteId, ...input } = request.body;
    const site = await sites.owned(principal.accountId, siteId);
    const event = await consent.record({ site, categories: await sites.categories(site.id) }, input, {
      ip: request.ip, userAgent: request.headers['user-agent'] ?? null, test: principal.mode === 'test',
    });
    return reply.code(201).send({ event });
  });
}
