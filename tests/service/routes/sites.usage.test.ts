import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

const choice = (over: Record<string, unknown> = {}) => ({
  consentId: 'cid_0123456789', action: 'custom', categories: { necessary: true, analytics: true, marketing: false }, policyVersion: '1',
  language: 'en', pageUrl: 'https://acme.example.com/pricing', gpc: false, ...over,
});

describe('usage', () => {
  it('counts choices per day for the chart', async () => {
    const { secretKey, site } = await withSite(service, 'Chart');
    for (const action of ['accept_all', 'accept_all', 'reject_all', 'custom']) {
      await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice({ action }) } });
    }
    const usage = await service.request('GET', `/sites/${site.id}/usage?days=2`, { key: secretKey });
    const today = service.clock.now().toISOString().slice(0, 10);
    expect(usage.body.daily.at(-1)).toEqual({ date: today, accept_all: 2, reject_all: 1, custom: 1, withdraw: 0 });
    expect(usage.body.planLimit).toBeNull();
  });
});
