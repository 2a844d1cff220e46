// Category keys that name parts of every JavaScript object are refused; one a site kept from before still records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('categories: keys that name parts of every object', () => {
  it('refuses __proto__, constructor and prototype as keys', async () => {
    const { secretKey, site } = await withSite(service, 'Proto');
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await service.request('POST', `/sites/${site.id}/categories`, { key: secretKey, body: { key, nameEn: 'X' } });
      expectError(res, 422, 'VALIDATION_ERROR');
      expect(res.body.error.details.fields[0].field).toBe('key');
    }
    expect((await service.request('POST', `/sites/${site.id}/categories`, { key: secretKey, body: { key: 'constructors', nameEn: 'X' } })).status).toBe(201);
  });

  it('records a category keyed __proto__ that a site kept from before such keys were refused', async () => {
    const { secretKey, site, categories } = await withSite(service, 'Legacy');
    const at = service.clock.now().toISOString();
    await service.store.createCategory({
      ...categories[1]!, id: 'cat_legacyproto', key: '__proto__', nameEn: 'Legacy', descriptionEn: '', translations: {}, isRequired: false, isDefault: false,
      sortOrder: 9, wpConsentCategory: 'marketing', cookies: [], blockPatterns: [], createdAt: at, updatedAt: at, siteId: site.id,
    } as never);
    const choice = { consentId: 'cid_legacy0001', action: 'reject_all', categories: {}, policyVersion: '1', pageUrl: 'https://legacy.example.com/' };
    const reject = await service.request('POST', '/consent/events', { key: secretKey, body: { siteId: site.id, ...choice } });
    expect(reject.status).toBe(201);
    service.clock.advance(1000);
    const accept = await service.request('POST', '/consent/log', { raw: JSON.stringify({ api_key: site.publicKey, ...choice, action: 'accept_all', categories: { necessary: true, analytics: true, marketing: true } }).replace('"marketing"', '"__proto__":true,"marketing"'), headers: { 'content-type': 'text/plain' } });
    expect(accept.status).toBe(201);
    const events = await service.request('GET', `/sites/${site.id}/consent/events`, { key: secretKey });
    expect(events.body.data.map((e: { categories: Record<string, boolean> }) => JSON.stringify(e.categories))).toEqual([
      '{"necessary":true,"analytics":true,"marketing":true,"__proto__":true}',
      '{"necessary":true,"analytics":false,"marketing":false,"__proto__":false}',
    ]);
  });
});
