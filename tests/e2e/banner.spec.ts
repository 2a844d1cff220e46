/**
 * The banner on the real WordPress (plugin active and connected to the real
 * service), in Chromium: blocking, choices, Consent Mode, WP Consent API
 * cookies and what `wp_has_consent()` answers server side, GPC, policy bump, consent events and pageviews in the service,
 * axe-core, and layout shift / long tasks (reported, not asserted).
 */
import type { Page } from '@playwright/test';
import { callService, e2eState, expect, test, wordPressClient } from './fixtures.ts';

test.describe.configure({ mode: 'serial' });

const CONTENT = `<!-- wp:html -->
<script type="text/plain" data-category="analytics">window.__runs = window.__runs || {}; window.__runs.analytics = (window.__runs.analytics || 0) + 1;</script>
<script type="text/plain" data-category="marketing">window.__runs = window.__runs || {}; window.__runs.marketing = (window.__runs.marketing || 0) + 1;</script>
<p><a href="#" data-consentry-open>Open cookie settings</a></p>
<script>
(function () {
  // A tag manager injecting a pixel at run time: a real core file whose URL matches the built-in Meta entry.
  // The host is split so that the plugin's server-side filter does not block this inline script itself.
  var s = document.createElement('script');
  s.src = '/wp-includes/js/underscore.min.js?probe=connect.' + 'facebook.net';
  s.onload = function () { window.__runs = window.__runs || {}; window.__runs.injected = (window.__runs.injected || 0) + 1; };
  document.body.appendChild(s);
})();
</script>
<!-- /wp:html -->`;

let pagePath = '/';

test.beforeAll(async () => {
  const admin = await wordPressClient().login();
  const created = await admin.rest<{ link: string }>('/wp/v2/pages', { method: 'POST', body: { title: 'Consentry banner test', status: 'publish', content: CONTENT } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const link = new URL(created.body.link);
  pagePath = link.pathname + link.search;
});

type Runs = { analytics?: number; marketing?: number; injected?: number };
const runs = (page: Page) => page.evaluate(() => ({ ...((window as unknown as { __runs?: Runs }).__runs || {}) }));
const consentCalls = (page: Page) => page.evaluate(() => ((window as unknown as { dataLayer?: IArguments[] }).dataLayer || [])
  .map((a) => Array.from(a)).filter((a) => a[0] === 'consent'));
const banner = (page: Page) => page.getByRole('dialog', { name: 'We value your privacy' });
const centre = (page: Page) => page.getByRole('dialog', { name: 'Cookie settings' });

async function visit(page: Page) {
  await page.goto(pagePath, { waitUntil: 'load' });
}

/** What the WP Consent API answers in PHP for a category, by category. */
type ConsentApi = {
  api: 'standin' | 'wordpress.org';
  type: string | false;
  registered: boolean;
  functional: boolean;
  preferences: boolean;
  statistics: boolean;
  'statistics-anonymous': boolean;
  marketing: boolean;
};

/**
 * Asks WordPress, with the page's cookies (page.request shares the browser
 * context's cookie jar), what `wp_get_consent_type()`, `consent_api_registered()`
 * and `wp_has_consent()` say: the probe of tests/e2e/wp/mu-plugins/consent-api-standin.php
 * (the WP Consent API's PHP contract when the wordpress.org plugin is absent).
 */
async function consentApi(page: Page): Promise<ConsentApi> {
  const response = await page.request.get('/?consentry_probe=consent-api', { headers: { accept: 'application/json' } });
  const text = await response.text();
  expect(response.status(), `the consent API probe (is the test mu-plugin installed?): ${text.slice(0, 300)}`).toBe(200);
  expect(response.headers()['content-type'], text.slice(0, 300)).toContain('application/json');
  return JSON.parse(text) as ConsentApi;
}

/** `wp_has_consent()` for every optional category matches the `wp_consent_*` cookie the banner left. */
async function expectApiMatchesCookies(page: Page, api: ConsentApi) {
  const cookies = Object.fromEntries((await page.context().cookies()).map((c) => [c.name, c.value]));
  for (const category of ['preferences', 'statistics', 'statistics-anonymous', 'marketing'] as const) {
    expect(api[category], `wp_has_consent('${category}') with cookie ${cookies[`wp_consent_${category}`]}`).toBe(cookies[`wp_consent_${category}`] === 'allow');
  }
}

async function consentId(page: Page): Promise<string> {
  const c = (await page.context().cookies()).find((x) => x.name === 'consentry_consent');
  return JSON.parse(decodeURIComponent(c!.value)).id as string;
}

/** The consent events the service holds for a consent id. */
async function events(id: string) {
  const r = await callService<{ data: Array<Record<string, unknown>> }>(`/consent/events/${e2eState().siteId}?limit=100`);
  expect(r.status).toBe(200);
  return r.body.data.filter((e) => e.consentId === id);
}

test('first visit: the banner shows, the blocked analytics script has not run, Consent Mode default comes first', async ({ page }) => {
  const probes: string[] = [];
  page.on('request', (r) => { if (r.url().includes('probe=connect.facebook.net')) probes.push(r.url()); });
  await visit(page);
  await expect(banner(page)).toBeVisible();
  expect(await runs(page)).toEqual({});
  // The script injected at run time was parked before it could even be requested.
  expect(probes).toEqual([]);
  await expect(page.locator('script[src*="probe=connect.facebook.net"]')).toHaveAttribute('type', 'text/plain');
  // The config and head.js are the first scripts; nothing executable runs before head.js.
  const order = await page.evaluate(() => [...document.scripts].map((s) => s.id || s.type || s.src.split('?')[0]));
  const headAt = order.indexOf('consentry-head');
  expect(headAt).toBeGreaterThan(-1);
  const before = await page.evaluate((n) => [...document.scripts].slice(0, n)
    .filter((s) => !['application/json', 'importmap', 'speculationrules', 'text/plain'].includes(s.type)).map((s) => s.outerHTML.slice(0, 80)), headAt);
  expect(before).toEqual([]);
  const calls = await consentCalls(page);
  expect(calls).toHaveLength(1);
  expect(calls[0]!.slice(0, 2)).toEqual(['consent', 'default']);
  expect(Object.values(calls[0]![2] as object).filter((v) => v === 'denied')).toHaveLength(7);
  expect(await page.evaluate(() => (window as unknown as { wp_consent_type?: string }).wp_consent_type)).toBe('optin');
  // Server side, before any choice: opt-in declared, nothing optional granted.
  expect(await consentApi(page)).toMatchObject({
    type: 'optin', registered: true,
    functional: true, preferences: false, statistics: false, 'statistics-anonymous': false, marketing: false,
  });
});

test('Accept all runs the analytics script once; the choice survives a reload and reaches the service', async ({ page }) => {
  await visit(page);
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect(banner(page)).toBeHidden();
  await expect.poll(() => runs(page)).toEqual({ analytics: 1, marketing: 1, injected: 1 });
  const update = (await consentCalls(page)).at(-1)!;
  expect(update[1]).toBe('update');
  expect(update[2]).toMatchObject({ analytics_storage: 'granted', ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' });
  // What wp_has_consent() reads.
  const cookies = Object.fromEntries((await page.context().cookies()).map((c) => [c.name, c.value]));
  expect(cookies).toMatchObject({ wp_consent_statistics: 'allow', wp_consent_marketing: 'allow', wp_consent_functional: 'allow' });
  // And wp_has_consent() agrees in PHP. This site has no category mapped to
  // `preferences` (necessary, analytics, marketing), so it stays denied.
  const api = await consentApi(page);
  expect(api).toMatchObject({
    type: 'optin', registered: true,
    functional: true, preferences: false, statistics: true, 'statistics-anonymous': true, marketing: true,
  });
  await expectApiMatchesCookies(page, api);

  await page.reload({ waitUntil: 'load' });
  await expect(banner(page)).toHaveCount(0);
  await expect.poll(() => runs(page)).toEqual({ analytics: 1, marketing: 1, injected: 1 });
  expect((await consentCalls(page)).map((c) => c[1])).toEqual(['default', 'update']);

  const id = await consentId(page);
  await expect.poll(async () => (await events(id)).length).toBe(1);
  const [event] = await events(id);
  expect(event).toMatchObject({ action: 'accept_all', policyVersion: '1', gpc: false, categories: { necessary: true, analytics: true, marketing: true } });
  expect(String(event!.pageUrl)).toContain(new URL(e2eState().siteUrl).host);
});

test('Reject all never runs it', async ({ page }) => {
  await visit(page);
  await page.getByRole('button', { name: 'Reject all' }).click();
  await expect(banner(page)).toBeHidden();
  await page.reload({ waitUntil: 'load' });
  await expect(banner(page)).toHaveCount(0);
  expect(await runs(page)).toEqual({});
  const cookies = Object.fromEntries((await page.context().cookies()).map((c) => [c.name, c.value]));
  expect(cookies).toMatchObject({ wp_consent_statistics: 'deny', wp_consent_marketing: 'deny' });
  const api = await consentApi(page);
  expect(api).toMatchObject({
    type: 'optin', registered: true,
    functional: true, preferences: false, statistics: false, 'statistics-anonymous': false, marketing: false,
  });
  await expectApiMatchesCookies(page, api);
  const id = await consentId(page);
  await expect.poll(async () => (await events(id)).map((e) => e.action)).toEqual(['reject_all']);
});

test('Customize runs only the chosen category, and withdrawing is recorded', async ({ page }) => {
  await visit(page);
  await page.getByRole('button', { name: 'Customize' }).click();
  await expect(centre(page).getByRole('switch', { name: 'Marketing' })).not.toBeChecked();
  await centre(page).getByRole('switch', { name: 'Analytics' }).check();
  await centre(page).getByRole('button', { name: 'Save choices' }).click();
  await expect.poll(() => runs(page)).toEqual({ analytics: 1 });
  const id = await consentId(page);
  await expect.poll(async () => (await events(id)).length).toBe(1);
  expect((await events(id))[0]).toMatchObject({ action: 'custom', categories: { analytics: true, marketing: false } });
  // Only the chosen category: analytics is the site's `statistics` category.
  const cookies = Object.fromEntries((await page.context().cookies()).map((c) => [c.name, c.value]));
  expect(cookies).toMatchObject({ wp_consent_statistics: 'allow', wp_consent_marketing: 'deny' });
  const chosen = await consentApi(page);
  expect(chosen).toMatchObject({
    type: 'optin', registered: true,
    functional: true, preferences: false, statistics: true, 'statistics-anonymous': true, marketing: false,
  });
  await expectApiMatchesCookies(page, chosen);

  await page.getByRole('link', { name: 'Open cookie settings' }).click();
  await centre(page).getByRole('switch', { name: 'Analytics' }).uncheck();
  await centre(page).getByRole('button', { name: 'Save choices' }).click();
  await expect.poll(async () => (await events(id)).map((e) => e.action).sort()).toEqual(['custom', 'withdraw']);
  await page.reload({ waitUntil: 'load' });
  expect(await runs(page)).toEqual({});
  // Withdrawn: wp_has_consent() denies statistics again.
  const withdrawn = await consentApi(page);
  expect(withdrawn).toMatchObject({ statistics: false, 'statistics-anonymous': false, marketing: false });
  await expectApiMatchesCookies(page, withdrawn);
});

test('Global Privacy Control: Accept all leaves marketing denied and the event records it', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  await visit(page);
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => runs(page)).toEqual({ analytics: 1 });
  expect((await consentCalls(page)).at(-1)![2]).toMatchObject({ analytics_storage: 'granted', ad_storage: 'denied' });
  const id = await consentId(page);
  await expect.poll(async () => (await events(id)).length).toBe(1);
  expect((await events(id))[0]).toMatchObject({ action: 'accept_all', gpc: true, categories: { analytics: true, marketing: false } });
});

test('each page load sends one heartbeat: pageviews counted in the service', async ({ page }) => {
  const usage = async () => (await callService<{ pageviews: number }>(`/sites/${e2eState().siteId}/usage?days=1`)).body.pageviews;
  const start = await usage();
  await visit(page);
  await expect.poll(usage).toBeGreaterThan(start);
});

test('axe-core: no violations in the banner and the preference centre', async ({ page, saveScreenshot }) => {
  await visit(page);
  await expect(banner(page)).toBeVisible();
  await saveScreenshot(page, 'banner-first-layer');
  await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  const scan = () => page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
    const r = await axe.run({ include: [['#consentry']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
  expect(await scan()).toEqual([]);
  await page.getByRole('button', { name: 'Customize' }).click();
  await expect(centre(page)).toBeVisible();
  expect(await scan()).toEqual([]);
  await saveScreenshot(page, 'banner-preference-centre');
});

test('measure on WordPress: CLS from the banner and long tasks on Accept (reported, not asserted)', async ({ page }, info) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __cls: number; __bannerCls: number; __long: number[] };
    w.__cls = 0;
    w.__bannerCls = 0;
    w.__long = [];
    type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources: Array<{ node?: Node }> };
    new PerformanceObserver((l) => {
      for (const e of l.getEntries() as Shift[]) {
        if (e.hadRecentInput) continue;
        w.__cls += e.value;
        (w as unknown as { __nodes: string[] }).__nodes = [...((w as unknown as { __nodes?: string[] }).__nodes || []),
          ...e.sources.map((s) => (s.node instanceof Element ? s.node.tagName.toLowerCase() + (s.node.id ? '#' + s.node.id : '') + '.' + String(s.node.className).split(' ')[0] : String(s.node?.nodeName)))];
        // A shift is the banner's when one of the moved nodes is inside it.
        if (e.sources.some((s) => s.node instanceof Element && s.node.closest('#consentry'))) w.__bannerCls += e.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__long.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: true });
  });
  await visit(page);
  await expect(banner(page)).toBeVisible();
  const read = () => page.evaluate(() => {
    const w = window as unknown as { __cls: number; __bannerCls: number; __long: number[] };
    return { cls: w.__cls, bannerCls: w.__bannerCls, long: w.__long.slice(), nodes: (w as unknown as { __nodes?: string[] }).__nodes || [] };
  });
  const before = await read();
  const clickToFrameMs = await page.evaluate(() => new Promise<number>((resolve) => {
    const b = [...document.querySelectorAll('#consentry button')].find((x) => x.textContent === 'Accept all') as HTMLButtonElement;
    const t0 = performance.now();
    b.click();
    requestAnimationFrame(() => resolve(Math.round((performance.now() - t0) * 10) / 10));
  }));
  await page.waitForTimeout(300);
  const after = await read();
  const report = { pageClsOnLoad: before.cls, bannerClsOnLoad: before.bannerCls, pageClsAfterAccept: after.cls, bannerClsAfterAccept: after.bannerCls, longTasksOnLoadMs: before.long, longTasksAfterClickMs: after.long.slice(before.long.length), clickToNextFrameMs: clickToFrameMs, shiftedNodes: after.nodes };
  // Control: the same page for a returning visitor (no banner shown): the theme's own shifts.
  await page.reload({ waitUntil: 'load' });
  await expect(banner(page)).toHaveCount(0);
  await page.waitForTimeout(300);
  const control = await read();
  Object.assign(report, { pageClsWithoutBanner: control.cls, longTasksOnLoadWithoutBannerMs: control.long });
  info.annotations.push({ type: 'measure', description: JSON.stringify(report) });
  console.log('banner measure (WordPress)', JSON.stringify(report));
});

test('a policy version bump asks every visitor again', async ({ page }) => {
  await visit(page);
  await page.getByRole('button', { name: 'Reject all' }).click();
  await page.reload({ waitUntil: 'load' });
  await expect(banner(page)).toHaveCount(0);
  const admin = await wordPressClient().login();
  const site = await admin.rest<{ site: { config: Record<string, unknown> } }>('/consentry/v1/admin/site');
  expect(site.status).toBe(200);
  const config = site.body.site.config;
  const next = String(Number(config.policyVersion ?? '1') + 1);
  // PATCH through the plugin: the service stores it and the plugin refreshes its cached banner config.
  const patched = await admin.rest('/consentry/v1/admin/site', { method: 'PATCH', body: { config: { ...config, policyVersion: next } } });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  await page.reload({ waitUntil: 'load' });
  await expect(banner(page)).toBeVisible();
  await page.getByRole('button', { name: 'Accept all' }).click();
  const id = await consentId(page);
  await expect.poll(async () => (await events(id)).map((e) => e.policyVersion)).toContain(next);
});

test('a Turkish page prints the Turkish built-in texts (the bundle holds English only) and shows them; an English page prints none', async ({ page }) => {
  const printed = () => page.evaluate(() => JSON.parse(document.getElementById('consentry-config')!.textContent!) as { builtInTexts?: Record<string, unknown> });
  await visit(page);
  expect((await printed()).builtInTexts).toBeUndefined();
  await expect(page.getByRole('button', { name: 'Accept all' })).toBeVisible();
  // The test mu-plugin's locale header: the page in Turkish, <html lang> included.
  await page.setExtraHTTPHeaders({ 'X-Consentry-E2E-Locale': 'tr_TR' });
  await visit(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'tr-TR');
  expect(Object.keys((await printed()).builtInTexts ?? {})).toEqual(['tr']);
  await expect(page.getByRole('button', { name: 'Tümünü kabul et' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Çerez ayarları' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Özelleştir' }).click();
  await expect(page.getByRole('dialog', { name: 'Çerez ayarları' })).toBeVisible();
});
