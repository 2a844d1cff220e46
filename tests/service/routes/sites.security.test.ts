import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('keys and ownership', () => {
  it('answers 401 without a key, with a wrong key and with a malformed header', async () => {
    expectError(await service.request('GET', '/sites'), 401, 'AUTHENTICATION_ERROR');
    expectError(await service.request('GET', '/sites', { key: 'ck_doesnotexist0000000000000000000000000000' }), 401, 'AUTHENTICATION_ERROR');
    expectError(await service.request('GET', '/sites', { headers: { authorization: 'Basic abc' } }), 401, 'AUTHENTICATION_ERROR');
  });

  it('refuses a public key on secret routes with 403', async () => {
    const { site } = await withSite(service);
    expectError(await service.request('GET', '/sites', { key: site.publicKey }), 403, 'AUTHORIZATION_ERROR');
    expectError(await service.request('GET', `/consent/events/${site.id}`, { key: site.publicKey }), 403, 'AUTHORIZATION_ERROR');
  });

  it('hides another account\'s site behind a 404 everywhere', async () => {
    const alice = await withSite(service, 'Alice');
    const bob = await withSite(service, 'Bob');
    const paths: Array<[string, string, unknown?]> = [
      ['GET', `/sites/${alice.site.id}`],
      ['PATCH', `/sites/${alice.site.id}`, { name: 'pwned' }],
      ['DELETE', `/sites/${alice.site.id}`],
      ['GET', `/sites/${alice.site.id}/categories`],
      ['POST', `/sites/${alice.site.id}/categories`, { key: 'evil', nameEn: 'Evil' }],
      ['DELETE', `/sites/${alice.site.id}/categories/${alice.categories[1]!.id}`],
      ['GET', `/consent/events/${alice.site.id}`],
      ['GET', `/sites/${alice.site.id}/usage`],
      ['POST', '/consent/events', { siteId: alice.site.id, consentId: 'abcdefgh1234', action: 'accept_all', categories: {}, policyVersion: '1' }],
    ];
    for (const [method, path, body] of paths) {
      expectError(await service.request(method, path, { key: bob.secretKey, body }), 404, 'RESOURCE_NOT_FOUND');
    }
    const untouched = await service.request('GET', `/sites/${alice.site.id}`, { key: alice.secretKey });
    expect(untouched.body.site.name).toBe(alice.site.name);
    expect(untouched.body.site.status).toBe('active');
    expect(untouched.body.categories).toHaveLength(3);
    expect((await service.request('GET', `/consent/events/${alice.site.id}`, { key: alice.secretKey })).body.data).toHaveLength(0);
  });

  it('stores secret keys hashed and stops accepting a revoked key', async () => {
    const { accountId, secretKey } = await service.account('Hashy');
    const rows = await service.store.sql.all('SELECT * FROM api_keys WHERE account_id = ?', [accountId]);
    expect(JSON.stringify(rows)).not.toContain(secretKey);
    expect(rows[0]).toMatchObject({ key_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const { Accounts } = await import('../../../src/service/domain/accounts.ts');
    const accounts = new Accounts(service.store, service.clock);
    const keys = await accounts.listKeys(accountId);
    await accounts.revokeKey(accountId, keys[0]!.id);
    expectError(await service.request('GET', '/sites', { key: secretKey }), 401, 'AUTHENTICATION_ERROR');
  });
});
