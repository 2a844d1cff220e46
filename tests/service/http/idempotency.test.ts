import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('Idempotency-Key', () => {
  it('replays the stored answer without doing the work again', async () => {
    const { secretKey } = await service.account('Idem');
    const body = { name: 'Once', domain: 'once.example.com' };
    const headers = { 'idempotency-key': '6f1c2d3e-0000-4000-8000-000000000001' };
    const first = await service.request('POST', '/sites', { key: secretKey, body, headers });
    const again = await service.request('POST', '/sites', { key: secretKey, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await service.request('GET', '/sites', { key: secretKey })).body.pagination.total).toBe(1);
  });

  it('answers 422 for the same key with another body, and scopes keys to the API key', async () => {
    const { secretKey, site } = await withSite(service, 'Scoped');
    const other = await service.account('Other');
    const headers = { 'idempotency-key': 'key-shared-by-two-accounts' };
    const first = await service.request('POST', `/sites/${site.id}/categories`, { key: secretKey, body: { key: 'social', nameEn: 'Social' }, headers });
    expect(first.status).toBe(201);
    const changed = await service.request('POST', `/sites/${site.id}/categories`, { key: secretKey, body: { key: 'video', nameEn: 'Video' }, headers });
    expectError(changed, 422, 'VALIDATION_ERROR');
    const otherAccount = await service.request('POST', '/sites', { key: other.secretKey, body: { name: 'Mine', domain: 'mine.example.com' }, headers });
    expect(otherAccount.status).toBe(201);
    const categories = await service.request('GET', `/sites/${site.id}/categories`, { key: secretKey });
    expect(categories.body.data.map((c: { key: string }) => c.key)).toEqual(['necessary', 'analytics', 'marketing', 'social']);
  });

  it('lets one of concurrent duplicates do the work: the others replay it or get 409', async () => {
    const { site } = await withSite(service, 'Racing');
    const headers = { 'idempotency-key': 'concurrent-duplicate-1' };
    const body = { api_key: site.publicKey, consentId: 'cid_race_0001', action: 'accept_all', categories: { analytics: true }, policyVersion: '1' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => service.request('POST', '/consent/log', { body, headers })));
    const created = answers.filter((a) => a.status === 201);
    const conflicts = answers.filter((a) => a.status === 409);
    expect(created.length + conflicts.length).toBe(8);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    for (const conflict of conflicts) expectError(conflict, 409, 'CONFLICT_ERROR');
    const { secretKey } = await service.account('Reader');
    void secretKey;
    const events = await service.store.listConsentEvents(site.id, { limit: 100, offset: 0 });
    expect(events.total).toBe(1);
  });

  it('keeps keys 24 hours: a replay after retention runs the request again', async () => {
    const { secretKey } = await service.account('Expiry');
    const headers = { 'idempotency-key': 'expires-after-a-day' };
    await service.request('POST', '/sites', { key: secretKey, body: { name: 'A', domain: 'a.example.com' }, headers });
    service.clock.advance(24 * 60 * 60 * 1000 + 1000);
    await service.app.consentry.purge();
    const after = await service.request('POST', '/sites', { key: secretKey, body: { name: 'A', domain: 'a.example.com' }, headers });
    expect(after.headers.get('idempotent-replayed')).toBeNull();
    expect((await service.request('GET', '/sites', { key: secretKey })).body.pagination.total).toBe(2);
  });

  it('never stores a secret: a replay of POST /keys, POST /webhooks or rotate-secret answers the ids and says the secret was shown once', async () => {
    const { secretKey } = await service.account('Secrets');
    const once = (key: string) => ({ 'idempotency-key': key });
    const call = (path: string, key: string, body?: unknown) => service.request('POST', path, { key: secretKey, headers: once(key), ...(body !== undefined && { body }) });

    const key = await call('/keys', 'secret-key-1', { name: 'ci' });
    const hook = await call('/webhooks', 'secret-hook-1', { url: 'https://hooks.example.com/in', events: ['consent.given'] });
    const rotated = await call(`/webhooks/${hook.body.endpoint.id}/rotate-secret`, 'secret-rotate-1');
    expect(key.body.secretKey).toMatch(/^ck_/);
    expect(hook.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).toMatch(/^whsec_/);

    const keyAgain = await call('/keys', 'secret-key-1', { name: 'ci' });
    expect(keyAgain.status).toBe(201);
    expect(keyAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(keyAgain.body).toEqual({ key: key.body.key, secretShownOnce: true });
    const hookAgain = await call('/webhooks', 'secret-hook-1', { url: 'https://hooks.example.com/in', events: ['consent.given'] });
    expect(hookAgain.body).toEqual({ endpoint: hook.body.endpoint, secretShownOnce: true });
    const rotatedAgain = await call(`/webhooks/${hook.body.endpoint.id}/rotate-secret`, 'secret-rotate-1');
    expect(rotatedAgain.body).toEqual({ endpoint: rotated.body.endpoint, secretShownOnce: true });

    const stored = JSON.stringify(await service.store.sql.all('SELECT * FROM idempotency_keys', []));
    for (const secret of [key.body.secretKey, hook.body.secret, rotated.body.secret]) expect(stored).not.toContain(secret);
    expect((await service.request('GET', '/keys', { key: key.body.secretKey })).status).toBe(200); // one key, made once
  });

  it('rejects a malformed key', async () => {
    const { secretKey } = await service.account('Malformed');
    expectError(await service.request('POST', '/sites', { key: secretKey, body: { name: 'A', domain: 'a.example.com' }, headers: { 'idempotency-key': 'has spaces' } }), 422, 'VALIDATION_ERROR');
  });
});

describe('idempotency: a body nested deeper than the hash can write out', () => {
  it('is a 400, not a 500 (found by the API fuzzer)', async () => {
    const { secretKey, site } = await withSite(service, 'Deep');
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const res = await service.request('POST', `/sites/${site.id}/public-key/rotate`, { key: secretKey, raw: deep, headers: { 'idempotency-key': 'deep-1' } });
    expectError(res, 400, 'BAD_REQUEST');
    expect((await service.request('GET', `/sites/${site.id}`, { key: secretKey })).body.site.publicKey).toBe(site.publicKey);
  });
});

describe('idempotency: a replayed error', () => {
  it('carries the request_id of the replay, the X-Request-ID it answers with (found by the API fuzzer)', async () => {
    const { secretKey, site } = await withSite(service, 'Replayed');
    const path = `/sites/${site.id}/categories`;
    const headers = { 'idempotency-key': 'replayed-error-1' };
    const first = await service.request('POST', path, { key: secretKey, body: { key: 'analytics', nameEn: 'Again' }, headers });
    expectError(first, 409, 'CONFLICT_ERROR');
    const replay = await service.request('POST', path, { key: secretKey, body: { key: 'analytics', nameEn: 'Again' }, headers });
    expectError(replay, 409, 'CONFLICT_ERROR');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.error.request_id).not.toBe(first.body.error.request_id);
  });
});
