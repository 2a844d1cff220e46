import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('errors of any route', () => {
  it('answers unknown routes with the JSON error object', async () => {
    expectError(await service.request('GET', '/nothing/here'), 404, 'RESOURCE_NOT_FOUND');
    expectError(await service.request('DELETE', '/health'), 404, 'RESOURCE_NOT_FOUND');
  });

  it('answers 400 for malformed JSON and 413 for bodies over 1 MiB, storing nothing', async () => {
    const { secretKey } = await withSite(service);
    expectError(await service.request('POST', '/sites', { key: secretKey, raw: '{"name": "x",' }), 400, 'BAD_REQUEST');
    expectError(await service.request('POST', '/sites', { key: secretKey, raw: '' }), 400, 'BAD_REQUEST');
    const huge = JSON.stringify({ name: 'x', domain: 'big.example.com', config: { texts: { en: { description: 'a'.repeat(1024 * 1024) } } } });
    expectError(await service.request('POST', '/sites', { key: secretKey, raw: huge }), 413, 'PAYLOAD_TOO_LARGE');
    expect((await service.request('GET', '/sites', { key: secretKey })).body.pagination.total).toBe(1);
  });
});

describe('errors the router raises', () => {
  it('answers a path segment longer than any id, or a malformed escape, with the error object and its request id', async () => {
    const { secretKey } = await withSite(service, 'Router');
    expectError(await service.request('GET', `/sites/${'x'.repeat(101)}`, { key: secretKey }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('GET', `/banner/pk_${'x'.repeat(3000)}`), 422, 'VALIDATION_ERROR');
    expectError(await service.request('GET', '/sites/%zz', { key: secretKey }), 400, 'BAD_REQUEST');
  });
});

describe('U+0000 in a text', () => {
  it('is refused in any body field and in a cursor, on every store alike (PostgreSQL cannot store it)', async () => {
    const { secretKey, site } = await withSite(service, 'Nul');
    const nul = await service.request('POST', '/sites', { key: secretKey, body: { name: 'a\u0000b', domain: 'nul.example.com' } });
    expectError(nul, 422, 'VALIDATION_ERROR');
    expect(nul.body.error.details.fields).toEqual([{ field: 'name', message: 'must not contain the character U+0000' }]);
    expectError(await service.request('POST', '/keys', { key: secretKey, body: { name: '\u0000' } }), 422, 'VALIDATION_ERROR');
    const choice = { consentId: 'visitor-nul-1', action: 'accept_all', categories: {}, policyVersion: 'v\u00001' };
    // The visitor lane, and the Fastify route (an X-API-Version header sends it there).
    expectError(await service.request('POST', '/consent/log', { key: site.publicKey, body: choice }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('POST', '/consent/log', { key: site.publicKey, body: choice, headers: { 'x-api-version': '1' } }), 422, 'VALIDATION_ERROR');
    const cursor = Buffer.from('2026-11-23T10:00:00.000Z|evt_a\u0000b').toString('base64url');
    expectError(await service.request('GET', `/sites/${site.id}/consent/events?cursor=${cursor}`, { key: secretKey }), 422, 'VALIDATION_ERROR');
    expect((await service.request('GET', '/sites', { key: secretKey })).body.pagination.total).toBe(1);
    expect((await service.request('GET', `/sites/${site.id}/consent/events`, { key: secretKey })).body.data).toEqual([]);
  });
});
