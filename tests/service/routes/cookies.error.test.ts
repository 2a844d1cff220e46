/** The cookie inventory by hand: create, list with filters, change, delete; and what is refused, changing nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('the cookie inventory', () => {
  it('keeps manual entries unique by kind, name and domain, filters and pages them, and refuses bad changes', async () => {
    const { secretKey: key, site } = await withSite(service, 'Inventory');
    const other = await withSite(service, 'Stranger');
    const base = `/sites/${site.id}/cookies`;
    const create = (body: unknown) => service.request('POST', base, { key, body });

    const session = await create({ kind: 'cookie', name: 'PHPSESSID', domain: 'example.com', provider: 'The site', purpose: 'Session.', retention: 'session', categoryKey: 'necessary' });
    expect(session.status).toBe(201);
    expect(session.body.cookie).toMatchObject({ siteId: site.id, source: 'manual', reviewState: 'done', categoryKey: 'necessary', lastSeenAt: null });
    expect(session.body.cookie).not.toHaveProperty('editedAt');
    const todo = await create({ kind: 'localStorage', name: 'cart', reviewState: 'todo' });
    expect(todo.body.cookie).toMatchObject({ domain: '', categoryKey: null, reviewState: 'todo' });
    // Same name on another domain or of another kind is another item.
    expect((await create({ kind: 'cookie', name: 'PHPSESSID', domain: '.example.com' })).status).toBe(201);
    expect((await create({ kind: 'sessionStorage', name: 'PHPSESSID' })).status).toBe(201);

    const duplicate = await create({ kind: 'cookie', name: 'PHPSESSID', domain: 'example.com' });
    expectError(duplicate, 409, 'CONFLICT_ERROR');
    const badCategory = await create({ kind: 'cookie', name: 'x', categoryKey: 'nonexistent' });
    expectError(badCategory, 422, 'VALIDATION_ERROR');
    expect(badCategory.body.error.details.fields[0].field).toBe('categoryKey');
    for (const body of [{ kind: 'flash', name: 'x' }, { kind: 'cookie' }, { kind: 'cookie', name: '' }, { kind: 'cookie', name: 'x', source: 'scan' },
      { kind: 'cookie', name: 'x', reviewState: 'maybe' }, { kind: 'cookie', name: 'x', purpose: 'p'.repeat(2001) }]) {
      expectError(await create(body), 422, 'VALIDATION_ERROR');
    }
    expectError(await service.request('POST', base, { key: other.secretKey, body: { kind: 'cookie', name: 'x' } }), 404, 'RESOURCE_NOT_FOUND');

    const all = await service.request('GET', `${base}?limit=2`, { key });
    expect(all.body.pagination).toMatchObject({ total: 4, limit: 2, offset: 0 });
    expect((await service.request('GET', `${base}?limit=2&offset=2`, { key })).body.data).toHaveLength(2);
    expect((await service.request('GET', `${base}?kind=localStorage`, { key })).body.data.map((e: { name: string }) => e.name)).toEqual(['cart']);
    expect((await service.request('GET', `${base}?reviewState=todo`, { key })).body.pagination.total).toBe(1);
    expect((await service.request('GET', `${base}?categoryKey=necessary`, { key })).body.pagination.total).toBe(1);
    expect((await service.request('GET', `${base}?unclassified=true`, { key })).body.pagination.total).toBe(3);
    expect((await service.request('GET', `${base}?source=scan`, { key })).body.pagination.total).toBe(0);
    expectError(await service.request('GET', `${base}?kind=flash`, { key }), 422, 'VALIDATION_ERROR');

    const id = todo.body.cookie.id;
    const patched = await service.request('PATCH', `${base}/${id}`, { key, body: { categoryKey: 'marketing', reviewState: 'done', provider: 'Shop' } });
    expect(patched.body.cookie).toMatchObject({ id, name: 'cart', categoryKey: 'marketing', reviewState: 'done', provider: 'Shop' });
    expect((await service.request('PATCH', `${base}/${id}`, { key, body: { categoryKey: null } })).body.cookie.categoryKey).toBeNull();
    for (const body of [{}, { name: 'renamed' }, { kind: 'cookie' }, { categoryKey: 'Bad Key' }]) {
      expectError(await service.request('PATCH', `${base}/${id}`, { key, body }), 422, 'VALIDATION_ERROR');
    }
    expectError(await service.request('PATCH', `${base}/${id}`, { key, body: { categoryKey: 'nonexistent' } }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('PATCH', `${base}/ck_missing`, { key, body: { provider: 'x' } }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await service.request('PATCH', `/sites/${other.site.id}/cookies/${id}`, { key: other.secretKey, body: { provider: 'x' } }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await service.request('DELETE', `/sites/${other.site.id}/cookies/${id}`, { key: other.secretKey }), 404, 'RESOURCE_NOT_FOUND');
    const unchanged = (await service.request('GET', `${base}?kind=localStorage`, { key })).body.data[0];
    expect(unchanged).toMatchObject({ name: 'cart', categoryKey: null, provider: 'Shop', reviewState: 'done' });

    expect((await service.request('DELETE', `${base}/${id}`, { key })).status).toBe(204);
    expectError(await service.request('DELETE', `${base}/${id}`, { key }), 404, 'RESOURCE_NOT_FOUND');
    expect((await service.request('GET', base, { key })).body.pagination.total).toBe(3);
  });
});
