import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPLAY_PROFILES } from '../../../src/shared/consent.ts';
import { expectError, postgresUrl, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

const HOUR = 60 * 60 * 1000;
const count = (publicKey: string, body: unknown, headers: Record<string, string> = {}) =>
  service.request('POST', `/banner/${publicKey}/display-usage`, { body, headers });
const zero = () => Object.fromEntries(DISPLAY_PROFILES.map((p) => [p, 0]));

describe('anonymous display-preferences counts', () => {
  it('counts per site, profile and hour, and reports them per hour and per day', async () => {
    const { secretKey, site } = await withSite(service, 'Counted');
    const other = await withSite(service, 'Other');
    service.clock.advance(HOUR - (service.clock.now().getTime() % HOUR)); // the start of an hour
    const firstHour = service.clock.now().toISOString();
    for (const profile of ['vision_impaired', 'vision_impaired', 'dyslexia_friendly']) {
      const res = await count(site.publicKey, { profile });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ success: true });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
    expect((await count(other.site.publicKey, { profile: 'cognitive' })).status).toBe(202);
    service.clock.advance(HOUR + 5 * 60 * 1000);
    const secondHour = new Date(Date.parse(firstHour) + HOUR).toISOString();
    expect((await count(site.publicKey, { profile: 'vision_impaired' })).status).toBe(202);
    // A beacon's text/plain body counts too.
    expect((await service.request('POST', `/banner/${site.publicKey}/display-usage`, { raw: '{"profile":"seizure_safe"}', headers: { 'content-type': 'text/plain' } })).status).toBe(202);
    await service.app.consentry.displayUsage.flush();

    const rows = await service.store.sql.all('SELECT * FROM display_usage WHERE site_id = ? ORDER BY hour_start, profile', [site.id]);
    expect(rows.map((r) => ({ ...r, count: Number(r.count) }))).toEqual([
      { site_id: site.id, hour_start: firstHour, profile: 'dyslexia_friendly', count: 1 },
      { site_id: site.id, hour_start: firstHour, profile: 'vision_impaired', count: 2 },
      { site_id: site.id, hour_start: secondHour, profile: 'seizure_safe', count: 1 },
      { site_id: site.id, hour_start: secondHour, profile: 'vision_impaired', count: 1 },
    ]);

    const hourly = await service.request('GET', `/sites/${site.id}/display-usage?interval=hour&from=${firstHour}&to=${new Date(Date.parse(firstHour) + 3 * HOUR).toISOString()}`, { key: secretKey });
    expect(hourly.status).toBe(200);
    expect(hourly.body).toEqual({
      from: firstHour, to: new Date(Date.parse(firstHour) + 3 * HOUR).toISOString(), interval: 'hour',
      totals: { ...zero(), vision_impaired: 3, dyslexia_friendly: 1, seizure_safe: 1 }, total: 5,
      buckets: [
        { start: firstHour, counts: { ...zero(), vision_impaired: 2, dyslexia_friendly: 1 }, total: 3 },
        { start: secondHour, counts: { ...zero(), vision_impaired: 1, seizure_safe: 1 }, total: 2 },
        { start: new Date(Date.parse(firstHour) + 2 * HOUR).toISOString(), counts: zero(), total: 0 },
      ],
    });
    const daily = await service.request('GET', `/sites/${site.id}/display-usage`, { key: secretKey });
    expect(daily.body.interval).toBe('day');
    expect(daily.body.buckets.length).toBeGreaterThanOrEqual(30);
    expect(daily.body.total).toBe(5);
    expect(daily.body.buckets.reduce((sum: number, b: { total: number }) => sum + b.total, 0)).toBe(5);
    // Another account's site is not found; the other site's count is its own.
    expectError(await service.request('GET', `/sites/${site.id}/display-usage`, { key: other.secretKey }), 404, 'RESOURCE_NOT_FOUND');
    expect((await service.request('GET', `/sites/${other.site.id}/display-usage`, { key: other.secretKey })).body.totals.cognitive).toBe(1);
  });

  it('keeps nothing that could name a visitor: no column for it, no audit entry, whatever the request carried', async () => {
    const { secretKey, site } = await withSite(service, 'Nobody');
    const res = await count(site.publicKey, { profile: 'adhd_friendly' }, {
      'user-agent': 'Mozilla/5.0 (Nobody) Distinctive/1.0', 'x-forwarded-for': '203.0.113.77', cookie: 'consentry_consent=abc',
    });
    expect(res.status).toBe(202);
    await service.app.consentry.displayUsage.flush();
    const columns = postgresUrl
      ? (await service.store.sql.all("SELECT column_name AS name FROM information_schema.columns WHERE table_name IN ('display_usage', 'display_usage_hours')", [])).map((c) => String(c.name))
      : [
        ...(await service.store.sql.all('PRAGMA table_info(display_usage)', [])),
        ...(await service.store.sql.all('PRAGMA table_info(display_usage_hours)', [])),
      ].map((c) => String(c.name));
    expect([...new Set(columns)].sort()).toEqual(['count', 'hour_start', 'notified_at', 'profile', 'site_id']);
    const stored = JSON.stringify(await service.store.sql.all('SELECT * FROM display_usage WHERE site_id = ?', [site.id]));
    expect(stored).not.toMatch(/Distinctive|203\.0\.113|abc|127\.0\.0\.1/);
    // The account's audit log shows the site's other visitor calls, never the count: wait for a heartbeat sent after it.
    await service.request('POST', '/heartbeat', { body: { api_key: site.publicKey, session_id: 'sess_12345678', page_url: 'https://example.com/' } });
    let routes: string[] = [];
    for (let i = 0; i < 50 && !routes.includes('/api/v1/heartbeat'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // entries are written in batches every 100 ms
      routes = (await service.request('GET', '/audit-log?limit=100', { key: secretKey })).body.data.map((e: { route: string }) => e.route);
    }
    expect(routes).toContain('/api/v1/heartbeat');
    expect(routes.some((r: string) => r.includes('/banner/'))).toBe(false);
    const anywhere = await service.store.sql.all("SELECT COUNT(*) AS n FROM audit_log WHERE route LIKE '%/banner/%'", []);
    expect(Number(anywhere[0]!.n)).toBe(0);
  });

  it('refuses bad bodies and keys with the documented errors, counting nothing', async () => {
    const { site } = await withSite(service, 'Refused');
    for (const body of [{}, { profile: 'mind_reader' }, { profile: 'cognitive', consentId: 'cid_12345678' }, { profile: 'cognitive', api_key: site.publicKey }, { profile: 7 }]) {
      expectError(await count(site.publicKey, body), 422, 'VALIDATION_ERROR');
    }
    expectError(await service.request('POST', `/banner/${site.publicKey}/display-usage`, { raw: '{"profile":', headers: { 'content-type': 'application/json' } }), 400, 'BAD_REQUEST');
    expectError(await count('pk_unknownunknownunknownunknown00', { profile: 'cognitive' }), 401, 'AUTHENTICATION_ERROR');
    expectError(await count('ck_notapublickey', { profile: 'cognitive' }), 401, 'AUTHENTICATION_ERROR');
    await service.app.consentry.displayUsage.flush();
    expect(await service.store.sql.all('SELECT * FROM display_usage WHERE site_id = ?', [site.id])).toEqual([]);
  });

  it('refuses report ranges it cannot answer', async () => {
    const { secretKey, site } = await withSite(service, 'Ranges');
    const at = service.clock.now().getTime();
    const q = (from: number, to: number, interval: string) =>
      service.request('GET', `/sites/${site.id}/display-usage?interval=${interval}&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`, { key: secretKey });
    expectError(await q(at, at - HOUR, 'hour'), 422, 'VALIDATION_ERROR');
    expectError(await q(at - 40 * 24 * HOUR, at, 'hour'), 422, 'VALIDATION_ERROR');
    expectError(await q(at - 400 * 24 * HOUR, at, 'day'), 422, 'VALIDATION_ERROR');
    expectError(await service.request('GET', `/sites/${site.id}/display-usage?interval=week`, { key: secretKey }), 422, 'VALIDATION_ERROR');
    expect((await q(at - 31 * 24 * HOUR, at, 'hour')).status).toBe(200);
  });
});
