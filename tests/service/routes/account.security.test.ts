import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('IP allowlist', () => {
  it('refuses secret-key calls from outside it with 403, keeps visitor endpoints open, and validates entries', async () => {
    const { secretKey, site } = await withSite(service, 'Allow');
    const bad = await service.request('PUT', '/account/ip-allowlist', { key: secretKey, body: { entries: ['10.0.0.0/8', 'not-an-ip', '2001:db8::/129'] } });
    expectError(bad, 422, 'VALIDATION_ERROR');
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['entries/1', 'entries/2']);
    expectError(await service.request('PUT', '/account/ip-allowlist', { key: secretKey, body: { entries: Array.from({ length: 51 }, (_, i) => `10.0.${i}.0/24`) } }), 422, 'VALIDATION_ERROR');

    const set = await service.request('PUT', '/account/ip-allowlist', { key: secretKey, body: { entries: ['203.0.113.0/24', '2001:db8::/32', '127.0.0.1'] } });
    expect(set.body.entries).toEqual(['203.0.113.0/24', '2001:db8::/32', '127.0.0.1/32']);
    const from = (ip: string) => ({ key: secretKey, headers: { 'x-forwarded-for': ip } });
    expect((await service.request('GET', '/sites', from('203.0.113.9'))).status).toBe(200);
    expect((await service.request('GET', '/sites', from('2001:db8:1::5'))).status).toBe(200);
    expectError(await service.request('GET', '/sites', from('198.51.100.7')), 403, 'AUTHORIZATION_ERROR');
    expectError(await service.request('GET', '/sites', from('2001:db9::1')), 403, 'AUTHORIZATION_ERROR');
    const visitor = await service.request('POST', '/consent/log', {
      body: { api_key: site.publicKey, consentId: 'cid_allowlist1', action: 'reject_all', categories: {}, policyVersion: '1' },
      headers: { 'x-forwarded-for': '198.51.100.7' },
    });
    expect(visitor.status).toBe(201);
    await service.request('PUT', '/account/ip-allowlist', { key: secretKey, body: { entries: [] } });
    expect((await service.request('GET', '/sites', from('198.51.100.7'))).status).toBe(200);
  });
});
