/**
 * Scans that cannot run and requests that are wrong: documented errors, nothing stored; without a browser a scan
 * fails at once with `browser_unavailable` and `scan.failed` is delivered; scheduled rescans follow the test clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite } from '../harness.ts';
import { Receiver } from '../receiver.ts';

const DAY = 24 * 3600 * 1000;
const service = new TestService({
  CONSENTRY_SCAN_ALLOW_PRIVATE: '1', CONSENTRY_WEBHOOK_ALLOW_PRIVATE: '1', CONSENTRY_CHROMIUM_PATH: '/nonexistent/chromium',
});
const receiver = new Receiver();
beforeAll(async () => {
  await Promise.all([service.start(), receiver.start()]);
});
afterAll(async () => {
  await service.stop();
  await receiver.stop();
});

async function ended(key: string, siteId: string, scanId: string) {
  await service.app.consentry.scans.idle();
  for (;;) {
    const res = await service.request('GET', `/sites/${siteId}/scans/${scanId}`, { key });
    if (!['queued', 'running'].includes(res.body.scan.state)) return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('scans: bad requests change nothing', () => {
  it('refuses a foreign start URL, bad budgets and patterns, unknown fields and ids, with the documented errors', async () => {
    const { secretKey: key, site } = await withSite(service, 'Refused', 'example.com');
    const other = await withSite(service, 'Other', 'other.example');
    const base = `/sites/${site.id}/scans`;
    const post = (body: unknown) => service.request('POST', base, { key, body });

    const foreign = await post({ startUrl: 'https://evil.example.org/' });
    expectError(foreign, 422, 'DOMAIN_MISMATCH');
    expect(foreign.body.error.details).toMatchObject({ field: 'startUrl', domain: 'example.com' });
    expectError(await post({ startUrl: 'https://example.com.evil.org/' }), 422, 'DOMAIN_MISMATCH');
    for (const body of [
      { pageBudget: 0 }, { pageBudget: 501 }, { pageBudget: '5' }, { pageBudget: 1.5 }, { startUrl: 'ftp://example.com/' }, { startUrl: 'not a url' },
      { include: 'blog' }, { exclude: [''] }, { include: Array.from({ length: 51 }, (_, i) => `/p${i}`) }, { depth: 3 },
    ]) {
      const res = await post(body);
      expectError(res, 422, 'VALIDATION_ERROR');
    }
    expectError(await service.request('POST', base, { key: other.secretKey, body: {} }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await service.request('POST', '/sites/site_missing/scans', { key, body: {} }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await service.request('POST', base, { body: {} }), 401, 'AUTHENTICATION_ERROR');
    expectError(await service.request('GET', `${base}/scan_missing`, { key }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await service.request('POST', `${base}/scan_missing/cancel`, { key }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await service.request('GET', `${base}?limit=101`, { key }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('GET', `${base}?state=done`, { key }), 422, 'VALIDATION_ERROR');

    const list = await service.request('GET', base, { key });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ data: [], pagination: { total: 0, limit: 20, offset: 0 } });
    // Nothing moved the site's schedule either.
    expect((await service.request('GET', `/sites/${site.id}`, { key })).body.site.scanSchedule.nextAt).toBe(site.scanSchedule.nextAt);
  });

  it('fails at once with browser_unavailable, says what to install, and delivers a verified scan.failed; another scan may start', async () => {
    const { secretKey: key, site } = await withSite(service, 'No browser', 'localhost');
    const hook = await service.request('POST', '/webhooks', { key, body: { url: receiver.url, events: ['scan.failed'] } });
    receiver.secret = hook.body.secret;
    const started = await service.request('POST', `/sites/${site.id}/scans`, { key, body: {} });
    expect(started.status).toBe(202);
    expect(started.body.scan).toMatchObject({ startUrl: 'https://localhost/', options: { pageBudget: 50, include: [], exclude: [] } });
    const detail = await ended(key, site.id, started.body.scan.id);
    expect(detail.scan).toMatchObject({ state: 'failed', reason: 'browser_unavailable', pagesDone: 0 });
    expect(detail.scan.message).toContain('CONSENTRY_CHROMIUM_PATH');
    expect(detail).toMatchObject({ pages: [], items: [], violations: [], diff: [] });
    await receiver.waitFor(1);
    expect(receiver.received[0]!.verified).toBe(true);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      type: 'scan.failed', data: { scan_id: started.body.scan.id, site_id: site.id, reason: 'browser_unavailable', trigger: 'manual' },
    });
    expect((await service.request('GET', `/sites/${site.id}/cookies`, { key })).body.pagination.total).toBe(0);
    // It ended: cancelling it is a conflict, and the next scan may start.
    expectError(await service.request('POST', `/sites/${site.id}/scans/${started.body.scan.id}/cancel`, { key }), 409, 'CONFLICT_ERROR');
    const next = await service.request('POST', `/sites/${site.id}/scans`, { key, body: { startUrl: 'http://sub.localhost:8080/start' } });
    expect(next.status).toBe(202);
    await ended(key, site.id, next.body.scan.id);
    // No body at all is an empty one.
    const bare = await service.request('POST', `/sites/${site.id}/scans`, { key });
    expect(bare.status, bare.text).toBe(202);
    await ended(key, site.id, bare.body.scan.id);
  });
});

describe('scheduled rescans', () => {
  it('rescan each site when its interval has passed since its last scan, can be turned off, and count from the last scan', async () => {
    const { secretKey: key, site } = await withSite(service, 'Scheduled', 'scheduled.localhost');
    const runner = service.app.consentry.scans;
    const scans = async () => (await service.request('GET', `/sites/${site.id}/scans`, { key })).body.data as Array<{ id: string; trigger: string; state: string; finishedAt: string }>;
    expect(Date.parse(site.scanSchedule.nextAt) - Date.parse(site.createdAt)).toBe(30 * DAY);

    service.clock.advance(29 * DAY);
    await runner.tick();
    expect(await scans()).toHaveLength(0);
    service.clock.advance(1 * DAY + 1000);
    await runner.tick();
    await runner.idle();
    const [scheduled] = await scans();
    expect(scheduled).toMatchObject({ trigger: 'schedule', state: 'failed' });
    const after = (await service.request('GET', `/sites/${site.id}`, { key })).body.site;
    expect(Date.parse(after.scanSchedule.nextAt) - Date.parse(scheduled!.finishedAt)).toBe(30 * DAY);
    await runner.tick();
    expect(await scans()).toHaveLength(1);

    // Off: no rescan, however long; on again every 7 days, counted from the last scan.
    const off = await service.request('PATCH', `/sites/${site.id}`, { key, body: { scanSchedule: { enabled: false } } });
    expect(off.body.site.scanSchedule).toEqual({ enabled: false, intervalDays: 30, nextAt: null });
    service.clock.advance(60 * DAY);
    await runner.tick();
    expect(await scans()).toHaveLength(1);
    const on = await service.request('PATCH', `/sites/${site.id}`, { key, body: { scanSchedule: { enabled: true, intervalDays: 7 } } });
    expect(Date.parse(on.body.site.scanSchedule.nextAt) - Date.parse(scheduled!.finishedAt)).toBe(7 * DAY);
    await runner.tick();
    await runner.idle();
    expect((await scans()).map((s) => s.trigger)).toEqual(['schedule', 'schedule']);
    expectError(await service.request('PATCH', `/sites/${site.id}`, { key, body: { scanSchedule: { intervalDays: 0 } } }), 422, 'VALIDATION_ERROR');
    expectError(await service.request('PATCH', `/sites/${site.id}`, { key, body: { scanSchedule: {} } }), 422, 'VALIDATION_ERROR');

    // A site created with rescans off is never due; a deleted site is not rescanned.
    const quiet = await service.request('POST', '/sites', { key, body: { name: 'Quiet', domain: 'quiet.localhost', scanSchedule: { enabled: false } } });
    expect(quiet.body.site.scanSchedule).toEqual({ enabled: false, intervalDays: 30, nextAt: null });
    await service.request('DELETE', `/sites/${site.id}`, { key });
    service.clock.advance(400 * DAY);
    await runner.tick();
    await runner.idle();
    expect(await scans()).toHaveLength(2);
    expect((await service.request('GET', `/sites/${quiet.body.site.id}/scans`, { key })).body.pagination.total).toBe(0);
  });
});

describe('scans left running by a stopped instance', () => {
  it('end as partial with reason interrupted once they were already resumed, keeping their pages; never stay running', async () => {
    const { secretKey: key, site } = await withSite(service, 'Interrupted', 'interrupted.localhost');
    const at = service.clock.now().toISOString();
    const scan = {
      id: 'scan_interrupted1', siteId: site.id, state: 'running' as const, trigger: 'manual' as const, startUrl: 'https://interrupted.localhost/',
      options: { pageBudget: 50, include: [], exclude: [] }, pagesPlanned: 3, pagesDone: 0, pagesFailed: 0,
      counts: { items: 0, unclassified: 0, violations: 0, flagged: 0, added: 0, removed: 0, changed: 0 }, reason: null, message: null,
      createdAt: at, startedAt: at, finishedAt: null, runner: 'runner_gone', leaseUntil: new Date(Date.parse(at) + 60_000).toISOString(), resumes: 1,
    };
    await service.store.createScan(scan);
    expect(await service.store.recordScanPage('runner_gone', {
      scanId: scan.id, url: 'https://interrupted.localhost/', seq: 0, depth: 0, state: 'ok', error: null, bannerFound: false, passes: ['before'],
      items: [{ kind: 'cookie', name: '_ga', domain: '.interrupted.localhost', pass: 'before' }], hosts: [], scannedAt: at,
    }, scan.leaseUntil)).toBe(true);
    // While its lease runs, it is its instance's.
    await service.app.consentry.scans.tick();
    expect((await service.request('GET', `/sites/${site.id}/scans/${scan.id}`, { key })).body.scan.state).toBe('running');
    service.clock.advance(61_000);
    await service.app.consentry.scans.tick();
    await service.app.consentry.scans.idle();
    const detail = (await service.request('GET', `/sites/${site.id}/scans/${scan.id}`, { key })).body;
    expect(detail.scan).toMatchObject({ state: 'partial', reason: 'interrupted', pagesDone: 1 });
    expect(detail.violations).toEqual([expect.objectContaining({ name: '_ga', pass: 'before' })]);
    expect((await service.request('GET', `/sites/${site.id}/cookies`, { key })).body.data.map((e: { name: string }) => e.name)).toEqual(['_ga']);
    // The site is free again.
    expect((await service.request('POST', `/sites/${site.id}/scans`, { key, body: {} })).status).toBe(202);
    await service.app.consentry.scans.idle();
  });
});
