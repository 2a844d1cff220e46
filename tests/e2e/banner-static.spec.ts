/**
 * The banner on a page served from a static copy of its HTML (the
 * full-page-cache case): boot config and head.js inlined, banner.js deferred,
 * blocked markup and run-time injected trackers, from a tiny node:http server.
 * Needs `node scripts/build/build.ts banner` first (the spec builds when missing).
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/env/chromium.ts';
import { BANNER_LAYOUTS, BANNER_POSITIONS } from '../../src/shared/enums.ts';
import { BUILT_IN_TEXTS, type BuiltInLanguage } from '../../src/shared/texts.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const HOST = 'www.consentry.test';

// A real host name with a parent domain (for the parent-domain cookie checks), resolved to loopback.
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`] } });

interface Hit { path: string; body: Record<string, unknown> | null }

const category = (key: string, extra: Record<string, unknown> = {}) => ({
  key, nameEn: key[0]!.toUpperCase() + key.slice(1), descriptionEn: `What ${key} cookies do.`, translations: { tr: { name: `${key} (tr)` } },
  isRequired: key === 'necessary', isDefault: key === 'necessary', sortOrder: 0, cookies: [], blockPatterns: [],
  wpConsentCategory: key === 'necessary' ? 'functional' : key === 'analytics' ? 'statistics' : 'marketing', ...extra,
});

function bootConfig(config: Record<string, unknown> = {}) {
  return {
    siteId: 'site_static', publicKey: 'pk_static_test',
    config: { policyVersion: '1', consentLifetimeDays: 182, ...config },
    categories: [
      category('necessary'),
      category('analytics', { sortOrder: 1, cookies: ['_ga', '_ga_*'], blockPatterns: ['/t/custom-pixel'] }),
      category('marketing', { sortOrder: 2, cookies: ['_fbp'] }),
    ],
    endpoints: { consent: '/wp-json/consentry/v1/consent', heartbeat: '/wp-json/consentry/v1/heartbeat' },
  };
}

const TRACKERS: Record<string, string> = {
  '/t/analytics.js': "window.__analyticsLib = true; window.__ran.push('analytics-src');",
  '/t/connect.facebook.net/en_US/fbevents.js': "window.__ran.push('fb');",
  '/t/www.google-analytics.com/analytics.js': "window.__ran.push('ga');",
  '/t/custom-pixel.js': "window.__ran.push('pixel');",
  '/t/static.hotjar.com/c/hotjar-1.js': "window.__ran.push('hotjar');",
  '/t/www.clarity.ms/tag/abc.js': "window.__ran.push('clarity');",
};

/** The config as the plugin prints it: with the built-in texts of the page's language (the bundle holds English only). */
function printed(config: object, lang: string) {
  const l = lang.toLowerCase().split('-')[0]!;
  return l !== 'en' && Object.hasOwn(BUILT_IN_TEXTS, l) ? { ...config, builtInTexts: { [l]: BUILT_IN_TEXTS[l as BuiltInLanguage] } } : config;
}

let server: Server;
let origin = '';
let hits: Hit[] = [];
let pageConfig = bootConfig();
let pageLang = 'en';

test.beforeAll(async () => {
  if (!existsSync(`${root}plugin/build/banner/banner.js`)) execFileSync(process.execPath, ['scripts/build/build.ts', 'banner'], { cwd: root, stdio: 'inherit' });
  const template = readFileSync(`${root}tests/e2e/fixtures/banner/page.html`, 'utf8');
  server = createServer((req, res) => {
    const path = (req.url || '/').split('?')[0]!;
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: Record<string, unknown> | null = null;
      try { body = raw ? JSON.parse(raw) : null; } catch { body = null; }
      hits.push({ path, body });
      const send = (status: number, type: string, text: string) => { res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' }); res.end(text); };
      if (path === '/') {
        const head = readFileSync(`${root}plugin/build/banner/head.js`, 'utf8');
        const html = template.replace('{{LANG}}', pageLang)
          .replace('{{CONFIG}}', () => JSON.stringify(printed(pageConfig, pageLang)).replace(/</g, '\\u003c'))
          .replace('{{HEAD}}', () => head);
        return send(200, 'text/html; charset=utf-8', html);
      }
      if (path === '/banner.js') return send(200, 'text/javascript', readFileSync(`${root}plugin/build/banner/banner.js`, 'utf8'));
      if (TRACKERS[path]) return send(200, 'text/javascript', TRACKERS[path]!);
      if (path.startsWith('/t/')) return send(200, 'text/html', '<!doctype html><title>frame</title><p>frame</p>');
      if (path.startsWith('/wp-json/consentry/v1/')) return send(201, 'application/json', '{"success":true}');
      send(404, 'text/plain', 'not found');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://${HOST}:${(server.address() as AddressInfo).port}`;
});

test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

test.beforeEach(() => {
  hits = [];
  pageConfig = bootConfig();
  pageLang = 'en';
});

const ran = (page: Page) => page.evaluate(() => (window as unknown as { __ran: string[] }).__ran.slice());
const consentCalls = (page: Page) => page.evaluate(() => (window as unknown as { dataLayer: IArguments[] }).dataLayer
  .map((a) => Array.from(a)).filter((a) => a[0] === 'consent'));
const posts = (path: string) => hits.filter((h) => h.path === `/wp-json/consentry/v1/${path}`).map((h) => h.body!);
const requested = (path: string) => hits.some((h) => h.path === path);
const bannerDialog = (page: Page) => page.getByRole('dialog', { name: 'We value your privacy' });
const centre = (page: Page) => page.getByRole('dialog', { name: 'Cookie settings' });

async function open(page: Page) {
  await page.goto(origin + '/');
  await page.waitForFunction(() => document.getElementById('consentry') !== null || document.readyState === 'complete');
}

test('first visit: banner shown, nothing blocked has run, Consent Mode default denied before any tag', async ({ page }) => {
  await open(page);
  await expect(bannerDialog(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Accept all' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reject all' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Customize' })).toBeVisible();
  await page.waitForLoadState('load');
  expect(await ran(page)).toEqual([]);
  // Run-time injected scripts and the injected iframe were parked, not requested.
  for (const p of ['/t/analytics.js', '/t/www.google-analytics.com/analytics.js', '/t/custom-pixel.js', '/t/static.hotjar.com/c/hotjar-1.js', '/t/www.clarity.ms/tag/abc.js', '/t/frame.html', '/t/youtube.com/embed/abc']) {
    expect(requested(p), p).toBe(false);
  }
  const calls = await consentCalls(page);
  expect(calls).toHaveLength(1);
  expect(calls[0]![1]).toBe('default');
  expect(calls[0]![2]).toMatchObject({ ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied',
    functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'denied', wait_for_update: 500 });
  expect(await page.evaluate(() => window.wp_consent_type)).toBe('optin');
  await expect.poll(() => posts('heartbeat').length).toBe(1);
  expect(posts('heartbeat')[0]).toMatchObject({ api_key: 'pk_static_test', page_url: origin + '/' });
  expect(String(posts('heartbeat')[0]!.session_id)).toMatch(/^[a-f0-9]{32}$/);
});

test('Accept all runs every blocked script once, in order, and survives a reload', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect(bannerDialog(page)).toBeHidden();
  await page.waitForFunction(() => (window as unknown as { __ran: string[] }).__ran.length >= 9);
  const order = await ran(page);
  expect(order.slice().sort()).toEqual(['analytics-inline:boolean', 'analytics-src', 'clarity', 'fb', 'ga', 'ga-onload', 'hotjar', 'marketing-inline', 'pixel'].sort());
  // Document order: the external analytics file before the inline script that uses it.
  expect(order.indexOf('analytics-src')).toBeLessThan(order.indexOf('analytics-inline:boolean'));
  await expect(page.locator('iframe[title="Video"]')).toHaveAttribute('src', '/t/frame.html');
  const calls = await consentCalls(page);
  expect(calls.at(-1)![1]).toBe('update');
  expect(calls.at(-1)![2]).toMatchObject({ analytics_storage: 'granted', ad_storage: 'granted', security_storage: 'granted' });
  await expect.poll(() => posts('consent').length).toBe(1);
  const event = posts('consent')[0]!;
  expect(event).toMatchObject({ api_key: 'pk_static_test', action: 'accept_all', policyVersion: '1', language: 'en', gpc: false,
    categories: { necessary: true, analytics: true, marketing: true }, pageUrl: origin + '/' });
  const cookies = await page.context().cookies();
  const stored = JSON.parse(decodeURIComponent(cookies.find((c) => c.name === 'consentry_consent')!.value));
  expect(stored).toMatchObject({ id: event.consentId, v: '1', c: { necessary: 1, analytics: 1, marketing: 1 } });
  expect(cookies.find((c) => c.name === 'wp_consent_statistics')?.value).toBe('allow');
  // The public API on window.Consentry agrees.
  const api = await page.evaluate(() => {
    const C = (window as unknown as { Consentry: { acceptedCategory: (k: string) => boolean; getConsent: () => { consentId: string } | null } }).Consentry;
    return { analytics: C.acceptedCategory('analytics'), unknown: C.acceptedCategory('nope'), id: C.getConsent()?.consentId };
  });
  expect(api).toEqual({ analytics: true, unknown: false, id: event.consentId });
  expect(cookies.find((c) => c.name === 'wp_consent_marketing')?.value).toBe('allow');

  // Blocked markup added later runs at once when its category is granted.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.type = 'text/plain';
    s.dataset.category = 'analytics';
    s.textContent = "window.__ran.push('late-inline')";
    document.body.append(s);
  });
  await page.waitForFunction(() => (window as unknown as { __ran: string[] }).__ran.includes('late-inline'));

  await page.reload();
  await page.waitForFunction(() => (window as unknown as { __ran: string[] }).__ran.length >= 9);
  await expect(bannerDialog(page)).toHaveCount(0);
  expect((await ran(page)).filter((r) => r === 'analytics-src')).toHaveLength(1);
  await expect(page.getByRole('button', { name: 'Cookie settings' })).toBeVisible();
  // A returning visitor's stored choice reaches Consent Mode in head.js, right after the default.
  const again = await consentCalls(page);
  expect(again.map((c) => c[1])).toEqual(['default', 'update']);
  expect(again[1]![2]).toMatchObject({ analytics_storage: 'granted' });
  expect(posts('consent')).toHaveLength(1);
});

test('Reject all never runs a blocked script, also after a reload', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Reject all' }).click();
  await expect(bannerDialog(page)).toBeHidden();
  await expect.poll(() => posts('consent').length).toBe(1);
  expect(posts('consent')[0]).toMatchObject({ action: 'reject_all', categories: { necessary: true, analytics: false, marketing: false } });
  expect((await consentCalls(page)).at(-1)![2]).toMatchObject({ analytics_storage: 'denied', ad_storage: 'denied', security_storage: 'granted' });
  await page.reload();
  await page.waitForLoadState('load');
  await expect(bannerDialog(page)).toHaveCount(0);
  expect(await ran(page)).toEqual([]);
  expect(requested('/t/analytics.js')).toBe(false);
});

test('Customize runs only the chosen category', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Customize' }).click();
  const dialog = centre(page);
  await expect(dialog).toBeVisible();
  const necessary = dialog.getByRole('switch', { name: 'Necessary' });
  await expect(necessary).toBeChecked();
  await expect(necessary).toBeDisabled();
  await expect(dialog.getByRole('switch', { name: 'Analytics' })).not.toBeChecked();
  await expect(dialog.getByRole('switch', { name: 'Marketing' })).not.toBeChecked();
  await dialog.getByRole('switch', { name: 'Analytics' }).check();
  await dialog.getByRole('button', { name: 'Save choices' }).click();
  await expect(dialog).toBeHidden();
  await expect(bannerDialog(page)).toBeHidden();
  await page.waitForFunction(() => (window as unknown as { __ran: string[] }).__ran.length >= 7);
  await page.waitForTimeout(300);
  expect((await ran(page)).sort()).toEqual(['analytics-inline:boolean', 'analytics-src', 'clarity', 'ga', 'ga-onload', 'hotjar', 'pixel'].sort());
  await expect(page.locator('iframe[title="Video"]')).not.toHaveAttribute('src', /.*/);
  await expect.poll(() => posts('consent').length).toBe(1);
  expect(posts('consent')[0]).toMatchObject({ action: 'custom', categories: { necessary: true, analytics: true, marketing: false } });
});

test('withdrawing in the preference centre records withdraw and deletes the category cookies on parent domains', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => posts('consent').length).toBe(1);
  // What an analytics script leaves behind: host cookie and parent-domain cookies.
  await page.evaluate(() => {
    document.cookie = '_ga=GA1.1.1;path=/';
    document.cookie = '_ga_ABC123=GS1.1;path=/;domain=.consentry.test';
    document.cookie = 'keep_me=1;path=/';
  });
  expect((await page.context().cookies()).map((c) => c.name)).toEqual(expect.arrayContaining(['_ga', '_ga_ABC123', 'keep_me']));
  const events: unknown[] = [];
  await page.exposeFunction('__onChange', (d: unknown) => events.push(d));
  await page.evaluate(() => addEventListener('consentry:change', (e) => (window as unknown as { __onChange: (d: unknown) => void }).__onChange((e as CustomEvent).detail)));
  // The callback API gets the same change.
  await page.evaluate(() => {
    const w = window as unknown as { __cb: unknown[]; Consentry: { on: (n: string, cb: (d: unknown) => void) => () => void } };
    w.__cb = [];
    w.Consentry.on('change', (d) => w.__cb.push(d));
  });
  await page.getByRole('button', { name: 'Cookie settings' }).last().click();
  const dialog = centre(page);
  await expect(dialog.getByRole('switch', { name: 'Analytics' })).toBeChecked();
  await dialog.getByRole('switch', { name: 'Analytics' }).uncheck();
  await dialog.getByRole('button', { name: 'Save choices' }).click();
  await expect.poll(() => posts('consent').length).toBe(2);
  expect(posts('consent')[1]).toMatchObject({ action: 'withdraw', categories: { analytics: false, marketing: true } });
  expect(posts('consent')[1]!.consentId).toBe(posts('consent')[0]!.consentId);
  const names = (await page.context().cookies()).map((c) => c.name);
  expect(names).not.toContain('_ga');
  expect(names).not.toContain('_ga_ABC123');
  expect(names).toContain('keep_me');
  await expect.poll(() => events.length).toBe(1);
  expect(events[0]).toMatchObject({ action: 'withdraw', changed: ['analytics'] });
  expect(await page.evaluate(() => (window as unknown as { __cb: unknown[] }).__cb)).toEqual([events[0]]);
  expect((await consentCalls(page)).at(-1)![2]).toMatchObject({ analytics_storage: 'denied', ad_storage: 'granted' });
});

test('a policy version bump asks again', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Accept all' }).click();
  await page.reload();
  await expect(bannerDialog(page)).toHaveCount(0);
  pageConfig = bootConfig({ policyVersion: '2' });
  await page.reload();
  await expect(bannerDialog(page)).toBeVisible();
  await page.waitForLoadState('load');
  expect(await ran(page)).toEqual([]);
});

test('the consent lifetime runs out: a choice older than it asks again', async ({ page, context }) => {
  pageConfig = bootConfig({ consentLifetimeDays: 30 });
  const old = { id: 'f'.repeat(32), v: '1', t: Math.floor(Date.now() / 1000) - 31 * 86400, c: { necessary: 1, analytics: 1, marketing: 1 } };
  await context.addCookies([{ name: 'consentry_consent', value: encodeURIComponent(JSON.stringify(old)), url: origin }]);
  await open(page);
  await expect(bannerDialog(page)).toBeVisible();
  await page.waitForLoadState('load');
  expect(await ran(page)).toEqual([]);
  // Still within the lifetime: no banner, the stored choice applies.
  await context.addCookies([{ name: 'consentry_consent', value: encodeURIComponent(JSON.stringify({ ...old, t: old.t + 2 * 86400 })), url: origin }]);
  await page.reload();
  await page.waitForFunction(() => (window as unknown as { __ran: string[] }).__ran.includes('analytics-src'));
  await expect(bannerDialog(page)).toHaveCount(0);
});

test('an admin cookie domain shares the choice across subdomains', async ({ page }) => {
  pageConfig = bootConfig({ cookieDomain: '.consentry.test' });
  await open(page);
  await page.getByRole('button', { name: 'Reject all' }).click();
  const cookie = (await page.context().cookies()).find((c) => c.name === 'consentry_consent')!;
  expect(cookie.domain).toBe('.consentry.test');
  expect(cookie.sameSite).toBe('Lax');
  expect(cookie.path).toBe('/');
});

test('Global Privacy Control keeps marketing denied on Accept all unless turned on in the centre', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  await open(page);
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => posts('consent').length).toBe(1);
  expect(posts('consent')[0]).toMatchObject({ action: 'accept_all', gpc: true, categories: { analytics: true, marketing: false } });
  expect((await consentCalls(page)).at(-1)![2]).toMatchObject({ analytics_storage: 'granted', ad_storage: 'denied' });
  await page.getByRole('button', { name: 'Cookie settings' }).last().click();
  await centre(page).getByRole('switch', { name: 'Marketing' }).check();
  await centre(page).getByRole('button', { name: 'Save choices' }).click();
  await expect.poll(() => posts('consent').length).toBe(2);
  expect(posts('consent')[1]).toMatchObject({ action: 'accept_all', gpc: true, categories: { marketing: true } });
  // Switched on in the open centre, then Accept all: kept.
  await page.context().clearCookies();
  await page.reload();
  await page.getByRole('button', { name: 'Customize' }).click();
  await centre(page).getByRole('switch', { name: 'Marketing' }).check();
  await centre(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => posts('consent').length).toBe(3);
  expect(posts('consent')[2]).toMatchObject({ action: 'accept_all', gpc: true, categories: { analytics: true, marketing: true } });
});

test('preference centre: modal dialog, focus trapped and returned, Escape closes, opener links work', async ({ page }) => {
  await open(page);
  const customize = page.getByRole('button', { name: 'Customize' });
  await customize.focus();
  await page.keyboard.press('Enter');
  const dialog = centre(page);
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  const inside = () => page.evaluate(() => !!document.activeElement?.closest('.cy-pc'));
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    expect(await inside()).toBe(true);
  }
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await inside()).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(customize).toBeFocused();
  // After a choice by keyboard, focus lands on the settings button, not the top of the page.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Accept all' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Cookie settings' }).last()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Cookie settings' }).last()).toBeFocused();
  await page.getByRole('link', { name: 'Cookie settings' }).click();
  await expect(dialog).toBeVisible();
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('Turkish page gets Turkish texts; a right-to-left language is laid out right to left', async ({ page }) => {
  pageLang = 'tr-TR';
  await open(page);
  await expect(page.getByRole('button', { name: 'Tümünü kabul et' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Tümünü reddet' })).toBeVisible();
  await page.getByRole('button', { name: 'Özelleştir' }).click();
  await expect(page.getByRole('switch', { name: 'analytics (tr)' })).toBeVisible();
  pageLang = 'ar';
  pageConfig = bootConfig({ texts: { ar: { title: 'نحن نقدر خصوصيتك', acceptAll: 'قبول الكل' } } });
  await page.context().clearCookies();
  await open(page);
  await expect(page.locator('#consentry')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('button', { name: 'قبول الكل' })).toBeVisible();
});

test('every layout and position fits its content inside the viewport (a box at the top does not stretch down)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const layout of BANNER_LAYOUTS) {
    for (const position of BANNER_POSITIONS) {
      pageConfig = bootConfig({ layout, position });
      await page.context().clearCookies();
      await open(page);
      const box = await bannerDialog(page).boundingBox();
      expect(box, `${layout}/${position}`).not.toBeNull();
      const where = `${layout}/${position}: ${JSON.stringify(box)}`;
      expect(box!.y, where).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height, where).toBeLessThanOrEqual(800);
      expect(box!.height, where).toBeLessThan(400); // as tall as its content, never stretched between top and bottom
      const anchored = layout !== 'modal' && position !== 'center'; // a modal and the centre position stand in the middle
      if (anchored && position === 'top') expect(box!.y, where).toBeLessThan(20);
      if (anchored && position.startsWith('bottom')) expect(box!.y + box!.height, where).toBeGreaterThan(780);
    }
  }
});

test('axe-core finds no violations in the banner and the preference centre', async ({ page }) => {
  await open(page);
  await expect(bannerDialog(page)).toBeVisible();
  await page.addScriptTag({ path: `${root}node_modules/axe-core/axe.min.js` });
  const scan = () => page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
    const r = await axe.run({ include: [['#consentry']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
  expect(await scan()).toEqual([]);
  await page.getByRole('button', { name: 'Customize' }).click();
  await expect(centre(page)).toBeVisible();
  expect(await scan()).toEqual([]);
});

test('readable at 320 px wide and 200 % zoom: every control reachable', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await open(page);
  for (const name of ['Accept all', 'Reject all', 'Customize']) {
    const box = await page.getByRole('button', { name }).boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(320);
  }
  // 200 % zoom of a 1280x800 window is a 640x400 CSS viewport.
  await page.setViewportSize({ width: 640, height: 400 });
  await page.getByRole('button', { name: 'Customize' }).click();
  const save = centre(page).getByRole('button', { name: 'Save choices' });
  await save.scrollIntoViewIfNeeded();
  await expect(save).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(640);
});

test('measure: layout shift from the banner and long tasks on click (reported, not asserted)', async ({ page }, info) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __cls: number; __long: number[] };
    w.__cls = 0;
    w.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) if (!e.hadRecentInput) w.__cls += e.value; }).observe({ type: 'layout-shift', buffered: true });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  });
  await open(page);
  await expect(bannerDialog(page)).toBeVisible();
  await page.waitForLoadState('load');
  const before = await page.evaluate(() => ({ cls: (window as unknown as { __cls: number }).__cls, long: (window as unknown as { __long: number[] }).__long.length }));
  const clickMs = await page.evaluate(() => new Promise<number>((resolve) => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Accept all')!;
    const t0 = performance.now();
    b.click();
    requestAnimationFrame(() => resolve(performance.now() - t0));
  }));
  await page.waitForTimeout(200);
  const after = await page.evaluate(() => ({ cls: (window as unknown as { __cls: number }).__cls, long: (window as unknown as { __long: number[] }).__long.slice() }));
  const report = { clsOnLoad: before.cls, clsAfterAccept: after.cls, longTasksOnLoad: before.long, longTasksAfterClick: after.long.slice(before.long), clickToNextFrameMs: Math.round(clickMs * 10) / 10 };
  info.annotations.push({ type: 'measure', description: JSON.stringify(report) });
  console.log('banner measure', JSON.stringify(report));
});
