import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '../../../src/service/domain/accounts.ts';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('account, keys and masking', () => {
  it('shows the account with its e-mail masked, and rotates keys through the API', async () => {
    const { account, secretKey } = await new Accounts(service.store, service.clock).create('Masked', 'pro', 'user.name@example.com');
    const res = await service.request('GET', '/account', { key: secretKey });
    expect(res.body.account).toMatchObject({ id: account.id, plan: 'pro', email: 'u***@example.com' });
    expect(res.text).not.toContain('user.name');

    const created = await service.request('POST', '/keys', { key: secretKey, body: { name: 'rotation' } });
    expect(created.status).toBe(201);
    expect(created.body.secretKey).toMatch(/^ck_(?!test_)/);
    const list = await service.request('GET', '/keys', { key: created.body.secretKey });
    expect(list.body.data).toHaveLength(2);
    expect(list.text).not.toContain(secretKey);
    const old = list.body.data.find((k: { id: string }) => k.id !== created.body.key.id);
    expect((await service.request('DELETE', `/keys/${old.id}`, { key: created.body.secretKey })).status).toBe(204);
    expectError(await service.request('GET', '/keys', { key: secretKey }), 401, 'AUTHENTICATION_ERROR');
  });

  it('masks e-mail addresses in recorded page URLs', async () => {
    const { secretKey, site } = await withSite(service, 'Urls');
    await service.request('POST', '/consent/log', {
      body: { api_key: site.publicKey, consentId: 'cid_masking01', action: 'accept_all', categories: {}, policyVersion: '1', pageUrl: 'https://urls.example.com/?email=jane.doe%40example.org&x=1' },
    });
    const events = await service.request('GET', `/sites/${site.id}/consent/events`, { key: secretKey });
    expect(events.body.data[0].pageUrl).toBe('https://urls.example.com/?email=j***%40example.org&x=1');
  });

  it('marks data written with a test key as test', async () => {
    const { secretKey, site } = await withSite(service, 'TestMode');
    const test = await service.request('POST', '/keys', { key: secretKey, body: { name: 'sandbox', mode: 'test' } });
    const res = await service.request('POST', '/consent/events', {
      key: test.body.secretKey, body: { siteId: site.id, consentId: 'cid_testmode1', action: 'accept_all', categories: {}, policyVersion: '1' },
    });
    expect(res.body.event.test).toBe(true);
    const usage = await service.request('GET', `/sites/${site.id}/usage?days=1`, { key: secretKey });
    expect(usage.body.daily[0].accept_all).toBe(0);
  });
});

describe('audit log', () => {
  it('records every call of the account with key, route, status, anonymised address and request id, filterable and paged', async () => {
    const { secretKey, site } = await withSite(service, 'Audited');
    const failed = await service.request('GET', '/sites/site_unknown', { key: secretKey });
    await service.request('GET', '/sites', { key: secretKey, headers: { 'x-forwarded-for': '198.51.100.23' } });
    await new Promise((r) => setTimeout(r, 250)); // entries are written within 100 ms after the answer leaves
    const log = await service.request('GET', '/audit-log?limit=2', { key: secretKey });
    expect(log.status).toBe(200);
    expect(log.body.data[0]).toMatchObject({ method: 'GET', route: '/api/v1/sites', status: 200, ipAnonymized: '198.51.100.0', keyId: expect.stringMatching(/^key_/) });
    expect(log.body.data[1]).toMatchObject({ route: '/api/v1/sites/:siteId', status: 404, requestId: failed.headers.get('x-request-id') });
    const next = await service.request('GET', `/audit-log?limit=2&cursor=${log.body.pagination.nextCursor}`, { key: secretKey });
    expect(next.body.data[0]).toMatchObject({ method: 'POST', route: '/api/v1/sites', status: 201 });
    const notFound = await service.request('GET', '/audit-log?status=404', { key: secretKey });
    expect(notFound.body.data).toHaveLength(1);
    expect(JSON.stringify(log.body)).not.toContain('198.51.100.23');
    void site;
  });

  it('is purged after 90 days by the service', async () => {
    const { secretKey } = await service.account('Old');
    await service.request('GET', '/sites', { key: secretKey });
    await new Promise((r) => setTimeout(r, 250));
    service.clock.advance(91 * 24 * 60 * 60 * 1000);
    await service.app.consentry.purge();
    const log = await service.request('GET', '/audit-log', { key: secretKey });
    expect(log.body.data.map((e: { route: string }) => e.route)).toEqual([]);
  });
});
