import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

const choice = (over: Record<string, unknown> = {}) => ({
  consentId: 'cid_0123456789', action: 'custom', categories: { necessary: true, analytics: true, marketing: false }, policyVersion: '1',
  language: 'en', pageUrl: 'https://acme.example.com/pricing', gpc: false, ...over,
});

describe('visitor endpoints (public key)', () => {
  it('logs consent with the key in the body, header or Bearer; anonymises the forwarded address', async () => {
    const { secretKey, site } = await withSite(service, 'Visitors');
    const inBody = await service.request('POST', '/consent/log', {
      body: { api_key: site.publicKey, ...choice({ gpc: true }) },
      headers: { 'x-forwarded-for': '203.0.113.77', 'user-agent': 'Visitor/2' },
    });
    expect(inBody.status).toBe(201);
    expect(inBody.body).toEqual({ success: true, id: expect.stringMatching(/^evt_/) });
    expect((await service.request('POST', '/consent/log', { body: choice(), headers: { 'x-api-key': site.publicKey } })).status).toBe(201);
    expect((await service.request('POST', '/consent/log', { body: { siteId: site.id, ...choice() }, key: site.publicKey })).status).toBe(201);

    const events = await service.request('GET', `/consent/events/${site.id}`, { key: secretKey });
    const first = events.body.data.find((e: { id: string }) => e.id === inBody.body.id);
    expect(first).toMatchObject({ ipAnonymized: '203.0.113.0', userAgent: 'Visitor/2', gpc: true, categories: { necessary: true, analytics: true, marketing: false } });
    expect(JSON.stringify(events.body)).not.toContain('203.0.113.77');
  });

  it('grants required categories whatever the payload says', async () => {
    const { secretKey, site } = await withSite(service, 'Required');
    const res = await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice({ action: 'reject_all', categories: { necessary: false, analytics: false } }) } });
    const events = await service.request('GET', `/consent/events/${site.id}`, { key: secretKey });
    expect(events.body.data[0]).toMatchObject({ id: res.body.id, categories: { necessary: true, analytics: false, marketing: false } });
  });

  it('limits a public key to its own site', async () => {
    const a = await withSite(service, 'KeyA');
    const b = await withSite(service, 'KeyB');
    expectError(await service.request('POST', '/consent/log', { body: { api_key: a.site.publicKey, siteId: b.site.id, ...choice() } }), 403, 'AUTHORIZATION_ERROR');
    expectError(await service.request('POST', '/heartbeat', { body: { api_key: a.site.publicKey, siteId: b.site.id, session_id: 'sess_12345678', page_url: 'https://x.example.com/' } }), 403, 'AUTHORIZATION_ERROR');
    expectError(await service.request('POST', '/consent/log', { body: choice() }), 401, 'AUTHENTICATION_ERROR');
    expectError(await service.request('POST', '/consent/log', { body: { api_key: 'pk_unknown', ...choice() } }), 401, 'AUTHENTICATION_ERROR');
    expectError(await service.request('POST', '/consent/log', { body: { api_key: a.secretKey, ...choice() } }), 401, 'AUTHENTICATION_ERROR');
    expect((await service.request('GET', `/consent/events/${b.site.id}`, { key: b.secretKey })).body.data).toHaveLength(0);
  });

  it('serves the banner config with ETag, 5-minute caching, 304 and CORS', async () => {
    const { site } = await withSite(service, 'Banner');
    const res = await service.request('GET', `/banner/${site.publicKey}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.body).toMatchObject({ siteId: site.id, publicKey: site.publicKey, config: {} });
    expect(res.body.categories.map((c: { key: string }) => c.key)).toEqual(['necessary', 'analytics', 'marketing']);
    expect(res.body.categories[0]).not.toHaveProperty('id');
    const etag = res.headers.get('etag')!;
    const again = await service.request('GET', `/banner/${site.publicKey}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const preflight = await fetch(`${service.url}/consent/log`, { method: 'OPTIONS', headers: { origin: 'https://acme.example.com', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expectError(await service.request('GET', '/banner/pk_nothing'), 404, 'RESOURCE_NOT_FOUND');
  });

  it('takes a sendBeacon text/plain body', async () => {
    const { site } = await withSite(service, 'Beacon');
    const res = await service.request('POST', '/consent/log', { raw: JSON.stringify({ api_key: site.publicKey, ...choice() }), headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect(res.status).toBe(201);
  });
});

describe('heartbeat', () => {
  it('counts pageviews per month; a reload within 30 minutes by the same session counts once', async () => {
    const { accountId, site, secretKey } = await withSite(service, 'Beat');
    await service.store.setAccountPlan(accountId, 'pro');
    const beat = (session: string, page: string) => service.request('POST', '/heartbeat', {
      body: { api_key: site.publicKey, session_id: session, page_url: page, referrer: '' },
    });
    const first = await beat('sess_aaaaaaaa', 'https://beat.example.com/');
    expect(first.body).toEqual({ success: true, pageview_count_month: 1, plan_limit: 100_000, usage_percent: 0 });
    expect((await beat('sess_aaaaaaaa', 'https://beat.example.com/#top')).body.pageview_count_month).toBe(1);
    service.clock.advance(29 * 60 * 1000);
    expect((await beat('sess_aaaaaaaa', 'https://beat.example.com/')).body.pageview_count_month).toBe(1);
    expect((await beat('sess_aaaaaaaa', 'https://beat.example.com/about')).body.pageview_count_month).toBe(2);
    expect((await beat('sess_bbbbbbbb', 'https://beat.example.com/')).body.pageview_count_month).toBe(3);
    service.clock.advance(2 * 60 * 1000);
    expect((await beat('sess_aaaaaaaa', 'https://beat.example.com/')).body.pageview_count_month).toBe(4);

    const usage = await service.request('GET', `/sites/${site.id}/usage?days=7`, { key: secretKey });
    expect(usage.body).toMatchObject({ pageviews: 4, planLimit: 100_000, usagePercent: 0 });
    expect(usage.body.daily).toHaveLength(7);
  });

  it('rejects bad heartbeats', async () => {
    const { site } = await withSite(service, 'BadBeat');
    expectError(await service.request('POST', '/heartbeat', { body: { api_key: site.publicKey, session_id: 'short', page_url: 'https://x.example.com/' } }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('POST', '/heartbeat', { body: { api_key: site.publicKey, session_id: 'sess_12345678', page_url: 'ftp://x' } }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('POST', '/heartbeat', { body: { session_id: 'sess_12345678', page_url: 'https://x.example.com/' } }), 401, 'AUTHENTICATION_ERROR');
  });
});
