import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { CONSENT_CSV_COLUMNS as CSV_COLUMNS, type ConsentEvent } from '#shared/consent.ts';
import { ApiError } from '../../domain/errors.ts';
import {
  BatchConsentBody, ConsentEventSchema, ConsentIdParam, EventListQuery, ExportQuery, Id, Pagination, RecordConsentBody, type EventListInput, type ExportInput,
} from '#shared/schemas.ts';
import type { App, RouteContext } from '../context.ts';
import { errors, LIVE_KEY_ROUTE, SECRET, SECRET_ROUTE } from '../docs.ts';
import { principal } from '../policies.ts';
import { SiteParams } from './sites.ts';

const EventPage = Type.Object({ data: Type.Array(ConsentEventSchema), pagination: Pagination });

/** A CSV cell: quoted when needed; a leading = + - @ is neutralised so spreadsheets never run it as a formula. */
function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvRow = (event: ConsentEvent) => `${CSV_COLUMNS.map((c) => csvCell(event[c])).join(',')}\r\n`;

export function consentRoutes(app: App, { sites, consent }: RouteContext): void {
  const tags = ['consent'];

  const listSchema = (operationId: string, summary: string) => ({
    operationId, tags, security: SECRET, summary, params: SiteParams, querystring: EventListQuery,
    response: { 200: EventPage, ...errors(401, 403, 404, 422, 429) },
  });
  const list = async (request: FastifyRequest<{ Params: { siteId: string }; Querystring: EventListInput }>) => {
    const site = await sites.owned(principal(request).accountId, request.params.siteId);
    return consent.list(site.id, request.query);
  };
  app.get('/sites/:siteId/consent/events', {
    config: SECRET_ROUTE,
    schema: listSchema('listConsentEvents', 'Proof of consent: a site\'s events, newest first (limit 50 by default, 100 at most; cursor or offset)'),
  }, list);
  app.get('/consent/events/:siteId', {
    config: { ...SECRET_ROUTE, sunset: '2027-12-31' },
    schema: { ...listSchema('listConsentEventsDeprecated', 'Deprecated path of the same list: use /sites/{siteId}/consent/events'), deprecated: true },
  }, list);

  app.post('/consent/events', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'recordConsentEvent',
      tags, security: SECRET, summary: 'Record a consent event server-side (the site must belong to the key\'s account)', body: RecordConsentBody,
      response: { 201: Type.Object({ event: ConsentEventSchema }), ...errors(400, 401, 403, 404, 409, 413, 422, 429) },
    },
  }, async (request, reply) => {
    const caller = principal(request);
    const { siteId, ...input } = request.body;
    const site = await sites.owned(caller.accountId, siteId);
    const event = await consent.record({ site, categories: await sites.categories(site.id) }, input, {
      ip: request.ip, userAgent: request.headers['user-agent'] ?? null, test: caller.mode === 'test',
    });
    return reply.code(201).send({ event });
  });

  app.post('/consent/events/batch', {
    config: { ...SECRET_ROUTE, rateClass: 'bulk' },
    schema: {
      operationId: 'recordConsentEventBatch',
      tags, security: SECRET, summary: 'Record up to 500 events at once: all of them or none (422 lists the failing items)', body: BatchConsentBody,
      response: { 201: Type.Object({ data: Type.Array(ConsentEventSchema) }), ...errors(400, 401, 403, 409, 413, 422, 429) },
    },
  }, async (request, reply) => {
    const caller = principal(request);
    const views = new Map<string, Awaited<ReturnType<typeof viewOf>> | null>();
    const viewOf = async (siteId: string) => {
      const site = await sites.owned(caller.accountId, siteId);
      return { site, categories: await sites.categories(site.id) };
    };
    for (const { siteId } of request.body.events) {
      if (!views.has(siteId)) views.set(siteId, await viewOf(siteId).catch(() => null));
    }
    const missing = request.body.events.flatMap(({ siteId }, i) => (views.get(siteId) ? [] : [{ field: `events/${i}/siteId`, message: 'is not a site of this account' }]));
    if (missing.length) throw ApiError.validation(missing, 'Some events are not valid; none was recorded');
    const events = await consent.recordBatch(
      request.body.events.map(({ siteId, ...input }) => ({ view: views.get(siteId)!, input })),
      { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, test: caller.mode === 'test' },
      caller.accountId,
    );
    return reply.code(201).send({ data: events });
  });

  app.get('/sites/:siteId/consent/export', {
    config: { ...SECRET_ROUTE, rateClass: 'export' },
    schema: {
      operationId: 'exportConsentEvents',
      tags, security: SECRET, summary: 'Stream every consent event of a site, newest first, as NDJSON (default) or CSV',
      params: SiteParams, querystring: ExportQuery,
      response: { 200: Type.String({ description: 'application/x-ndjson or text/csv' }), ...errors(401, 403, 404, 422, 429) },
    },
  }, async (request, reply) => {
    const site = await sites.owned(principal(request).accountId, request.params.siteId);
    const format = request.query.format ?? 'ndjson';
    const stamp = new Date().toISOString().slice(0, 10);
    reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="consent-${site.id}-${stamp}.${format === 'csv' ? 'csv' : 'ndjson'}"`);
    return reply.send(Readable.from(exportLines(site.id, format, request.query)) as never);
  });

  async function* exportLines(siteId: string, format: 'ndjson' | 'csv', query: ExportInput): AsyncGenerator<string> {
    if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
    const filters = { ...(query.action && { action: query.action }), ...(query.from && { from: query.from }), ...(query.to && { to: query.to }) };
    for await (const events of consent.export(siteId, filters)) {
      yield events.map((event) => (format === 'csv' ? csvRow(event) : `${JSON.stringify(event)}\n`)).join('');
    }
  }

  app.delete('/sites/:siteId/consent/visitors/:consentId', {
    config: LIVE_KEY_ROUTE,
    schema: {
      operationId: 'eraseVisitorConsent',
      tags, security: SECRET, summary: 'Erase one visitor\'s consent events (data-subject request); recorded in the audit log',
      params: Type.Object({ siteId: Id, consentId: ConsentIdParam }),
      response: { 200: Type.Object({ erased: Type.Integer() }), ...errors(401, 403, 404, 429) },
    },
  }, async (request) => {
    const site = await sites.owned(principal(request).accountId, request.params.siteId);
    const erased = await consent.erase(site.id, request.params.consentId);
    request.auditDetail = { erasure: { siteId: site.id, consentId: request.params.consentId, erased } };
    return { erased };
  });
}
