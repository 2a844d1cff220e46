// Issue 14: visitors never see an error because of the service. With the service
// stopped, pages still show the banner from the cached config, and visitors' choices
// are answered 202 and kept by the plugin (its consentry_queue table; the browser's
// beacon cannot retry). When the service is back, the plugin sends them on through the
// secret-key batch route with the visitors' own times, each batch under an
// Idempotency-Key: every choice is recorded exactly once. Heartbeats are dropped (202).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { freePort } from '../../scripts/util.ts';
import { expect as baseExpect, createServiceAccount, startOwnService, test, type E2EState } from './fixtures.ts';

// Each request goes browser -> WordPress (PHP in WebAssembly) -> service; waits bound, never measure.
const expect = baseExpect.configure({ timeout: 60_000 });
test.describe.configure({ timeout: 600_000 });
test.use({ actionTimeout: 60_000 });

const NS = '/consentry/v1';
const CONSENT_ROUTE = /consentry(\/|%2F)v1(\/|%2F)consent\b/;
const HEARTBEAT_ROUTE = /consentry(\/|%2F)v1(\/|%2F)heartbeat\b/;

interface Visitor {
  page: Page;
  problems: string[];
  close(): Promise<void>;
}

/** A visitor of their own (own cookies), from the given address (the probe mu-plugin's stand-in for a trusted proxy). */
async function visitor(browser: Browser, stack: E2EState, address: string): Promise<Visitor> {
  const context = await browser.newContext({ baseURL: stack.siteUrl, storageState: stack.visitorStorage, extraHTTPHeaders: { 'X-Consentry-E2E-Address': address } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.url().startsWith(stack.siteUrl) && response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  return { page, problems, close: () => context.close() };
}

async function consentIdOf(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'consentry_consent');
  return JSON.parse(decodeURIComponent(cookie!.value)).id as string;
}

/** Loads the front page and clicks a banner button; answers the consent beacon's answer and the time around the click. */
async function choose(page: Page, button: 'Accept all' | 'Reject all') {
  const heartbeat = page.waitForResponse((r) => HEARTBEAT_ROUTE.test(r.url()) && r.request().method() === 'POST');
  await page.goto('/', { waitUntil: 'load' });
  const banner = page.getByRole('dialog', { name: 'We value your privacy' });
  await expect(banner).toBeVisible();
  const beat = await heartbeat;
  const answer = page.waitForResponse((r) => CONSENT_ROUTE.test(r.url()) && r.request().method() === 'POST');
  const before = Date.now();
  await banner.getByRole('button', { name: button }).click();
  const response = await answer;
  const after = Date.now();
  await expect(banner).toBeHidden();
  return { status: response.status(), body: await response.json() as Record<string, unknown>, heartbeat: beat.status(), before, after, id: await consentIdOf(page) };
}

async function probe(siteUrl: string, name: string) {
  const response = await fetch(`${siteUrl}/?consentry_probe=${name}`, {
    headers: { cookie: 'playground_auto_login_already_happened=1' }, signal: AbortSignal.timeout(30_000),
  });
  expect(response.status).toBe(200);
  return response.json() as Promise<Record<string, unknown>>;
}

test('service down: the banner works from the cached config, choices are queued and recorded once each when it is back', async ({ browser, stack, wpAdmin }) => {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-offline-queue-'));
  const db = join(dir, 'queue.sqlite');
  const port = await freePort();
  let service = await startOwnService(db, port);
  const account = createServiceAccount(db, 'Offline queue');
  const visitors: Visitor[] = [];
  const events = async () => {
    const res = await fetch(`${service.url}/api/v1/sites/${siteId}/consent/events?limit=100`, { headers: { authorization: `Bearer ${account.secretKey}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: Array<Record<string, any>> }).data;
  };
  const queue = async () => {
    const res = await wpAdmin.rest(`${NS}/admin/queue`);
    expect(res.status).toBe(200);
    return res.body as { waiting: number; oldest: string | null; dropped: number; cap: number; nextFlush: string | null };
  };
  const flush = async () => {
    const res = await wpAdmin.rest(`${NS}/admin/queue/flush`, { method: 'POST', timeoutMs: 120_000 });
    expect(res.status).toBe(200);
    return res.body as { sent: number; dropped: number; waiting: number; stopped: string; nextFlush: string | null };
  };
  let siteId = '';
  try {
    const connected = await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: service.url, secretKey: account.secretKey }, timeoutMs: 60_000 });
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    siteId = connected.body.siteId;
    // Choices another spec left for its own (stopped) service are refused by this one and dropped.
    await flush();
    const { dropped } = await queue();
    expect(await queue()).toMatchObject({ waiting: 0, nextFlush: null, cap: 10_000 });

    await service.stop();
    // The five-minute copy is gone as if expired: the page must do with the last good one.
    expect(await probe(stack.siteUrl, 'forget-banner-config')).toMatchObject({ lastGood: true });

    // Visitor A accepts, visitor B rejects, while the service is down.
    const a = await visitor(browser, stack, '203.0.113.77');
    const b = await visitor(browser, stack, '2001:db8:abcd:12::1');
    visitors.push(a, b);
    const accepted = await choose(a.page, 'Accept all');
    expect(accepted).toMatchObject({ status: 202, body: { success: true, queued: true }, heartbeat: 202 });
    const rejected = await choose(b.page, 'Reject all');
    expect(rejected).toMatchObject({ status: 202, body: { success: true, queued: true }, heartbeat: 202 });
    // Nothing the visitors could see went wrong.
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
    const held = await queue();
    expect(held).toMatchObject({ waiting: 2, dropped });
    expect(held.nextFlush).not.toBeNull(); // the cron event runs every minute while choices wait
    const health = await wpAdmin.rest(`${NS}/site-health/queue`);
    expect(health.body).toMatchObject({ test: 'consentry_queue', status: 'good' }); // waiting less than 5 minutes

    // Validation comes before the queue: malformed choices are still 400 and never kept.
    const bad = [
      '{"consentId":"cid_bad_action_01","action":"nope","categories":{"analytics":true},"policyVersion":"1"}',
      '{"action":"accept_all","categories":{"analytics":true},"policyVersion":"1"}',
      '{"consentId":"cid_bad_proto_001","action":"accept_all","categories":{"__proto__":true},"policyVersion":"1"}',
      '{"consentId":"cid_bad_url_0001","action":"accept_all","categories":{},"policyVersion":"1","pageUrl":"javascript:alert(1)"}',
    ];
    for (const body of bad) {
      const res = await a.page.request.post(`/?rest_route=${NS}/consent`, { data: body, headers: { 'content-type': 'application/json' } });
      expect(res.status(), `${body}: ${await res.text()}`).toBe(400);
    }
    // Nor can a visitor date a choice (only the plugin, with its secret key, sends occurredAt).
    const dated = await a.page.request.post(`/?rest_route=${NS}/consent`, {
      data: { consentId: 'cid_backdated_01', action: 'accept_all', categories: { analytics: true }, policyVersion: '1', occurredAt: '2026-01-01T00:00:00.000Z' },
    });
    expect(dated.status()).toBe(202);
    expect((await queue()).waiting).toBe(3);

    // Back on the same port and file; one flush sends everything, oldest first, once.
    service = await startOwnService(db, port);
    const sent = await flush();
    expect(sent).toMatchObject({ sent: 3, dropped: 0, waiting: 0, stopped: 'empty', nextFlush: null });
    expect((await queue()).dropped).toBe(dropped);
    const recorded = await events();
    const ofA = recorded.filter((e) => e.consentId === accepted.id);
    const ofB = recorded.filter((e) => e.consentId === rejected.id);
    expect(ofA).toHaveLength(1);
    expect(ofB).toHaveLength(1);
    expect(ofA[0]).toMatchObject({ action: 'accept_all', categories: { necessary: true, analytics: true, marketing: true }, ipAnonymized: '203.0.113.0', test: false });
    expect(ofB[0]).toMatchObject({ action: 'reject_all', categories: { necessary: true, analytics: false, marketing: false }, ipAnonymized: '2001:db8:abcd::' });
    expect(String(ofA[0]!.userAgent)).toContain('Chrome');
    // The visitors' own times (WordPress's clock when the beacon arrived), not the time of the flush.
    for (const [event, choice] of [[ofA[0]!, accepted], [ofB[0]!, rejected]] as const) {
      const at = Date.parse(event.createdAt);
      expect(at).toBeGreaterThanOrEqual(choice.before - 2000);
      expect(at).toBeLessThanOrEqual(choice.after + 2000);
    }
    // The extra field the visitor sent was dropped, not honoured.
    const backdated = recorded.find((e) => e.consentId === 'cid_backdated_01')!;
    expect(Date.parse(backdated.createdAt)).toBeGreaterThan(Date.parse('2026-06-01T00:00:00.000Z'));

    // A second flush records nothing more.
    expect(await flush()).toMatchObject({ sent: 0, waiting: 0 });
    expect(await events()).toHaveLength(recorded.length);

    // Opportunistic flush: down again, C's choice waits; back, D's choice goes live and takes C's along.
    await service.stop();
    const c = await visitor(browser, stack, '198.51.100.23');
    visitors.push(c);
    const third = await choose(c.page, 'Accept all');
    expect(third).toMatchObject({ status: 202, body: { queued: true } });
    expect(c.problems).toEqual([]);
    service = await startOwnService(db, port);
    const d = await visitor(browser, stack, '198.51.100.24');
    visitors.push(d);
    const fourth = await choose(d.page, 'Reject all');
    expect(fourth.status).toBe(201);
    await expect.poll(async () => (await queue()).waiting).toBe(0);
    const after = await events();
    expect(after.filter((e) => e.consentId === third.id)).toHaveLength(1);
    expect(after.filter((e) => e.consentId === fourth.id)).toHaveLength(1);
    expect(after).toHaveLength(recorded.length + 2);
    expect((await queue()).nextFlush).toBeNull();

    // The cron path: down again, E's choice waits; back, the minute's WP-Cron run (made due now) sends it.
    await service.stop();
    const e = await visitor(browser, stack, '198.51.100.25');
    visitors.push(e);
    const fifth = await choose(e.page, 'Reject all');
    expect(fifth).toMatchObject({ status: 202, body: { queued: true } });
    service = await startOwnService(db, port);
    expect(await probe(stack.siteUrl, 'queue-cron-due')).toEqual({ due: true });
    const cron = await fetch(`${stack.siteUrl}/wp-cron.php`, { headers: { cookie: 'playground_auto_login_already_happened=1' }, signal: AbortSignal.timeout(120_000) });
    expect(cron.status).toBe(200);
    await expect.poll(async () => (await queue()).waiting).toBe(0);
    expect((await events()).filter((ev) => ev.consentId === fifth.id)).toHaveLength(1);
    expect((await queue()).nextFlush).toBeNull();

    // At the cap, with the service down, a further choice is not kept: the visitor route answers 503 as it would
    // without a queue, the drop is counted, Site Health is critical, and the choices already waiting stay.
    await service.stop();
    expect(await probe(stack.siteUrl, 'queue-fill')).toEqual({ waiting: 10_000 });
    const droppedBefore = (await queue()).dropped;
    const f = await visitor(browser, stack, '198.51.100.26');
    visitors.push(f);
    const refused = await choose(f.page, 'Accept all');
    expect(refused.status).toBe(503);
    expect(await queue()).toMatchObject({ waiting: 10_000, dropped: droppedBefore + 1 });
    expect((await wpAdmin.rest(`${NS}/site-health/queue`)).body).toMatchObject({ test: 'consentry_queue', status: 'critical' });
    expect(await probe(stack.siteUrl, 'queue-unfill')).toEqual({ waiting: 0 });
    service = await startOwnService(db, port);

    // Uninstalling removes the table and its option (the probe installs it again for the other specs).
    expect(await probe(stack.siteUrl, 'queue-uninstall')).toEqual({
      before: { table: true, option: true }, after: { table: false, option: false }, installed: { table: true, option: true },
    });
  } finally {
    for (const v of visitors) await v.close();
    await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: stack.pluginServiceUrl, secretKey: stack.secretKey }, timeoutMs: 60_000 });
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
