import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

const choice = (over: Record<string, unknown> = {}) => ({
  consentId: 'cid_0123456789', action: 'custom', categories: { necessary: true, analytics: true, marketing: false }, policyVersion: '1',
  language: 'en', pageUrl: 'https://acme.example.com/pricing', gpc: false, ...over,
});

describe('consent events (secret key)', () => {
  it('records with site ownership checked, and lists newest first with limit/offset and a cursor', async () => {
    const { secretKey, site } = await withSite(service);
    for (let i = 0; i < 7; i++) {
      service.clock.advance(1000);
      const res = await service.request('POST', '/consent/events', {
        key: secretKey, body: { siteId: site.id, ...choice({ consentId: `cid_00000000${i}`, action: i % 2 ? 'accept_all' : 'reject_all' }) },
        headers: { 'user-agent': 'TestAgent/1.0' },
      });
      expect(res.status).toBe(201);
      expect(res.body.event).toMatchObject({ siteId: site.id, userAgent: 'TestAgent/1.0', ipAnonymized: '127.0.0.0', test: false });
    }
    const all = await service.request('GET', `/consent/events/${site.id}`, { key: secretKey });
    expect(all.body.pagination).toMatchObject({ limit: 50, offset: 0, total: 7, nextCursor: null });
    expect(all.body.data[0].consentId).toBe('cid_000000006');

    const page1 = await service.request('GET', `/consent/events/${site.id}?limit=3`, { key: secretKey });
    expect(page1.body.data.map((e: { consentId: string }) => e.consentId)).toEqual(['cid_000000006', 'cid_000000005', 'cid_000000004']);
    const page2 = await service.request('GET', `/consent/events/${site.id}?limit=3&cursor=${page1.body.pagination.nextCursor}`, { key: secretKey });
    expect(page2.body.data.map((e: { consentId: string }) => e.consentId)).toEqual(['cid_000000003', 'cid_000000002', 'cid_000000001']);
    const byOffset = await service.request('GET', `/consent/events/${site.id}?limit=3&offset=3`, { key: secretKey });
    expect(byOffset.body.data).toEqual(page2.body.data);
    const page3 = await service.request('GET', `/consent/events/${site.id}?limit=3&cursor=${page2.body.pagination.nextCursor}`, { key: secretKey });
    expect(page3.body.data).toHaveLength(1);
    expect(page3.body.pagination.nextCursor).toBeNull();

    const accepted = await service.request('GET', `/consent/events/${site.id}?action=accept_all`, { key: secretKey });
    expect(accepted.body.pagination.total).toBe(3);
  });

  it('rejects bad events and bad paging, storing nothing', async () => {
    const { secretKey, site } = await withSite(service, 'Picky');
    const bad: unknown[] = [
      { siteId: site.id, ...choice({ action: 'maybe' }) },
      { siteId: site.id, ...choice({ categories: { analytics: 'yes' } }) },
      { siteId: site.id, ...choice({ categories: { unknown_cat: true } }) },
      { siteId: site.id, ...choice({ pageUrl: 'not a url' }) },
      { siteId: site.id, ...choice({ gpc: 'true' }) },
      { ...choice() },
    ];
    for (const body of bad) expectError(await service.request('POST', '/consent/events', { key: secretKey, body }), 422, 'VALIDATION_ERROR');
    for (const query of ['limit=-1', 'limit=0', 'limit=101', 'offset=-1', 'action=nope', 'from=yesterday', 'cursor=garbage']) {
      expectError(await service.request('GET', `/consent/events/${site.id}?${query}`, { key: secretKey }), 422, 'VALIDATION_ERROR');
    }
    expect((await service.request('GET', `/consent/events/${site.id}`, { key: secretKey })).body.pagination.total).toBe(0);
  });

  it('keeps a soft-deleted site\'s events readable, and turns its visitor endpoints off', async () => {
    const { secretKey, site } = await withSite(service, 'Gone');
    await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice() } });
    await service.request('DELETE', `/sites/${site.id}`, { key: secretKey });
    const events = await service.request('GET', `/consent/events/${site.id}`, { key: secretKey });
    expect(events.body.data).toHaveLength(1);
    expectError(await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice() } }), 401, 'AUTHENTICATION_ERROR');
    expectError(await service.request('GET', `/banner/${site.publicKey}`), 404, 'RESOURCE_NOT_FOUND');
  });
});
