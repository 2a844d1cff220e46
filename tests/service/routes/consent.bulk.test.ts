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

describe('choices sent on later (a plugin\'s queue)', () => {
  const later = (siteId: string, i: number, over: Record<string, unknown> = {}): Record<string, unknown> => event(siteId, i, {
    occurredAt: new Date(service.clock.now().getTime() - (60 - i) * 60_000).toISOString(), userAgent: `Visitor browser ${i}`, visitorIp: '203.0.113.0', ...over,
  });

  it('keeps the visitor\'s time, browser and anonymised address, replayed once under one Idempotency-Key', async () => {
    const { secretKey, site } = await withSite(service, 'Queued');
    const events = [later(site.id, 1), later(site.id, 2, { visitorIp: '2001:db8:7:1::5' })];
    const headers = { 'idempotency-key': 'consentry-queue-1-2', 'user-agent': 'Consentry-WordPress/0.1.0' };
    const first = await service.request('POST', '/consent/events/batch', { key: secretKey, body: { events }, headers });
    expect(first.status).toBe(201);
    expect(first.body.data.map((e: { createdAt: string }) => e.createdAt)).toEqual(events.map((e) => e.occurredAt));
    expect(first.body.data[0]).toMatchObject({ userAgent: 'Visitor browser 1', ipAnonymized: '203.0.113.0' });
    expect(first.body.data[1]).toMatchObject({ userAgent: 'Visitor browser 2', ipAnonymized: '2001:db8:7::' });
    const again = await service.request('POST', '/consent/events/batch', { key: secretKey, body: { events }, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const list = await service.request('GET', `/sites/${site.id}/consent/events`, { key: secretKey });
    expect(list.body.pagination.total).toBe(2);
    // Newest first by the visitor's time.
    expect(list.body.data.map((e: { consentId: string }) => e.consentId)).toEqual(['cid_bulk_00002', 'cid_bulk_00001']);
  });

  it('refuses times older than 30 days or in the future, and what is not an address', async () => {
    const { secretKey, site } = await withSite(service, 'Backdate');
    const now = service.clock.now().getTime();
    const bad = await service.request('POST', '/consent/events/batch', {
      key: secretKey,
      body: { events: [
        later(site.id, 1, { occurredAt: new Date(now - 31 * 86_400_000).toISOString() }),
        later(site.id, 2, { occurredAt: new Date(now + 3_600_000).toISOString() }),
        later(site.id, 3, { visitorIp: '1:2:3:4:5:6:7:8:9' }),
      ] },
    });
    expectError(bad, 422, 'VALIDATION_ERROR');
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['events/0/occurredAt', 'events/1/occurredAt', 'events/2/visitorIp']);
    // A clock a little fast counts as now.
    const skewed = await service.request('POST', '/consent/events', { key: secretKey, body: later(site.id, 4, { occurredAt: new Date(now + 60_000).toISOString() }) });
    expect(skewed.status).toBe(201);
    expect(skewed.body.event.createdAt).toBe(new Date(now).toISOString());
  });

  it('is never open to visitors: the public route refuses the fields', async () => {
    const { site } = await withSite(service, 'Public');
    const body = {
      api_key: site.publicKey, consentId: 'cid_0123456789', action: 'accept_all', categories: { analytics: true }, policyVersion: '1',
      pageUrl: 'https://example.com/',
    };
    for (const extra of [{ occurredAt: '2026-11-01T00:00:00.000Z' }, { userAgent: 'x' }, { visitorIp: '198.51.100.7' }]) {
      for (const type of ['application/json', 'text/plain']) {
        const res = await service.request('POST', '/consent/log', { body: { ...body, ...extra }, headers: { 'content-type': type } });
        expectError(res, 422, 'VALIDATION_ERROR');
      }
    }
  });
});
