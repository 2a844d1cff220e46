import Type from 'typebox';
import {
  CategorySchema, CreateSiteBody, DisplayUsageQuery, DisplayUsageReportSchema, Id, Pagination, SiteListQuery, SiteSchema, UpdateSiteBody, UsageQuery,
} from '#shared/schemas.ts';
import type { SiteRecord } from '../../domain/store.ts';
import type { App, RouteContext } from '../context.ts';
import { principal } from '../policies.ts';
import { errors, LIVE_KEY_ROUTE, SECRET, SECRET_ROUTE } from '../docs.ts';

export const SiteParams = Type.Object({ siteId: Id });

/** The public shape of a site: the owning account stays internal. */
export function publicSite({ accountId: _accountId, ...site }: SiteRecord) {
  return site;
}

export function siteRoutes(app: App, { sites, consent, displayUsage }: RouteContext): void {
  const tags = ['sites'];

  app.get('/sites', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'listSites',
      tags, security: SECRET, summary: 'List the account\'s sites', querystring: SiteListQuery,
      response: { 200: Type.Object({ data: Type.Array(SiteSchema), pagination: Pagination }), ...errors(401, 403, 422) },
    },
  }, async (request) => {
    const { accountId } = principal(request);
    const limit = request.query.limit ?? 20;
    const offset = request.query.offset ?? 0;
    const { sites: rows, total } = await sites.list(accountId, { limit, offset }, request.query.status);
    return { data: rows.map(publicSite), pagination: { limit, offset, total, nextCursor: null } };
  });

  app.post('/sites', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'createSite',
      tags, security: SECRET, summary: 'Create a site (seeds the necessary, analytics and marketing categories)', body: CreateSiteBody,
      response: { 201: Type.Object({ site: SiteSchema, categories: Type.Array(CategorySchema) }), ...errors(400, 401, 403, 413, 422) },
    },
  }, async (request, reply) => {
    const { accountId } = principal(request);
    const { site, categories } = await sites.create(accountId, request.body);
    return reply.code(201).send({ site: publicSite(site), categories });
  });

  app.get('/sites/:siteId', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'getSite',
      tags, security: SECRET, summary: 'A site with its categories', params: SiteParams,
      response: { 200: Type.Object({ site: SiteSchema, categories: Type.Array(CategorySchema) }), ...errors(401, 403, 404) },
    },
  }, async (request) => {
    const { accountId } = principal(request);
    const site = await sites.owned(accountId, request.params.siteId);
    return { site: publicSite(site), categories: await sites.categories(site.id) };
  });

  app.patch('/sites/:siteId', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'updateSite',
      tags, security: SECRET, summary: 'Change a site (at least one field; config is replaced whole)', params: SiteParams, body: UpdateSiteBody,
      response: { 200: Type.Object({ site: SiteSchema }), ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request) => {
    const { accountId } = principal(request);
    return { site: publicSite(await sites.update(accountId, request.params.siteId, request.body)) };
  });

  app.delete('/sites/:siteId', {
    config: LIVE_KEY_ROUTE,
    schema: {
      operationId: 'deleteSite',
      tags, security: SECRET, summary: 'Soft-delete a site: it stops serving visitors, its consent events stay readable', params: SiteParams,
      response: { 200: Type.Object({ site: SiteSchema }), ...errors(401, 403, 404) },
    },
  }, async (request) => {
    const { accountId } = principal(request);
    return { site: publicSite(await sites.remove(accountId, request.params.siteId)) };
  });

  app.post('/sites/:siteId/public-key/rotate', {
    config: LIVE_KEY_ROUTE,
    schema: {
      operationId: 'rotateSitePublicKey',
      tags, security: SECRET, summary: 'Give the site a new public key; the old one stops working at once', params: SiteParams,
      response: { 200: Type.Object({ site: SiteSchema }), ...errors(401, 403, 404) },
    },
  }, async (request) => {
    const { accountId } = principal(request);
    return { site: publicSite(await sites.rotatePublicKey(accountId, request.params.siteId)) };
  });

  app.get('/sites/:siteId/usage', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'getSiteUsage',
      tags, security: SECRET, summary: 'Pageviews this month against the plan limit, and consent choices per day', params: SiteParams, querystring: UsageQuery,
      response: {
        200: Type.Object({
          month: Type.String(), pageviews: Type.Integer(), planLimit: Type.Union([Type.Integer(), Type.Null()]), usagePercent: Type.Number(),
          daily: Type.Array(Type.Object({ date: Type.String(), accept_all: Type.Integer(), reject_all: Type.Integer(), custom: Type.Integer(), withdraw: Type.Integer() })),
        }),
        ...errors(401, 403, 404, 422),
      },
    },
  }, async (request) => {
    const { accountId } = principal(request);
    const site = await sites.owned(accountId, request.params.siteId);
    return consent.usage(site, request.query.days ?? 30);
  });

  app.get('/sites/:siteId/display-usage', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'getSiteDisplayUsage',
      tags, security: SECRET,
      summary: 'Anonymous uses of each display-preferences profile per hour or day (counts only: nothing names a visitor)',
      params: SiteParams, querystring: DisplayUsageQuery,
      response: { 200: DisplayUsageReportSchema, ...errors(401, 403, 404, 422) },
    },
  }, async (request) => {
    const { accountId } = principal(request);
    const site = await sites.owned(accountId, request.params.siteId);
    return displayUsage.report(site, request.query);
  });
}
