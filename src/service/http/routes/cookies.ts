import Type from 'typebox';
import { CreateInventoryBody, Id, InventoryEntrySchema, InventoryListQuery, Pagination, UpdateInventoryBody } from '#shared/schemas.ts';
import type { InventoryRecord } from '../../domain/store.ts';
import type { App, RouteContext } from '../context.ts';
import { errors, NoContent, SECRET, SECRET_ROUTE } from '../docs.ts';
import { principal } from '../policies.ts';
import { SiteParams } from './sites.ts';

const CookieParams = Type.Object({ siteId: Id, cookieId: Id });
const OneEntry = Type.Object({ cookie: InventoryEntrySchema });
/** The entry as the API shows it: when a person last edited it stays internal. */
const publicEntry = ({ editedAt: _editedAt, ...entry }: InventoryRecord) => entry;

export function cookieRoutes(app: App, { scans }: RouteContext): void {
  const tags = ['cookies'];

  app.get('/sites/:siteId/cookies', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'listCookies',
      tags, security: SECRET,
      summary: 'The site\'s cookie inventory: cookies, storage keys and IndexedDB databases, found by scans or added by hand',
      params: SiteParams, querystring: InventoryListQuery,
      response: { 200: Type.Object({ data: Type.Array(InventoryEntrySchema), pagination: Pagination }), ...errors(401, 403, 404, 422, 429) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 20;
    const offset = request.query.offset ?? 0;
    const { entries, total } = await scans.inventory(principal(request).accountId, request.params.siteId, request.query);
    return { data: entries.map(publicEntry), pagination: { limit, offset, total, nextCursor: null } };
  });

  app.post('/sites/:siteId/cookies', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'createCookie',
      tags, security: SECRET, summary: 'Add an inventory entry by hand (kind, name and domain unique per site: 409 otherwise)',
      params: SiteParams, body: CreateInventoryBody,
      response: { 201: OneEntry, ...errors(400, 401, 403, 404, 409, 422, 429) },
    },
  }, async (request, reply) => {
    const entry = await scans.createEntry(principal(request).accountId, request.params.siteId, request.body);
    request.auditDetail = { cookie: { id: entry.id, kind: entry.kind, name: entry.name } };
    return reply.code(201).send({ cookie: publicEntry(entry) });
  });

  app.patch('/sites/:siteId/cookies/:cookieId', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'updateCookie',
      tags, security: SECRET, summary: 'Change an inventory entry (category, review, provider, purpose, retention, translations); later scans keep it',
      params: CookieParams, body: UpdateInventoryBody,
      response: { 200: OneEntry, ...errors(400, 401, 403, 404, 422, 429) },
    },
  }, async (request) => {
    const entry = await scans.updateEntry(principal(request).accountId, request.params.siteId, request.params.cookieId, request.body);
    request.auditDetail = { cookie: { id: entry.id, fields: Object.keys(request.body) } };
    return { cookie: publicEntry(entry) };
  });

  app.delete('/sites/:siteId/cookies/:cookieId', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'deleteCookie',
      tags, security: SECRET, summary: 'Remove an inventory entry (a later scan that finds the item adds it again, to review)', params: CookieParams,
      response: { 204: NoContent, ...errors(401, 403, 404, 429) },
    },
  }, async (request, reply) => {
    await scans.deleteEntry(principal(request).accountId, request.params.siteId, request.params.cookieId);
    request.auditDetail = { cookie: { id: request.params.cookieId, deleted: true } };
    return reply.code(204).send(null);
  });
}
