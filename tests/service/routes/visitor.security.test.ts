// What a public key (printed in every page) lets anyone do to a site, and what bounds it: the per-address limit
// counts an IPv6 client per /64, each visitor write route has a cap per site, and a write's page must be on the
// site's domain. Every case runs on both paths of the visitor writes: the direct lane and the Fastify route
// (a query string sends the call there).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite, type Response } from '../harness.ts';

const PATHS = ['', '?api_version=1'] as const;
const beat = (publicKey: string, page: string, session = 'sess_01234567') => ({ api_key: publicKey, session_id: session, page_url: page });
const choice = (publicKey: string, page?: string) => ({
  api_key: publicKey, consentId: 'cid_0123456789', action: 'accept_all', categories: { necessary: true, analytics: true, marketing: true },
  policyVersion: '1', ...(page !== undefined && { pageUrl: page }),
});
const from = (ip: string, body: unknown) => ({ body, headers: { 'x-forwarded-for': ip } });
const startOfMinute = (service: TestService) => service.clock.advance(60_000 - (service.clock.now().getTime() % 60_000));

describe('the per-address limit counts an IPv6 client per /64', () => {
  const service = new TestService({ CONSENTRY_IP_RATE_LIMIT: '3' });
  const perAddress = new TestService({ CONSENTRY_IP_RATE_LIMIT: '3', CONSENTRY_IPV6_RATE_PREFIX: '128' });
  beforeAll(() => Promise.all([service.start(), perAddress.start()]));
  afterAll(() => Promise.all([service.stop(), perAddress.stop()]));

  it('refuses the fourth call from one /64 whatever its addresses, on both paths, and lets another /64 in', async () => {
    const { site } = await withSite(service, 'Six');
    for (const path of PATHS) {
      startOfMinute(service);
      const calls = ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff:ffff:ffff:fffe'];
      for (const ip of calls) expect((await service.request('POST', `/heartbeat${path}`, from(ip, beat(site.publicKey, 'https://example.com/')))).status).toBe(200);
      const over = await service.request('POST', `/heartbeat${path}`, from('2001:DB8:1:2:a:b:c:d', beat(site.publicKey, 'https://example.com/')));
      expectError(over, 429, 'RATE_LIMIT_ERROR');
      expect(over.headers.get('access-control-allow-origin'), path).toBe('*');
      expectError(await service.request('GET', '/health', { headers: { 'x-forwarded-for': '2001:db8:1:2::99' } }), 429, 'RATE_LIMIT_ERROR');
      expect((await service.request('POST', `/heartbeat${path}`, from('2001:db8:1:3::1', beat(site.publicKey, 'https://example.com/')))).status).toBe(200);
      // IPv4 and IPv4-mapped IPv6 are one address each, as before.
      expect((await service.request('GET', '/health', { headers: { 'x-forwarded-for': '198.51.100.7' } })).headers.get('x-ratelimit-remaining')).toBe('2');
      expect((await service.request('GET', '/health', { headers: { 'x-forwarded-for': '::ffff:198.51.100.7' } })).headers.get('x-ratelimit-remaining')).toBe('1');
    }
  });

  it('counts each address alone with CONSENTRY_IPV6_RATE_PREFIX=128', async () => {
    startOfMinute(perAddress);
    for (let i = 1; i <= 5; i++) {
      const res = await perAddress.request('GET', '/health', { headers: { 'x-forwarded-for': `2001:db8:1:2::${i}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-remaining')).toBe('2');
    }
  });
});

describe('the cap per site on each visitor write route', () => {
  const service = new TestService({ CONSENTRY_SITE_RATE_LIMIT: '3' });
  beforeAll(() => service.start());
  afterAll(() => service.stop());

  it('refuses a site\'s fourth heartbeat of the minute from any address, on both paths together, and nothing more is counted', async () => {
    const { secretKey, site } = await withSite(service, 'Capped');
    const other = await withSite(service, 'Neighbour');
    startOfMinute(service);
    const send = (path: string, i: number, publicKey = site.publicKey) =>
      service.request('POST', `/heartbeat${path}`, from(`203.0.113.${i}`, beat(publicKey, 'https://example.com/', `sess_visitor${i}`)));
    const first = await send('', 1);
    expect(first.status).toBe(200);
    expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual(['3', '2']);
    expect((await send(PATHS[1], 2)).status).toBe(200);
    expect((await send('', 3)).status).toBe(200);
    for (const path of PATHS) {
      const over = await send(path, 10);
      expectError(over, 429, 'RATE_LIMIT_ERROR');
      expect(over.body.error.details).toEqual({ limit: 3, retry_after: 60 });
      expect(over.headers.get('retry-after')).toBe('60');
      expect(over.headers.get('access-control-allow-origin')).toBe('*');
    }
    // Another site, and the same site's consent log, have budgets of their own.
    expect((await send('', 11, other.site.publicKey)).status).toBe(200);
    expect((await service.request('POST', '/consent/log', from('203.0.113.12', choice(site.publicKey, 'https://example.com/')))).status).toBe(201);
    const usage = await service.request('GET', `/sites/${site.id}/usage`, { key: secretKey });
    expect(usage.body.pageviews).toBe(3);
    service.clock.advance(60_000);
    expect((await send('', 13)).status).toBe(200);
  });

  it('caps the consent log the same way, and a bad key never counts against a site', async () => {
    const { secretKey, site } = await withSite(service, 'Proof');
    startOfMinute(service);
    for (let i = 0; i < 3; i++) {
      expectError(await service.request('POST', '/consent/log', from(`203.0.113.${i}`, choice('pk_notasitekey'))), 401, 'AUTHENTICATION_ERROR');
    }
    for (const [i, path] of [PATHS[0], PATHS[1], PATHS[0]].entries()) {
      expect((await service.request('POST', `/consent/log${path}`, from(`203.0.113.${i}`, choice(site.publicKey)))).status).toBe(201);
    }
    for (const path of PATHS) expectError(await service.request('POST', `/consent/log${path}`, from('203.0.113.99', choice(site.publicKey))), 429, 'RATE_LIMIT_ERROR');
    const events = await service.request('GET', `/sites/${site.id}/consent/events`, { key: secretKey });
    expect(events.body.pagination.total).toBe(3);
  });
});

describe('a visitor write\'s page must be on the site\'s domain', () => {
  const service = new TestService();
  beforeAll(() => service.start());
  afterAll(() => service.stop());

  const expectMismatch = (res: Response, field: string, domain: string) => {
    expectError(res, 422, 'DOMAIN_MISMATCH');
    expect(res.body.error.details).toEqual({ field, domain });
    expect(res.body.error.documentation_url).toBe('/api/v1/errors#DOMAIN_MISMATCH');
  };

  it('takes the domain and its subdomains on any port, refuses every other host, and records nothing for them', async () => {
    const { secretKey, site } = await withSite(service, 'Shop', 'shop.example.com');
    const on = ['https://shop.example.com/cart', 'http://shop.example.com:8443/?a=1', 'https://eu.shop.example.com/', 'https://SHOP.Example.com./x'];
    const off = [
      'https://example.com/', 'https://evilshop.example.com/', 'https://shop.example.com.evil.test/', 'https://evil.test/?u=https://shop.example.com/',
      'https://shop.example.com@evil.test/', 'http://127.0.0.1/', 'https://xn--shop-example-com.test/',
    ];
    let session = 0;
    for (const path of PATHS) {
      for (const page of on) {
        expect((await service.request('POST', `/heartbeat${path}`, { body: beat(site.publicKey, page, `sess_on${session++}xx`) })).status, page).toBe(200);
        expect((await service.request('POST', `/consent/log${path}`, { body: choice(site.publicKey, page) })).status, page).toBe(201);
      }
      for (const page of off) {
        expectMismatch(await service.request('POST', `/heartbeat${path}`, { body: beat(site.publicKey, page, `sess_off${session++}xx`) }), 'page_url', 'shop.example.com');
        expectMismatch(await service.request('POST', `/consent/log${path}`, { body: choice(site.publicKey, page) }), 'pageUrl', 'shop.example.com');
      }
    }
    // A consent without a page URL has nothing to check.
    expect((await service.request('POST', '/consent/log', { body: choice(site.publicKey) })).status).toBe(201);
    const events = await service.request('GET', `/sites/${site.id}/consent/events?limit=100`, { key: secretKey });
    expect(events.body.pagination.total).toBe(2 * on.length + 1);
    const usage = await service.request('GET', `/sites/${site.id}/usage`, { key: secretKey });
    expect(usage.body.pageviews).toBe(2 * on.length);
  });

  it('takes any loopback page for a site on localhost:8888 (tests, wp-env), and nothing else', async () => {
    const { site } = await withSite(service, 'Local', 'localhost:8888');
    for (const page of ['http://localhost:8888/', 'http://localhost:9999/shop/', 'http://127.0.0.1:8888/', 'http://[::1]:8888/', 'http://wp.localhost/']) {
      expect((await service.request('POST', '/heartbeat', { body: beat(site.publicKey, page) })).status, page).toBe(200);
    }
    for (const page of ['https://example.com/', 'http://localhost.evil.test/', 'http://10.0.0.1:8888/']) {
      expectMismatch(await service.request('POST', '/heartbeat', { body: beat(site.publicKey, page) }), 'page_url', 'localhost:8888');
    }
  });

  it('lists the code with the others', async () => {
    const list = await service.request('GET', '/errors');
    expect(list.body.data).toContainEqual({ code: 'DOMAIN_MISMATCH', status: 422, meaning: expect.stringContaining('page') });
  });
});
