// The visitor writes (consent log, heartbeat) take a direct lane past Fastify's
// request pipeline; a query string sends the same call through the Fastify
// route. Both must answer alike, for good calls and for every kind of bad one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite, type Response } from '../harness.ts';

const service = new TestService({ CONSENTRY_IP_RATE_LIMIT: '1000' });
beforeAll(() => service.start());
afterAll(() => service.stop());

const choice = (over: Record<string, unknown> = {}) => ({
  consentId: 'cid_0123456789', action: 'accept_all', categories: { necessary: true, analytics: true, marketing: true }, policyVersion: '1',
  language: 'en', pageUrl: 'https://lane.example.com/', gpc: false, ...over,
});
const LANE = '';
const FASTIFY = '?api_version=1';

/** What must agree between the two paths: status, error code and details, and the headers a client relies on. */
function shape(res: Response) {
  const header = (name: string) => res.headers.get(name);
  return {
    status: res.status,
    code: res.body?.error?.code ?? null,
    details: res.body?.error?.details ?? null,
    success: res.body?.success,
    contentType: header('content-type'),
    cors: [header('access-control-allow-origin'), header('access-control-expose-headers')],
    version: header('x-api-version'),
    rateLimit: header('x-ratelimit-limit'),
    requestIdMatches: res.body?.error ? res.body.error.request_id === header('x-request-id') : /^req_[A-Za-z0-9]{20}$/.test(header('x-request-id') ?? ''),
  };
}

describe('the direct lane of visitor writes', () => {
  it('answers every case as the Fastify route does, and stores only the good calls', async () => {
    const { secretKey, site } = await withSite(service, 'Lane');
    const other = await withSite(service, 'Other');
    const big = 'x'.repeat(1024 * 1024 + 10);
    // Each case with the status both paths must give: equal answers alone would not catch both being wrong.
    const cases: Array<[string, number, { body?: unknown; raw?: string; headers?: Record<string, string>; key?: string }]> = [
      ['good', 201, { body: { api_key: site.publicKey, ...choice() } }],
      ['key in header', 201, { body: choice(), headers: { 'x-api-key': site.publicKey } }],
      ['beacon as text/plain', 201, { raw: JSON.stringify({ api_key: site.publicKey, ...choice() }), headers: { 'content-type': 'text/plain;charset=UTF-8' } }],
      ['malformed JSON', 400, { raw: '{"api_key": ', headers: { 'content-type': 'application/json' } }],
      ['empty body', 400, { raw: '', headers: { 'content-type': 'application/json' } }],
      ['prototype poisoning', 400, { raw: `{"api_key":"${site.publicKey}","__proto__":{"x":1}}`, headers: { 'content-type': 'application/json' } }],
      ['over 1 MiB', 413, { body: { api_key: site.publicKey, ...choice({ pageUrl: `https://lane.example.com/${big}` }) } }],
      ['unknown field', 422, { body: { api_key: site.publicKey, ...choice(), extra: 1 } }],
      ['wrong types', 422, { body: { api_key: site.publicKey, ...choice({ gpc: 'yes', action: 'maybe' }) } }],
      ['unknown category', 422, { body: { api_key: site.publicKey, ...choice({ categories: { nope: true } }) } }],
      ['page on another domain', 422, { body: { api_key: site.publicKey, ...choice({ pageUrl: 'https://elsewhere.test/lane' }) } }],
      ['page on a look-alike domain', 422, { body: { api_key: site.publicKey, ...choice({ pageUrl: 'https://example.com.elsewhere.test/' }) } }],
      ['no key', 401, { body: choice() }],
      ['secret key', 401, { body: choice(), key: secretKey }],
      ['unknown public key', 401, { body: { api_key: 'pk_doesnotexist', ...choice() } }],
      ['another site\'s id', 403, { body: { api_key: site.publicKey, siteId: other.site.id, ...choice() } }],
    ];
    for (const [name, status, options] of cases) {
      const lane = await service.request('POST', `/consent/log${LANE}`, options);
      const fastify = await service.request('POST', `/consent/log${FASTIFY}`, options);
      expect(shape(lane), name).toEqual(shape(fastify));
      expect(lane.status, name).toBe(status);
    }
    const stored = await service.request('GET', `/consent/events/${site.id}`, { key: secretKey });
    expect(stored.body.pagination.total).toBe(6); // good, key in header, beacon: twice each
    expect(stored.body.data[0]).toMatchObject({ action: 'accept_all', ipAnonymized: '127.0.0.0', categories: { necessary: true, analytics: true, marketing: true } });
  });

  it('codes the spot errors the same: 413 by Content-Length, 400, 422 with per-field details, 401, 403', async () => {
    const { site } = await withSite(service, 'Spots');
    const huge = await service.request('POST', '/consent/log', { raw: JSON.stringify({ api_key: site.publicKey, pad: 'x'.repeat(1024 * 1024) }), headers: { 'content-type': 'application/json' } });
    expectError(huge, 413, 'PAYLOAD_TOO_LARGE');
    expectError(await service.request('POST', '/consent/log', { raw: '{', headers: { 'content-type': 'application/json' } }), 400, 'BAD_REQUEST');
    const invalid = await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice({ gpc: 'yes' }), extra: 1 } });
    expectError(invalid, 422, 'VALIDATION_ERROR');
    expect(invalid.body.error.details.fields).toEqual(expect.arrayContaining([
      { field: 'extra', message: 'is not a known field' }, expect.objectContaining({ field: 'gpc' }),
    ]));
    expectError(await service.request('POST', '/consent/log', { body: choice() }), 401, 'AUTHENTICATION_ERROR');
    expectError(await service.request('POST', '/heartbeat', { body: { api_key: site.publicKey, siteId: 'site_someoneelse', session_id: 'sess_01234567', page_url: 'https://spots.example.com/' } }), 403, 'AUTHORIZATION_ERROR');
  });

  it('counts heartbeats once per session and page, on either path', async () => {
    const { site } = await withSite(service, 'Beat');
    const beat = { api_key: site.publicKey, session_id: 'sess_01234567', page_url: 'https://beat.example.com/a' };
    const first = await service.request('POST', '/heartbeat', { body: beat });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ success: true, pageview_count_month: 1, plan_limit: null });
    expect((await service.request('POST', `/heartbeat${FASTIFY}`, { body: beat })).body.pageview_count_month).toBe(1);
    expect((await service.request('POST', '/heartbeat', { body: { ...beat, page_url: 'https://beat.example.com/b' } })).body.pageview_count_month).toBe(2);
    expectError(await service.request('POST', '/heartbeat', { body: { ...beat, page_url: 'nope' } }), 422, 'VALIDATION_ERROR');
  });

  it('writes an audit entry per call, with the site as the key once the key is known', async () => {
    const { secretKey, site } = await withSite(service, 'Audited');
    await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice() } });
    await service.request('POST', '/consent/log', { body: { api_key: site.publicKey, ...choice({ categories: { nope: true } }) } });
    let entries: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 50 && entries.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50)); // entries are written in batches every 100 ms
      entries = (await service.request('GET', '/audit-log?limit=100', { key: secretKey })).body.data
        .filter((e: { route: string }) => e.route === '/api/v1/consent/log');
    }
    expect(entries.map((e) => e.status).sort()).toEqual([201, 422]);
    expect(entries[0]).toMatchObject({ method: 'POST', path: '/api/v1/consent/log', keyId: `site:${site.id}`, ipAnonymized: '127.0.0.0' });
  });
});

describe('the per-address limit on the direct lane', () => {
  const limited = new TestService({ CONSENTRY_IP_RATE_LIMIT: '2' });
  beforeAll(() => limited.start());
  afterAll(() => limited.stop());

  it('answers 429 with the rate headers, per forwarded address from a trusted proxy, and stores nothing more', async () => {
    const { secretKey, site } = await withSite(limited, 'Limited'); // two calls from 127.0.0.1 already: the site and this key's account
    limited.clock.advance(60_000);
    const from = (ip: string) => ({ body: { api_key: site.publicKey, ...choice() }, headers: { 'x-forwarded-for': ip } });
    expect((await limited.request('POST', '/consent/log', from('198.51.100.7'))).headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await limited.request('POST', '/consent/log', from('198.51.100.7'))).status).toBe(201);
    const over = await limited.request('POST', '/consent/log', from('198.51.100.7'));
    expectError(over, 429, 'RATE_LIMIT_ERROR');
    expect(over.headers.get('retry-after')).toBeTruthy();
    expect(over.headers.get('access-control-allow-origin')).toBe('*');
    expect((await limited.request('POST', '/consent/log', from('198.51.100.8'))).status).toBe(201);
    limited.clock.advance(60_000);
    const events = await limited.request('GET', `/consent/events/${site.id}`, { key: secretKey });
    expect(events.body.pagination.total).toBe(3);
    expect(events.body.data[0].ipAnonymized).toBe('198.51.100.0');
  });
});

describe('the per-site cap and the page rule on the direct lane', () => {
  const capped = new TestService({ CONSENTRY_SITE_RATE_LIMIT: '2' });
  beforeAll(() => capped.start());
  afterAll(() => capped.stop());

  it('answers a heartbeat over the site\'s cap, and one from another domain, as the Fastify route does', async () => {
    const { site } = await withSite(capped, 'Cap');
    const beat = (page: string) => ({ body: { api_key: site.publicKey, session_id: 'sess_01234567', page_url: page } });
    const answers: Record<string, ReturnType<typeof shape>[]> = {};
    for (const path of [LANE, FASTIFY]) {
      capped.clock.advance(60_000 - (capped.clock.now().getTime() % 60_000));
      const seen = [];
      seen.push(shape(await capped.request('POST', `/heartbeat${path}`, beat('https://other.test/'))));
      seen.push(shape(await capped.request('POST', `/heartbeat${path}`, beat('https://cap.example.com/'))));
      seen.push(shape(await capped.request('POST', `/heartbeat${path}`, beat('https://cap.example.com/'))));
      seen.push(shape(await capped.request('POST', `/heartbeat${path}`, beat('https://cap.example.com/'))));
      answers[path] = seen;
    }
    expect(answers[LANE]).toEqual(answers[FASTIFY]);
    expect(answers[LANE]!.map((a) => [a.status, a.code, a.rateLimit])).toEqual([
      [422, 'DOMAIN_MISMATCH', '2'], [200, null, '2'], [429, 'RATE_LIMIT_ERROR', '2'], [429, 'RATE_LIMIT_ERROR', '2'],
    ]);
  });
});
