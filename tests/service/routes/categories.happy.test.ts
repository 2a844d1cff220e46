import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('categories', () => {
  it('creates, lists by sortOrder, patches, reorders and deletes', async () => {
    const { secretKey, site } = await withSite(service);
    const base = `/sites/${site.id}/categories`;
    const created = await service.request('POST', base, {
      key: secretKey,
      body: { key: 'preferences', nameEn: 'Preferences', descriptionEn: 'Remember your settings.', isDefault: true, translations: { tr: { name: 'Tercihler' } }, cookies: ['lang'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.category).toMatchObject({ key: 'preferences', sortOrder: 3, isRequired: false, isDefault: true, wpConsentCategory: 'preferences', cookies: ['lang'] });
    const id = created.body.category.id;

    const patched = await service.request('PATCH', `${base}/${id}`, { key: secretKey, body: { nameEn: 'Preferences!', isDefault: false } });
    expect(patched.body.category).toMatchObject({ nameEn: 'Preferences!', isDefault: false, key: 'preferences', descriptionEn: 'Remember your settings.' });

    const list = await service.request('GET', base, { key: secretKey });
    const ids: string[] = list.body.data.map((c: { id: string }) => c.id);
    expect(list.body.data.map((c: { key: string }) => c.key)).toEqual(['necessary', 'analytics', 'marketing', 'preferences']);

    const reordered = await service.request('PUT', `${base}/reorder`, { key: secretKey, body: { order: ids.slice().reverse().map((cid, sortOrder) => ({ id: cid, sortOrder })) } });
    expect(reordered.status).toBe(200);
    expect(reordered.body.data.map((c: { key: string }) => c.key)).toEqual(['preferences', 'marketing', 'analytics', 'necessary']);

    expect((await service.request('DELETE', `${base}/${id}`, { key: secretKey })).status).toBe(204);
    expect((await service.request('GET', base, { key: secretKey })).body.data).toHaveLength(3);
  });

  it('keeps keys unique per site, not across sites', async () => {
    const a = await withSite(service, 'SiteA');
    const b = await withSite(service, 'SiteB');
    for (const { secretKey, site } of [a, b]) {
      const res = await service.request('POST', `/sites/${site.id}/categories`, { key: secretKey, body: { key: 'social', nameEn: 'Social' } });
      expect(res.status).toBe(201);
    }
  });
});
