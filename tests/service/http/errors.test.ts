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
