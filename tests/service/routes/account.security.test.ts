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

describe('test keys (ck_test_)', () => {
  it('cannot manage keys or the IP allowlist, erase, delete a site or rotate its public key: 403, and nothing changes', async () => {
    const { secretKey, site } = await withSite(service, 'Sandbox');
    const test = (await service.request('POST', '/keys', { key: secretKey, body: { name: 'sandbox', mode: 'test' } })).body;
    expect(test.secretKey).toMatch(/^ck_test_/);
    const visitor = { consentId: 'cid_sandbox_0001', action: 'accept_all', categories: { analytics: true }, policyVersion: '1' };
    expect((await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...visitor } })).status).toBe(201);

    const refused: Array<[string, string, unknown?]> = [
      ['POST', '/keys', { name: 'escalate', mode: 'live' }],
      ['POST', '/keys', { name: 'another', mode: 'test' }],
      ['DELETE', `/keys/${test.key.id}`],
      ['PUT', '/account/ip-allowlist', { entries: ['203.0.113.0/24'] }],
      ['DELETE', `/sites/${site.id}/consent/visitors/${visitor.consentId}`],
      ['DELETE', `/sites/${site.id}`],
      ['POST', `/sites/${site.id}/public-key/rotate`],
    ];
    for (const [method, path, body] of refused) {
      const res = await service.request(method, path, { key: test.secretKey, ...(body !== undefined && { body }) });
      expectError(res, 403, 'AUTHORIZATION_ERROR');
      expect(res.body.error.message, `${method} ${path}`).toMatch(/test key \(ck_test_\) cannot .*use a live key/);
    }

    const keys = await service.request('GET', '/keys', { key: secretKey });
    expect(keys.body.data).toHaveLength(2);
    expect(keys.body.data.every((k: { revokedAt: string | null }) => k.revokedAt === null)).toBe(true);
    expect((await service.request('GET', '/account', { key: secretKey })).body.account.ipAllowlist).toEqual([]);
    const after = await service.request('GET', `/sites/${site.id}`, { key: secretKey });
    expect(after.body.site).toMatchObject({ status: 'active', publicKey: site.publicKey });
    expect((await service.request('GET', `/sites/${site.id}/consent/events`, { key: secretKey })).body.data).toHaveLength(1);

    // What a test key is for: building against the API.
    expect((await service.request('GET', '/keys', { key: test.secretKey })).status).toBe(200);
    expect((await service.request('GET', `/sites/${site.id}/consent/events`, { key: test.secretKey })).status).toBe(200);
    const recorded = await service.request('POST', '/consent/events', { key: test.secretKey, body: { siteId: site.id, ...visitor, consentId: 'cid_sandbox_0002' } });
    expect(recorded.status).toBe(201);
    expect(recorded.body.event.test).toBe(true);
    expect((await service.request('PATCH', `/sites/${site.id}`, { key: test.secretKey, body: { name: 'Sandbox renamed' } })).status).toBe(200);

    // A live key still may.
    expect((await service.request('DELETE', `/sites/${site.id}/consent/visitors/${visitor.consentId}`, { key: secretKey })).body.erased).toBe(1);
    expect((await service.request('DELETE', `/keys/${test.key.id}`, { key: secretKey })).status).toBe(204);
  });
});
