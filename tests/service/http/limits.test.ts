import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

describe('per-address limit', () => {
  const service = new TestService({ CONSENTRY_IP_RATE_LIMIT: '5' });
  beforeAll(() => service.start());
  afterAll(() => service.stop());

  it('answers 429 with Retry-After and X-RateLimit-* after the limit, and again after the minute', async () => {
    service.clock.advance(60_000 - (service.clock.now().getTime() % 60_000)); // start of a minute
    for (let i = 1; i <= 5; i++) {
      const res = await service.request('GET', '/health');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('5');
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(5 - i));
    }
    const limited = await service.request('GET', '/health');
    expectError(limited, 429, 'RATE_LIMIT_ERROR');
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBe(Math.ceil(service.clock.now().getTime() / 1000) + 60);
    service.clock.advance(30_000);
    expect(Number((await service.request('GET', '/health')).headers.get('retry-after'))).toBe(30);
    service.clock.advance(30_000);
    expect((await service.request('GET', '/health')).status).toBe(200);
  });

  it('counts forwarded visitors separately when the caller is a trusted proxy', async () => {
    service.clock.advance(60_000);
    for (let i = 0; i < 5; i++) await service.request('GET', '/health', { headers: { 'x-forwarded-for': '198.51.100.1' } });
    expectError(await service.request('GET', '/health', { headers: { 'x-forwarded-for': '198.51.100.1' } }), 429, 'RATE_LIMIT_ERROR');
    expect((await service.request('GET', '/health', { headers: { 'x-forwarded-for': '198.51.100.2' } })).status).toBe(200);
  });
});

describe('forwarded addresses from an untrusted caller', () => {
  const service = new TestService({ CONSENTRY_IP_RATE_LIMIT: '3', CONSENTRY_TRUST_PROXY: '' });
  beforeAll(() => service.start());
  afterAll(() => service.stop());

  it('ignores X-Forwarded-For: a client cannot dodge its limit by inventing addresses', async () => {
    for (let i = 0; i < 3; i++) await service.request('GET', '/health', { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
    expectError(await service.request('GET', '/health', { headers: { 'x-forwarded-for': '203.0.113.99' } }), 429, 'RATE_LIMIT_ERROR');
  });
});

describe('plan limits on secret-key calls', () => {
  const service = new TestService();
  beforeAll(() => service.start());
  afterAll(() => service.stop());

  it('gives pro 100 reads a minute, 50 writes, 20 deletes, 10 exports; self-hosted has no limit', async () => {
    const { accountId, secretKey, site } = await withSite(service, 'Pro');
    await service.store.setAccountPlan(accountId, 'pro');
    service.clock.advance(61_000 - (service.clock.now().getTime() % 60_000)); // one second into a fresh minute
    await new Promise((r) => setTimeout(r, 2100)); // the plan cache (2 s) must see the new plan

    let last = await service.request('GET', '/sites', { key: secretKey });
    expect(last.headers.get('x-ratelimit-limit')).toBe('100');
    expect(last.headers.get('x-ratelimit-remaining')).toBe('99');
    for (let i = 0; i < 99; i++) {
      service.clock.advance(10); // stay under the per-second burst
      last = await service.request('GET', '/sites', { key: secretKey });
    }
    expect(last.status).toBe(200);
    const limited = await service.request('GET', `/sites/${site.id}`, { key: secretKey });
    expectError(limited, 429, 'RATE_LIMIT_ERROR');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    // Writes have their own, smaller budget.
    const write = await service.request('PATCH', `/sites/${site.id}`, { key: secretKey, body: { name: 'Still writable' } });
    expect(write.status).toBe(200);
    expect(write.headers.get('x-ratelimit-limit')).toBe('50');
    const del = await service.request('DELETE', `/sites/${site.id}/categories/cat_none`, { key: secretKey });
    expect(del.headers.get('x-ratelimit-limit')).toBe('20');
    for (let i = 0; i < 10; i++) expect((await service.request('GET', `/sites/${site.id}/consent/export`, { key: secretKey })).status).toBe(200);
    expectError(await service.request('GET', `/sites/${site.id}/consent/export`, { key: secretKey }), 429, 'RATE_LIMIT_ERROR');

    service.clock.advance(60_000);
    expect((await service.request('GET', '/sites', { key: secretKey })).status).toBe(200);

    const free = await service.account('SelfHosted');
    for (let i = 0; i < 150; i++) expect((await service.request('GET', '/sites', { key: free.secretKey })).status).toBe(200);
  });
});
