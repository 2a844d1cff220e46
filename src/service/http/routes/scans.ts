import Type from 'typebox';
import { CreateScanBody, Id, Pagination, ScanDetailSchema, ScanListQuery, ScanSchema } from '#shared/schemas.ts';
import { publicScan } from '../../domain/scans.ts';
import type { App, RouteContext } from '../context.ts';
import { errors, SECRET, SECRET_ROUTE } from '../docs.ts';
import { principal } from '../policies.ts';
import { SiteParams } from './sites.ts';

const ScanParams = Type.Object({ siteId: Id, scanId: Id });
const OneScan = Type.Object({ scan: ScanSchema });

export function scanRoutes(app: App, { scans }: RouteContext): void {
  const tags = ['scans'];

  app.post('/sites/:siteId/scans', {
    config: SECRET_ROUTE,
    // Every field is optional: a POST without a body is an empty one.
    preValidation: async (request) => {
      if (request.body === undefined || request.body === null) request.body = {};
    },
    schema: {
      operationId: 'startScan',
      tags, security: SECRET,
      summary: 'Queue a cookie scan of the site (one at a time: 409 while one is queued or running)',
      description: 'Scans the start page (default `https://<site domain>/`), the site\'s sitemaps and same-site links to depth 2 within the page '
        + 'budget, each page three times in a headless Chromium: before any choice, after "Accept all", after "Reject all". Answers 202 with the '
        + 'queued scan; follow it with GET …/scans/{scanId}. The end is sent as `scan.completed` or `scan.failed`.',
      params: SiteParams, body: CreateScanBody,
      response: { 202: OneScan, ...errors(400, 401, 403, 404, 409, 422, 429) },
    },
  }, async (request, reply) => {
    const scan = await scans.start(principal(request).accountId, request.params.siteId, request.body ?? {});
    request.auditDetail = { scan: { id: scan.id, startUrl: scan.startUrl, pageBudget: scan.options.pageBudget } };
    return reply.code(202).send({ scan: publicScan(scan) });
  });

  app.get('/sites/:siteId/scans', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'listScans',
      tags, security: SECRET, summary: 'Scans of the site, newest first', params: SiteParams, querystring: ScanListQuery,
      response: { 200: Type.Object({ data: Type.Array(ScanSchema), pagination: Pagination }), ...errors(401, 403, 404, 422, 429) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 20;
    const offset = request.query.offset ?? 0;
    const { scans: rows, total } = await scans.list(principal(request).accountId, request.params.siteId, request.query);
    return { data: rows.map(publicScan), pagination: { limit, offset, total, nextCursor: null } };
  });

  app.get('/sites/:siteId/scans/:scanId', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'getScan',
      tags, security: SECRET,
      summary: 'A scan with its progress (pagesDone of pagesPlanned), its pages and, once finished, its items, hosts, violations and diff',
      params: ScanParams,
      response: { 200: ScanDetailSchema, ...errors(401, 403, 404, 429) },
    },
  }, async (request) => scans.detail(principal(request).accountId, request.params.siteId, request.params.scanId));

  app.post('/sites/:siteId/scans/:scanId/cancel', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'cancelScan',
      tags, security: SECRET, summary: 'Cancel a queued or running scan (409 once it has ended); the pages done stay readable', params: ScanParams,
      response: { 200: OneScan, ...errors(401, 403, 404, 409, 429) },
    },
  }, async (request) => {
    const scan = await scans.cancel(principal(request).accountId, request.params.siteId, request.params.scanId);
    request.auditDetail = { scan: { id: scan.id, cancelled: true } };
    return { scan: publicScan(scan) };
  });
}
