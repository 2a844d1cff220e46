import Type from 'typebox';
import { maskEmails } from '../../domain/privacy.ts';
import { AccountSchema, AllowlistBody, ApiKeySchema, AuditEntrySchema, AuditQuery, CreateKeyBody, Id, Pagination } from '#shared/schemas.ts';
import type { ApiKey } from '../../domain/store.ts';
import type { App, RouteContext } from '../context.ts';
import { errors, NoContent, LIVE_KEY_ROUTE, SECRET, SECRET_ROUTE, secretAnswer, SecretShownOnce } from '../docs.ts';
import { principal } from '../policies.ts';

const publicKey = ({ accountId: _accountId, ...key }: ApiKey) => key;

export function accountRoutes(app: App, { accounts }: RouteContext): void {
  const tags = ['account'];

  app.get('/account', {
    config: SECRET_ROUTE,
    schema: { operationId: 'getAccount', tags, security: SECRET, summary: 'The account of the key: plan, masked e-mail, IP allowlist', response: { 200: Type.Object({ account: AccountSchema }), ...errors(401, 403, 429) } },
  }, async (request) => {
    const account = await accounts.get(principal(request).accountId);
    return { account: { ...account, email: account.email ? maskEmails(account.email) : null } };
  });

  app.put('/account/ip-allowlist', {
    config: LIVE_KEY_ROUTE,
    schema: {
      operationId: 'setIpAllowlist',
      tags, security: SECRET, summary: 'Replace the IP allowlist of secret-key calls (at most 50 ranges; visitor endpoints are never restricted)',
      body: AllowlistBody, response: { 200: Type.Object({ entries: Type.Array(Type.String()) }), ...errors(401, 403, 422, 429) },
    },
  }, async (request) => ({ entries: await accounts.setAllowlist(principal(request).accountId, request.body.entries) }));

  app.get('/keys', {
    config: SECRET_ROUTE,
    schema: { operationId: 'listKeys', tags, security: SECRET, summary: 'The account\'s secret keys (hints only)', response: { 200: Type.Object({ data: Type.Array(ApiKeySchema) }), ...errors(401, 403, 429) } },
  }, async (request) => ({ data: (await accounts.listKeys(principal(request).accountId)).map(publicKey) }));

  app.post('/keys', {
    config: { ...LIVE_KEY_ROUTE, ...secretAnswer('secretKey') },
    schema: {
      operationId: 'createKey',
      tags, security: SECRET, summary: 'Create a secret key; the key is in this answer and never again', body: CreateKeyBody,
      response: {
        201: Type.Object({ key: ApiKeySchema, secretKey: Type.Optional(Type.String({ description: 'The key; absent from an idempotent replay' })), secretShownOnce: SecretShownOnce }),
        ...errors(401, 403, 422, 429),
      },
    },
  }, async (request, reply) => {
    const { key, secretKey } = await accounts.createKey(principal(request).accountId, request.body.name, request.body.mode ?? 'live');
    return reply.code(201).send({ key: publicKey(key), secretKey });
  });

  app.delete('/keys/:keyId', {
    config: LIVE_KEY_ROUTE,
    schema: { operationId: 'revokeKey', tags, security: SECRET, summary: 'Revoke a secret key at once', params: Type.Object({ keyId: Id }), response: { 204: NoContent, ...errors(401, 403, 404, 429) } },
  }, async (request, reply) => {
    await accounts.revokeKey(principal(request).accountId, request.params.keyId);
    return reply.code(204).send(null);
  });

  app.get('/audit-log', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'listAuditLog',
      tags, security: SECRET, summary: 'Every API call of the account, newest first (kept 90 days)', querystring: AuditQuery,
      response: { 200: Type.Object({ data: Type.Array(AuditEntrySchema), pagination: Pagination }), ...errors(401, 403, 422, 429) },
    },
  }, async (request) => {
    const page = await accounts.audit(principal(request).accountId, request.query);
    return { ...page, data: page.data.map(({ accountId: _accountId, ...entry }) => entry) };
  });
}
