import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('sites: bad input changes nothing', () => {
  it('rejects wrong types, bad domains, bad colours and unknown fields with per-field details', async () => {
    const { secretKey, site } = await withSite(service);
    const cases: Array<[unknown, string]> = [
      [{ name: 42, domain: 'a.example.com' }, 'name'],
      [{ name: 'x', domain: 'https://a.example.com/path' }, 'domain'],
      [{ name: 'x', domain: 'a.example.com', config: { colors: { primary: 'red' } } }, 'config/colors/primary'],
      [{ name: 'x', domain: 'a.example.com', config: { position: 'middle' } }, 'config/position'],
      [{ name: 'x', domain: 'a.example.com', config: { texts: { en: { privacyPolicyUrl: 'javascript:alert(1)' } } } }, 'config/texts/en/privacyPolicyUrl'],
      // A text key that is not a language tag, whatever it holds (it once slipped through with any value).
      [{ name: 'x', domain: 'a.example.com', config: { texts: { 'EN!': { title: 5, extra: true } } } }, 'config/texts/EN!'],
      [{ name: 'x', domain: 'a.example.com', owner: 'me' }, 'owner'],
      [{ domain: 'a.example.com' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await service.request('POST', '/sites', { key: secretKey, body });
      expectError(res, 422, 'VALIDATION_ERROR');
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const list = await service.request('GET', '/sites', { key: secretKey });
    expect(list.body.pagination.total).toBe(1);
    expect(list.body.data[0].id).toBe(site.id);
  });

  it('needs at least one field to patch, and leaves the site unchanged on failure', async () => {
    const { secretKey, site } = await withSite(service, 'Patchy');
    expectError(await service.request('PATCH', `/sites/${site.id}`, { key: secretKey, body: {} }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('PATCH', `/sites/${site.id}`, { key: secretKey, body: { name: 'ok', status: 'gone' } }), 422, 'VALIDATION_ERROR');
    const got = await service.request('GET', `/sites/${site.id}`, { key: secretKey });
    expect(got.body.site).toEqual(site);
  });

  it('answers 404 for unknown sites and rejects bad paging', async () => {
    const { secretKey } = await service.account();
    expectError(await service.request('GET', '/sites/site_nope', { key: secretKey }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await service.request('GET', '/sites?limit=-1', { key: secretKey }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('GET', '/sites?limit=101', { key: secretKey }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('GET', '/sites?offset=-5', { key: secretKey }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('GET', '/sites?limit=abc', { key: secretKey }), 422, 'VALIDATION_ERROR');
  });
});
