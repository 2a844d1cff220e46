import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestService } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('health and the API document', () => {
  it('answers health without a key and a request id on every response', async () => {
    const res = await service.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.any(String) });
    expect(res.headers.get('x-request-id')).toMatch(/^req_[A-Za-z0-9]{20}$/);
  });

  it('serves an OpenAPI 3 document generated from the validating schemas', async () => {
    const res = await service.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const paths = Object.keys(res.body.paths);
    for (const path of ['/api/v1/sites', '/api/v1/sites/{siteId}', '/api/v1/sites/{siteId}/categories/reorder', '/api/v1/consent/events/{siteId}', '/api/v1/consent/log', '/api/v1/heartbeat', '/api/v1/banner/{publicKey}']) {
      expect(paths).toContain(path);
    }
    const createCategory = res.body.paths['/api/v1/sites/{siteId}/categories'].post;
    const schema = createCategory.requestBody.content['application/json'].schema;
    expect(schema.properties.key.pattern).toBe('^(?!(?:__proto__|constructor|prototype)$)[a-z0-9_]{1,50}$');
    expect(schema.additionalProperties).toBe(false);
    expect(createCategory.responses['409']).toBeDefined();
  });
});

describe('error documentation', () => {
  it('points every error at the service\'s own list of codes', async () => {
    const res = await service.request('GET', '/sites');
    expect(res.body.error.documentation_url).toBe('/api/v1/errors#AUTHENTICATION_ERROR');
    const list = await service.request('GET', '/errors');
    expect(list.body.data).toContainEqual({ code: 'AUTHENTICATION_ERROR', status: 401, meaning: expect.any(String) });
    expect(list.body.data).toHaveLength(11);
  });
});
