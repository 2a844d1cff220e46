import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('sites', () => {
  it('creates a site with its public key and the three seeded categories', async () => {
    const { secretKey } = await service.account();
    const res = await service.request('POST', '/sites', { key: secretKey, body: { name: 'Blog', domain: 'Blog.Example.com', config: { policyVersion: '3' } } });
    expect(res.status).toBe(201);
    expect(res.body.site).toMatchObject({ name: 'Blog', domain: 'blog.example.com', status: 'active', config: { policyVersion: '3' } });
    expect(res.body.site.publicKey).toMatch(/^pk_[A-Za-z0-9]{32}$/);
    expect(res.body.site).not.toHaveProperty('accountId');
    expect(res.body.categories.map((c: { key: string }) => c.key)).toEqual(['necessary', 'analytics', 'marketing']);
    expect(res.body.categories[0]).toMatchObject({ isRequired: true, wpConsentCategory: 'functional', sortOrder: 0 });
  });

  it('lists, gets with categories, patches and soft-deletes', async () => {
    const { secretKey, site } = await withSite(service, 'Lister');
    await service.request('POST', '/sites', { key: secretKey, body: { name: 'Second', domain: 'second.example.com' } });

    const list = await service.request('GET', '/sites?limit=1', { key: secretKey });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.pagination).toMatchObject({ limit: 1, offset: 0, total: 2 });

    const got = await service.request('GET', `/sites/${site.id}`, { key: secretKey });
    expect(got.body.site.id).toBe(site.id);
    expect(got.body.categories).toHaveLength(3);

    const patched = await service.request('PATCH', `/sites/${site.id}`, { key: secretKey, body: { name: 'Renamed', config: { colors: { primary: '#112233' }, layout: 'box' } } });
    expect(patched.status).toBe(200);
    expect(patched.body.site).toMatchObject({ name: 'Renamed', domain: site.domain, config: { colors: { primary: '#112233' }, layout: 'box' } });

    const deleted = await service.request('DELETE', `/sites/${site.id}`, { key: secretKey });
    expect(deleted.body.site.status).toBe('deleted');
    const active = await service.request('GET', '/sites?status=active', { key: secretKey });
    expect(active.body.data.map((s: { id: string }) => s.id)).not.toContain(site.id);
    const stillReadable = await service.request('GET', `/sites/${site.id}`, { key: secretKey });
    expect(stillReadable.body.site.status).toBe('deleted');
  });

  it('rotates the public key: the old one stops serving the banner', async () => {
    const { secretKey, site } = await withSite(service, 'Rotor');
    expect((await service.request('GET', `/banner/${site.publicKey}`)).status).toBe(200);
    const rotated = await service.request('POST', `/sites/${site.id}/public-key/rotate`, { key: secretKey });
    expect(rotated.body.site.publicKey).not.toBe(site.publicKey);
    expect((await service.request('GET', `/banner/${site.publicKey}`)).status).toBe(404);
    expect((await service.request('GET', `/banner/${rotated.body.site.publicKey}`)).status).toBe(200);
  });

  it('accepts the key in x-api-key as well as Bearer', async () => {
    const { secretKey } = await service.account();
    const res = await service.request('GET', '/sites', { headers: { 'x-api-key': secretKey } });
    expect(res.status).toBe(200);
  });
});
