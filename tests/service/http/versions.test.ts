import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('API versions', () => {
  it('accepts the version by path, header or query, refuses unknown ones, and marks deprecated routes', async () => {
    const { secretKey, site } = await withSite(service, 'Versions');
    expect((await service.request('GET', '/health', { headers: { 'x-api-version': '1' } })).headers.get('x-api-version')).toBe('1');
    expect((await service.request('GET', '/health?api_version=v1')).status).toBe(200);
    const unknown = await service.request('GET', '/health', { headers: { 'x-api-version': '7' } });
    expectError(unknown, 400, 'BAD_REQUEST');
    expect(unknown.body.error.details).toEqual({ supported: ['1'] });
    const old = await service.request('GET', `/consent/events/${site.id}`, { key: secretKey });
    expect(old.status).toBe(200);
    expect(old.headers.get('deprecation')).toBe('true');
    expect(old.headers.get('sunset')).toBe('Fri, 31 Dec 2027 00:00:00 GMT');
    const current = await service.request('GET', `/sites/${site.id}/consent/events`, { key: secretKey });
    expect(current.headers.get('deprecation')).toBeNull();
  });
});
