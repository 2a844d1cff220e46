import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

const event = (siteId: string, i: number, over: Record<string, unknown> = {}) => ({
  siteId, consentId: `cid_bulk_${String(i).padStart(5, '0')}`, action: i % 3 === 0 ? 'reject_all' : 'accept_all',
  categories: { analytics: i % 3 !== 0 }, policyVersion: '2', language: 'tr', pageUrl: `https://bulk.example.com/p/${i}`, ...over,
});

describe('batch', () => {
  it('records up to 500 events at once', async () => {
    const { secretKey, site } = await withSite(service, 'Bulk');
    const res = await service.request('POST', '/consent/events/batch', { key: secretKey, body: { events: Array.from({ length: 500 }, (_, i) => event(site.id, i)) } });
    expect(res.status).toBe(201);
    expect(res.body.data).toHaveLength(500);
    expect((await service.request('GET', `/sites/${site.id}/consent/events?limit=1`, { key: secretKey })).body.pagination.total).toBe(500);
  });

  it('is all-or-nothing, with per-item errors', async () => {
    const { secretKey, site } = await withSite(service, 'Atomic');
    const other = await withSite(service, 'Stranger');
    const events = [event(site.id, 1), event(site.id, 2, { action: 'nope' }), event(site.id, 3, { categories: { ghost: true } }), event(other.site.id, 4)];
    const bad = await service.request('POST', '/consent/events/batch', { key: secretKey, body: { events } });
    expectError(bad, 422, 'VALIDATION_ERROR');
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toContain('events/1/action');
    const semantic = await service.request('POST', '/consent/events/batch', { key: secretKey, body: { events: [event(site.id, 1), events[2], events[3]] } });
    expectError(semantic, 422, 'VALIDATION_ERROR');
    expect(semantic.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['events/2/siteId']);
    const unknownCategory = await service.request('POST', '/consent/events/batch', { key: secretKey, body: { events: [event(site.id, 1), events[2]] } });
    expect(unknownCategory.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['events/1/categories/ghost']);
    expectError(await service.request('POST', '/consent/events/batch', { key: secretKey, body: { events: Array.from({ length: 501 }, (_, i) => event(site.id, i)) } }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('POST', '/consent/events/batch', { key: secretKey, body: { events: [] } }), 422, 'VALIDATION_ERROR');
    expect((await service.request('GET', `/sites/${site.id}/consent/events`, { key: secretKey })).body.pagination.total).toBe(0);
    expect((await service.request('GET', `/sites/${other.site.id}/consent/events`, { key: other.secretKey })).body.pagination.total).toBe(0);
  });
});

describe('export and erasure', () => {
  it('streams every event as NDJSON and CSV, filtered, with formula cells neutralised', async () => {
    const { secretKey, site } = await withSite(service, 'Export');
    await service.request('POST', '/consent/events/batch', { key: secretKey, body: { events: Array.from({ length: 250 }, (_, i) => event(site.id, i)) } });
    await service.request('POST', '/consent/events', { key: secretKey, body: event(site.id, 999), headers: { 'user-agent': '=HYPERLINK("http://evil")' } });

    const ndjson = await fetch(`${service.url}/sites/${site.id}/consent/export`, { headers: { 'x-api-key': secretKey } });
    expect(ndjson.headers.get('content-type')).toContain('application/x-ndjson');
    expect(ndjson.headers.get('content-disposition')).toMatch(/attachment; filename="consent-site_.*\.ndjson"/);
    const lines = (await ndjson.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(251);
    expect(new Set(lines.map((l) => l.id)).size).toBe(251);

    const csv = await fetch(`${service.url}/sites/${site.id}/consent/export?format=csv&action=reject_all`, { headers: { 'x-api-key': secretKey } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows[0]).toBe('id,createdAt,action,categories,policyVersion,language,pageUrl,userAgent,ipAnonymized,gpc,test,consentId');
    expect(rows).toHaveLength(1 + 85); // 84 of the batch and the one with the hostile user agent
    expect(rows.slice(1).every((r) => r.includes(',reject_all,'))).toBe(true);

    const all = await (await fetch(`${service.url}/sites/${site.id}/consent/export?format=csv`, { headers: { 'x-api-key': secretKey } })).text();
    expect(all).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expectError(await service.request('GET', `/sites/${site.id}/consent/export?format=xml`, { key: secretKey }), 422, 'VALIDATION_ERROR');
  });

  it('erases one visitor\'s events and records the erasure in the audit log', async () => {
    const { secretKey, site } = await withSite(service, 'Erase');
    await service.request('POST', '/consent/events/batch', { key: secretKey, body: { events: [event(site.id, 1), event(site.id, 1, { action: 'withdraw' }), event(site.id, 2)] } });
    const erased = await service.request('DELETE', `/sites/${site.id}/consent/visitors/cid_bulk_00001`, { key: secretKey });
    expect(erased.body).toEqual({ erased: 2 });
    const left = await service.request('GET', `/sites/${site.id}/consent/events`, { key: secretKey });
    expect(left.body.data.map((e: { consentId: string }) => e.consentId)).toEqual(['cid_bulk_00002']);
    await new Promise((r) => setTimeout(r, 250));
    const audit = await service.request('GET', '/audit-log?method=DELETE', { key: secretKey });
    expect(audit.body.data[0]).toMatchObject({
      route: '/api/v1/sites/:siteId/consent/visitors/:consentId', status: 200,
      detail: { erasure: { siteId: site.id, consentId: 'cid_bulk_00001', erased: 2 } },
    });
    expect((await service.request('DELETE', `/sites/${site.id}/consent/visitors/cid_bulk_00001`, { key: secretKey })).body).toEqual({ erased: 0 });
  });
});
