import Type from 'typebox';
import { publicEndpoint } from '../../domain/webhooks.ts';
import { CreateWebhookBody, Id, Pagination, UpdateWebhookBody, WebhookDeliverySchema, WebhookEndpointSchema } from '#shared/schemas.ts';
import type { WebhookDelivery } from '../../domain/store.ts';
import type { App, RouteContext } from '../context.ts';
import { errors, NoContent, SECRET, SECRET_ROUTE, secretAnswer, SecretShownOnce } from '../docs.ts';
import { principal } from '../policies.ts';

const EndpointParams = Type.Object({ endpointId: Id });
const WithSecret = Type.Object({
  endpoint: WebhookEndpointSchema,
  secret: Type.Optional(Type.String({ description: 'Signing secret (whsec_…): shown only here; absent from an idempotent replay' })),
  secretShownOnce: SecretShownOnce,
});
const publicDelivery = ({ accountId: _accountId, ...delivery }: WebhookDelivery) => delivery;

export function webhookRoutes(app: App, { webhooks }: RouteContext): void {
  const tags = ['webhooks'];

  app.get('/webhooks', {
    config: SECRET_ROUTE,
    schema: { operationId: 'listWebhooks', tags, security: SECRET, summary: 'Webhook endpoints of the account', response: { 200: Type.Object({ data: Type.Array(WebhookEndpointSchema) }), ...errors(401, 403, 429) } },
  }, async (request) => ({ data: (await webhooks.list(principal(request).accountId)).map(publicEndpoint) }));

  app.post('/webhooks', {
    config: { ...SECRET_ROUTE, ...secretAnswer('secret') },
    schema: {
      operationId: 'createWebhook',
      tags, security: SECRET, summary: 'Add an endpoint; its signing secret is in this answer only', body: CreateWebhookBody,
      response: { 201: WithSecret, ...errors(401, 403, 409, 422, 429) },
    },
  }, async (request, reply) => {
    const endpoint = await webhooks.create(principal(request).accountId, request.body);
    return reply.code(201).send({ endpoint: publicEndpoint(endpoint), secret: endpoint.secret });
  });

  app.patch('/webhooks/:endpointId', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'updateWebhook',
      tags, security: SECRET, summary: 'Change an endpoint (URL, events, description, enabled)', params: EndpointParams, body: UpdateWebhookBody,
      response: { 200: Type.Object({ endpoint: WebhookEndpointSchema }), ...errors(401, 403, 404, 422, 429) },
    },
  }, async (request) => ({ endpoint: publicEndpoint(await webhooks.update(principal(request).accountId, request.params.endpointId, request.body)) }));

  app.delete('/webhooks/:endpointId', {
    config: SECRET_ROUTE,
    schema: { operationId: 'deleteWebhook', tags, security: SECRET, summary: 'Remove an endpoint and its deliveries', params: EndpointParams, response: { 204: NoContent, ...errors(401, 403, 404, 429) } },
  }, async (request, reply) => {
    await webhooks.remove(principal(request).accountId, request.params.endpointId);
    return reply.code(204).send(null);
  });

  app.post('/webhooks/:endpointId/rotate-secret', {
    config: { ...SECRET_ROUTE, ...secretAnswer('secret') },
    schema: { operationId: 'rotateWebhookSecret', tags, security: SECRET, summary: 'Give an endpoint a new signing secret (shown once)', params: EndpointParams, response: { 200: WithSecret, ...errors(401, 403, 404, 429) } },
  }, async (request) => {
    const endpoint = await webhooks.rotateSecret(principal(request).accountId, request.params.endpointId);
    return { endpoint: publicEndpoint(endpoint), secret: endpoint.secret };
  });

  app.get('/webhooks/:endpointId/deliveries', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'listWebhookDeliveries',
      tags, security: SECRET, summary: 'Delivery log of an endpoint, newest first', params: EndpointParams,
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })), offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ data: Type.Array(WebhookDeliverySchema), pagination: Pagination }), ...errors(401, 403, 404, 422, 429) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 20;
    const offset = request.query.offset ?? 0;
    const { deliveries, total } = await webhooks.deliveries(principal(request).accountId, request.params.endpointId, { limit, offset });
    return { data: deliveries.map(publicDelivery), pagination: { limit, offset, total, nextCursor: null } };
  });

  app.post('/webhooks/:endpointId/deliveries/:deliveryId/redeliver', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'redeliverWebhookDelivery',
      tags, security: SECRET, summary: 'Send a past delivery again (as a new delivery with the same body)',
      params: Type.Object({ endpointId: Id, deliveryId: Id }),
      response: { 202: Type.Object({ delivery: WebhookDeliverySchema }), ...errors(401, 403, 404, 429) },
    },
  }, async (request, reply) => {
    const delivery = await webhooks.redeliver(principal(request).accountId, request.params.endpointId, request.params.deliveryId);
    return reply.code(202).send({ delivery: publicDelivery(delivery) });
  });
}
