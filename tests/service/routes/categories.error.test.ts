import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('categories: bad input changes nothing', () => {
  it('refuses a bad key pattern, a duplicate key, a key change and a required delete, changing nothing', async () => {
    const { secretKey, site, categories } = await withSite(service, 'Strict');
    const base = `/sites/${site.id}/categories`;
    for (const key of ['Analytics', 'has-dash', '', 'x'.repeat(51), 'spa ce']) {
      const res = await service.request('POST', base, { key: secretKey, body: { key, nameEn: 'X' } });
      expectError(res, 422, 'VALIDATION_ERROR');
      expect(res.body.error.details.fields[0].field).toBe('key');
    }
    // A translation keyed by something that is not a language tag (it once slipped through with any value).
    const badTag = await service.request('POST', base, { key: secretKey, body: { key: 'tagged', nameEn: 'X', translations: { 'not a tag': { title: 1 } } } });
    expectError(badTag, 422, 'VALIDATION_ERROR');
    expect(badTag.body.error.details.fields.map((f: { field: string }) => f.field)).toContain('translations/not a tag');
    const dup = await service.request('POST', base, { key: secretKey, body: { key: 'analytics', nameEn: 'Again' } });
    expectError(dup, 409, 'CONFLICT_ERROR');
    const necessary = categories.find((c) => c.isRequired)!;
    expectError(await service.request('DELETE', `${base}/${necessary.id}`, { key: secretKey }), 409, 'CONFLICT_ERROR');
    expectError(await service.request('PATCH', `${base}/${necessary.id}`, { key: secretKey, body: { key: 'renamed' } }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('PATCH', `${base}/${necessary.id}`, { key: secretKey, body: {} }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('PATCH', `${base}/${necessary.id}`, { key: secretKey, body: { isDefault: 'yes' } }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('DELETE', `${base}/cat_missing`, { key: secretKey }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await service.request('PUT', `${base}/reorder`, { key: secretKey, body: { order: [{ id: 'cat_missing', sortOrder: 0 }] } }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('PUT', `${base}/reorder`, { key: secretKey, body: { order: [{ id: necessary.id, sortOrder: 0 }, { id: necessary.id, sortOrder: 1 }] } }), 422, 'VALIDATION_ERROR');
    const after = await service.request('GET', base, { key: secretKey });
    expect(after.body.data.map((c: { key: string; nameEn: string; sortOrder: number }) => [c.key, c.nameEn, c.sortOrder]))
      .toEqual([['necessary', 'Necessary', 0], ['analytics', 'Analytics', 1], ['marketing', 'Marketing', 2]]);
  });
});
