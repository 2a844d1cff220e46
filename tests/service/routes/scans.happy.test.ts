/**
 * Cookie scans over the API with the real engine (headless Chromium) against the loopback fixture site: progress,
 * results, one scan per site at a time, the inventory and people's edits across a rescan, the diff between two
 * scans, and scan.completed delivered and verified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, TestService, withSite, type Response } from '../harness.ts';
import { Receiver } from '../receiver.ts';
import { startFixtureSite, type FixtureSite } from '../scanner/fixture-site.ts';

const CHROMIUM = process.env.CONSENTRY_CHROMIUM_PATH || '/usr/bin/chromium';
const service = new TestService({ CONSENTRY_SCAN_ALLOW_PRIVATE: '1', CONSENTRY_WEBHOOK_ALLOW_PRIVATE: '1', CONSENTRY_CHROMIUM_PATH: CHROMIUM });
let fixture: FixtureSite;
const receiver = new Receiver();

beforeAll(async () => {
  [fixture] = await Promise.all([startFixtureSite(), service.start(), receiver.start()]);
});
afterAll(async () => {
  await service.stop();
  await Promise.all([fixture.close(), receiver.stop()]);
});

type Scan = { id: string; state: string; pagesDone: number; pagesPlanned: number; pagesFailed: number; counts: Record<string, number> };

/** Reads the scan until it ended; answers the detail and every progress seen on the way. */
async function untilEnded(key: string, siteId: string, scanId: string): Promise<{ detail: Response; seen: Scan[] }> {
  const seen: Scan[] = [];
  for (;;) {
    const detail = await service.request('GET', `/sites/${siteId}/scans/${scanId}`, { key });
    expect(detail.status).toBe(200);
    seen.push(detail.body.scan);
    if (!['queued', 'running'].includes(detail.body.scan.state)) return { detail, seen };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('cookie scans over the API', () => {
  it('scans the fixture site: progress, pages, items with their first page and pass, violations, the inventory, scan.completed; then a rescan keeps people\'s edits and diffs', async () => {
    const { secretKey: key, site } = await withSite(service, 'Scanned', fixture.siteDomain);
    expect(site.scanSchedule).toMatchObject({ enabled: true, intervalDays: 30 });
    const hook = await service.request('POST', '/webhooks', { key, body: { url: receiver.url, events: ['scan.completed', 'scan.failed'] } });
    receiver.secret = hook.body.secret;
    const base = `/sites/${site.id}/scans`;

    const started = await service.request('POST', base, { key, body: { startUrl: fixture.url('/'), exclude: ['/slow'] } });
    expect(started.status).toBe(202);
    expect(started.body.scan).toMatchObject({ siteId: site.id, state: 'queued', trigger: 'manual', startUrl: fixture.url('/'), options: { pageBudget: 50, include: [], exclude: ['/slow'] } });
    // One scan per site at a time.
    const second = await service.request('POST', base, { key, body: { startUrl: fixture.url('/') } });
    expectError(second, 409, 'CONFLICT_ERROR');
    expect(second.body.error.details.scanId).toBe(started.body.scan.id);

    const { detail, seen } = await untilEnded(key, site.id, started.body.scan.id);
    for (const s of seen) expect(s.pagesDone).toBeLessThanOrEqual(Math.max(s.pagesPlanned, s.pagesDone));
    expect(seen.every((s, i) => i === 0 || s.pagesDone >= seen[i - 1]!.pagesDone)).toBe(true);
    const scan = detail.body.scan;
    expect(scan, detail.text).toMatchObject({ state: 'completed', reason: null, pagesFailed: 0 });
    expect(scan.pagesDone).toBe(detail.body.pages.length);
    expect(scan.pagesPlanned).toBe(scan.pagesDone);
    expect(scan.startedAt).not.toBeNull();
    expect(scan.finishedAt).not.toBeNull();
    const paths = detail.body.pages.map((p: { url: string }) => new URL(p.url).pathname);
    expect(paths).toEqual(expect.arrayContaining(['/', '/cookies', '/storage', '/third-party', '/tracker', '/banner', '/sitemap-only']));
    expect(paths).not.toContain('/slow');

    const item = (name: string) => detail.body.items.find((i: { name: string }) => i.name === name);
    expect(item('fixture_session')).toMatchObject({ kind: 'cookie', firstPass: 'before', attributes: { httpOnly: true } });
    expect(new URL(item('fixture_session').firstPageUrl).pathname).toBe('/');
    expect(item('fixture_db')).toMatchObject({ kind: 'indexedDB' });
    expect(item('_ga')).toMatchObject({ classification: { categoryKey: 'analytics', necessary: false } });
    expect(item('_gid').passes).toEqual(['accept']);
    expect(item('consentry_consent').classification).toMatchObject({ necessary: true, source: 'consentry' });
    expect(detail.body.violations).toEqual(expect.arrayContaining([expect.objectContaining({ name: '_ga', pass: 'before', kind: 'cookie' })]));
    expect(detail.body.violations.some((v: { name: string }) => v.name === '_gid')).toBe(false);
    expect(detail.body.hosts.map((h: { host: string }) => h.host)).toContain(fixture.thirdPartyHost);
    expect(detail.body.diff).toEqual([]);
    expect(scan.counts).toMatchObject({ items: detail.body.items.length, violations: detail.body.violations.length, added: 0, removed: 0, changed: 0 });
    const trackerPage = detail.body.pages.find((p: { url: string }) => p.url.endsWith('/tracker'));
    expect(trackerPage.violations).toBeGreaterThan(0);

    await receiver.waitFor(1);
    const completed = JSON.parse(receiver.received[0]!.body);
    expect(receiver.received[0]!.verified).toBe(true);
    expect(completed).toMatchObject({
      type: 'scan.completed',
      data: {
        scan_id: scan.id, site_id: site.id, state: 'completed', partial: false, trigger: 'manual',
        counts: { pages: scan.pagesDone, pages_failed: 0, items: scan.counts.items, violations: scan.counts.violations, unclassified: scan.counts.unclassified, added: 0 },
      },
    });

    // The inventory: every item, to review.
    const inventory = await service.request('GET', `/sites/${site.id}/cookies?limit=100`, { key });
    expect(inventory.body.pagination.total).toBe(scan.counts.items);
    const entry = (name: string) => inventory.body.data.find((e: { name: string }) => e.name === name);
    expect(entry('_ga')).toMatchObject({ kind: 'cookie', source: 'scan', reviewState: 'todo', categoryKey: 'analytics', lastScanId: scan.id });
    expect(entry('fixture_session')).toMatchObject({ categoryKey: null, reviewState: 'todo' });
    const unclassified = await service.request('GET', `/sites/${site.id}/cookies?unclassified=true&limit=100`, { key });
    expect(unclassified.body.pagination.total).toBe(scan.counts.unclassified);

    // People's edits, a manual entry; then a rescan without the tracker page.
    const edited = await service.request('PATCH', `/sites/${site.id}/cookies/${entry('fixture_session').id}`, {
      key, body: { categoryKey: 'necessary', purpose: 'Keeps the visitor signed in.', reviewState: 'done', translations: { tr: { purpose: 'Oturumu açık tutar.' } } },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.cookie).toMatchObject({ categoryKey: 'necessary', reviewState: 'done', source: 'scan' });
    const manual = await service.request('POST', `/sites/${site.id}/cookies`, { key, body: { kind: 'cookie', name: 'crm_visitor', provider: 'CRM', categoryKey: 'marketing' } });
    expect(manual.status).toBe(201);
    expect(manual.body.cookie).toMatchObject({ source: 'manual', reviewState: 'done', domain: '', firstSeenAt: null });

    const rescan = await service.request('POST', base, { key, body: { startUrl: fixture.url('/'), exclude: ['/slow', '/tracker'] } });
    expect(rescan.status).toBe(202);
    const again = (await untilEnded(key, site.id, rescan.body.scan.id)).detail;
    expect(again.body.scan.state).toBe('completed');
    expect(again.body.diff).toEqual(expect.arrayContaining([expect.objectContaining({ change: 'removed', kind: 'cookie', name: '_ga' })]));
    expect(again.body.scan.counts.removed).toBeGreaterThan(0);
    expect(again.body.violations.some((v: { name: string }) => v.name === '_ga')).toBe(false);
    const session = again.body.items.find((i: { name: string }) => i.name === 'fixture_session');
    expect(session.classification).toMatchObject({ categoryKey: 'necessary', source: 'override' });
    expect(again.body.diff).toEqual(expect.arrayContaining([expect.objectContaining({ change: 'changed', name: 'fixture_session', fields: ['categoryKey'] })]));

    const after = await service.request('GET', `/sites/${site.id}/cookies?limit=100`, { key });
    const kept = after.body.data.find((e: { name: string }) => e.name === 'fixture_session');
    expect(kept).toMatchObject({
      categoryKey: 'necessary', purpose: 'Keeps the visitor signed in.', reviewState: 'done', translations: { tr: { purpose: 'Oturumu açık tutar.' } },
      lastScanId: again.body.scan.id, firstSeenAt: entry('fixture_session').firstSeenAt,
    });
    expect(after.body.data.find((e: { name: string }) => e.name === 'crm_visitor')).toMatchObject({ source: 'manual', provider: 'CRM', lastScanId: null });
    // Not seen again: kept, with the scan that last saw it.
    expect(after.body.data.find((e: { name: string }) => e.name === '_ga')).toMatchObject({ lastScanId: scan.id });

    const list = await service.request('GET', `${base}?limit=1`, { key });
    expect(list.body.pagination).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(list.body.data[0].id).toBe(again.body.scan.id);
    const completedOnly = await service.request('GET', `${base}?state=failed`, { key });
    expect(completedOnly.body.pagination.total).toBe(0);

    await receiver.waitFor(2);
    expect(JSON.parse(receiver.received[1]!.body).data.counts.removed).toBe(again.body.scan.counts.removed);

    // The site's next scheduled scan counts from the last one.
    const refreshed = await service.request('GET', `/sites/${site.id}`, { key });
    expect(Date.parse(refreshed.body.site.scanSchedule.nextAt) - Date.parse(again.body.scan.finishedAt)).toBe(30 * 24 * 3600 * 1000);

    // Audit entries of the scan starts and the inventory edits.
    const audited = async (method: string) => (await service.request('GET', `/audit-log?limit=100&method=${method}`, { key })).body.data as Array<{ route: string; status: number; detail: any }>;
    const posts = await audited('POST');
    const scanStart = posts.find((e) => e.route === '/api/v1/sites/:siteId/scans' && e.status === 202 && e.detail?.scan?.id === scan.id);
    expect(scanStart?.detail.scan).toMatchObject({ startUrl: fixture.url('/'), pageBudget: 50 });
    expect(posts.some((e) => e.route === '/api/v1/sites/:siteId/scans' && e.status === 409)).toBe(true);
    expect(posts.find((e) => e.route === '/api/v1/sites/:siteId/cookies')?.detail.cookie).toMatchObject({ name: 'crm_visitor' });
    expect((await audited('PATCH')).find((e) => e.route === '/api/v1/sites/:siteId/cookies/:cookieId')?.detail.cookie.fields).toEqual(['categoryKey', 'purpose', 'reviewState', 'translations']);
  }, 240_000);

  it('cancels a running scan at once: its engine stops, the pages done stay, the next scan may start; an ended scan cannot be cancelled', async () => {
    const { secretKey: key, site } = await withSite(service, 'Cancelled', fixture.siteDomain);
    const base = `/sites/${site.id}/scans`;
    // Only the page that never answers: the scan stays running until cancelled.
    const started = await service.request('POST', base, { key, body: { startUrl: fixture.url('/slow'), include: ['/slow'], pageBudget: 1 } });
    expect(started.status).toBe(202);
    const id = started.body.scan.id;
    let state = started.body.scan.state;
    while (state === 'queued') {
      await new Promise((r) => setTimeout(r, 50));
      state = (await service.request('GET', `${base}/${id}`, { key })).body.scan.state;
    }
    expect(state).toBe('running');
    const cancelled = await service.request('POST', `${base}/${id}/cancel`, { key });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.scan).toMatchObject({ id, state: 'cancelled', reason: null });
    expect(cancelled.body.scan.finishedAt).not.toBeNull();
    await service.app.consentry.scans.idle();
    expect((await service.request('GET', `${base}/${id}`, { key })).body.scan.state).toBe('cancelled');
    expectError(await service.request('POST', `${base}/${id}/cancel`, { key }), 409, 'CONFLICT_ERROR');
    // Cancelled: no webhook, and the next scan may start (then is cancelled while queued or running).
    const next = await service.request('POST', base, { key, body: { startUrl: fixture.url('/slow'), include: ['/slow'], pageBudget: 1 } });
    expect(next.status).toBe(202);
    expect((await service.request('POST', `${base}/${next.body.scan.id}/cancel`, { key })).body.scan.state).toBe('cancelled');
    await service.app.consentry.scans.idle();
    const list = await service.request('GET', `${base}?state=cancelled`, { key });
    expect(list.body.pagination.total).toBe(2);
  }, 120_000);
});
