// The WordPress plugin on a real WordPress: who may call the admin routes,
// connecting, the service down or hanging, the visitor proxy, the banner boot
// in the page, the "Cookie settings" link, and server-side blocking.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSENT_CSV_COLUMNS } from '../../src/shared/consent.ts';
import { freePort } from '../../scripts/util.ts';
import {
  createServiceAccount, createUser, e2eState, expect, startOwnService, test, wordPressClient, type WordPressClient,
} from './fixtures.ts';

const NS = '/consentry/v1';

/** Every admin route of the plugin, with a body where it needs one. */
const ADMIN_ROUTES: Array<{ method: string; route: string; body?: unknown }> = [
  { method: 'GET', route: '/admin/connection' },
  { method: 'POST', route: '/admin/connection', body: { serviceUrl: 'http://127.0.0.1:9', secretKey: 'ck_abcdefghijklmnop' } },
  { method: 'POST', route: '/admin/connection/test', body: {} },
  { method: 'DELETE', route: '/admin/connection' },
  { method: 'GET', route: '/admin/site' },
  { method: 'PATCH', route: '/admin/site', body: { name: 'Taken over' } },
  { method: 'GET', route: '/admin/categories' },
  { method: 'POST', route: '/admin/categories', body: { key: 'intruder', nameEn: 'Intruder' } },
  { method: 'PATCH', route: '/admin/categories/cat_x', body: { nameEn: 'Changed' } },
  { method: 'DELETE', route: '/admin/categories/cat_x' },
  { method: 'PUT', route: '/admin/categories/reorder', body: { order: [{ id: 'cat_x', sortOrder: 1 }] } },
  { method: 'GET', route: '/admin/events' },
  { method: 'GET', route: '/admin/events/export' },
  { method: 'GET', route: '/admin/usage' },
];

/** The routes that reach the service once connected (for the outage test). */
const SERVICE_ROUTES = ADMIN_ROUTES.filter(({ route, method }) =>
  !route.startsWith('/admin/connection') && !(method === 'POST' && route === '/admin/categories'));

function expectCleanJson(body: unknown) {
  // A decoded object, not a PHP warning or an HTML error page.
  expect(typeof body).toBe('object');
  expect(JSON.stringify(body)).not.toMatch(/Warning:|Fatal error|Notice:|<b>|<html/i);
}

test.describe('admin routes', () => {
  test('a subscriber gets 403 from every admin route', async ({ wpAdmin, serviceApi, stack }) => {
    const { username, password } = await createUser(wpAdmin, 'subscriber');
    const subscriber = await wordPressClient().login(username, password);
    expect(subscriber.nonce).toBeTruthy();
    for (const { method, route, body } of ADMIN_ROUTES) {
      const result = await subscriber.rest(`${NS}${route}`, { method, body });
      expect.soft(result.status, `${method} ${route}`).toBe(403);
      expectCleanJson(result.body);
    }
    // Nothing changed: still connected to the same site, no category "intruder".
    const connection = await wpAdmin.rest(`${NS}/admin/connection`);
    expect(connection.body.connected).toBe(true);
    expect(connection.body.siteId).toBe(stack.siteId);
    const categories = await serviceApi<{ data: Array<{ key: string }> }>(`/sites/${stack.siteId}/categories`);
    expect(categories.body.data.map((c) => c.key)).not.toContain('intruder');
  });

  test('an admin request without the REST nonce gets 403', async ({ wpAdmin }) => {
    for (const { method, route, body } of ADMIN_ROUTES) {
      const result = await wpAdmin.rest(`${NS}${route}`, { method, body, nonce: false });
      expect.soft(result.status, `${method} ${route}`).toBe(403);
      expectCleanJson(result.body);
    }
    // A wrong nonce is refused as well.
    const saved = wpAdmin.nonce;
    wpAdmin.nonce = '0123456789';
    const forged = await wpAdmin.rest(`${NS}/admin/connection`);
    wpAdmin.nonce = saved;
    expect(forged.status).toBe(403);
    expect((await wpAdmin.rest(`${NS}/admin/connection`)).body.connected).toBe(true);
  });

  test('connecting through REST links the site in the service; the secret key never comes back', async ({ wpAdmin, stack, serviceApi }) => {
    const result = await wpAdmin.rest(`${NS}/admin/connection`, {
      method: 'POST', body: { serviceUrl: stack.pluginServiceUrl, secretKey: stack.secretKey },
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ connected: true, siteId: stack.siteId, publicKey: stack.publicKey });
    expect(result.body.secretKeyHint).toBe(`ck_…${stack.secretKey.slice(-4)}`);
    expect(JSON.stringify(result.body)).not.toContain(stack.secretKey);

    // The service has the site, for this WordPress host.
    const site = await serviceApi<{ site: { domain: string; publicKey: string; status: string } }>(`/sites/${stack.siteId}`);
    expect(site.status).toBe(200);
    expect(site.body.site.domain).toBe(new URL(stack.siteUrl).host);
    expect(site.body.site.publicKey).toBe(stack.publicKey);
    expect(site.body.site.status).toBe('active');

    // Connecting again finds the same site instead of creating another one.
    const sites = await serviceApi<{ data: Array<{ domain: string }> }>('/sites?limit=100&status=active');
    expect(sites.body.data.filter((s) => s.domain === new URL(stack.siteUrl).host)).toHaveLength(1);

    const tested = await wpAdmin.rest(`${NS}/admin/connection/test`, { method: 'POST', body: {} });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: true });
    expect(typeof tested.body.version).toBe('string');

    const wrongKey = await wpAdmin.rest(`${NS}/admin/connection/test`, { method: 'POST', body: { secretKey: 'ck_notARealKey0000000000' } });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body).toMatchObject({ code: 'consentry_service_error', data: { status: 401, serviceCode: 'AUTHENTICATION_ERROR' } });
  });

  test('the admin page mounts one root and gets boot data without the secret key', async ({ adminPage, stack, saveScreenshot }) => {
    const response = await adminPage.goto('/wp-admin/admin.php?page=consentry', { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    await expect(adminPage.locator('#consentry-admin')).toHaveCount(1);
    const html = await adminPage.content();
    expect(html).not.toContain(stack.secretKey);
    const boot = await adminPage.evaluate(() => (window as unknown as { consentryAdmin?: Record<string, any> }).consentryAdmin ?? null);
    if (boot) {
      expect(boot.restRoot).toBe('/consentry/v1');
      expect(boot.connection.connected).toBe(true);
      expect(boot.siteDomain).toBe(new URL(stack.siteUrl).host);
    }
    await saveScreenshot(adminPage, 'plugin-admin-page');
  });

  test('service validation errors reach the admin app with their fields', async ({ wpAdmin }) => {
    const invalid = await wpAdmin.rest(`${NS}/admin/site`, { method: 'PATCH', body: { config: { colors: { primary: 'blue' } } } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('consentry_service_error');
    expect(invalid.body.data.serviceCode).toBe('VALIDATION_ERROR');
    expect(JSON.stringify(invalid.body.data.details.fields)).toContain('primary');

    const required = await wpAdmin.rest<{ data: Array<{ id: string; isRequired: boolean }> }>(`${NS}/admin/categories`);
    const locked = required.body.data.find((c) => c.isRequired)!;
    const refused = await wpAdmin.rest(`${NS}/admin/categories/${locked.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(refused.body.data.serviceCode).toBe('CONFLICT_ERROR');
  });
});

test.describe('service outage', () => {
  test('service stopped or hanging: admin routes answer consentry_service_unavailable and nothing is lost', async ({ wpAdmin, page, stack }) => {
    test.setTimeout(180_000);
    // A service of this test's own, so the shared one keeps running for the other tests.
    const dir = mkdtempSync(join(tmpdir(), 'consentry-outage-'));
    const db = join(dir, 'outage.sqlite');
    const port = await freePort();
    let service = await startOwnService(db, port);
    const account = createServiceAccount(db, 'Outage test');
    try {
      const connected = await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: service.url, secretKey: account.secretKey } });
      expect(connected.status).toBe(200);
      const saved = await wpAdmin.rest(`${NS}/admin/site`, {
        method: 'PATCH', body: { config: { policyVersion: 'outage-1', texts: { en: { title: 'Kept through the outage' } } } },
      });
      expect(saved.status).toBe(200);

      // Stopped: every route that needs the service says so, as JSON.
      await service.stop();
      for (const { method, route, body } of SERVICE_ROUTES) {
        const result = await wpAdmin.rest(`${NS}${route}`, { method, body });
        expect.soft(result.status, `${method} ${route}`).toBe(503);
        expect.soft(result.body?.code, `${method} ${route}`).toBe('consentry_service_unavailable');
        expectCleanJson(result.body);
      }
      const edit = await wpAdmin.rest(`${NS}/admin/site`, { method: 'PATCH', body: { config: { policyVersion: 'outage-2' } } });
      expect(edit.status).toBe(503);
      expect(edit.body.message).toMatch(/not reachable/);
      const tested = await wpAdmin.rest(`${NS}/admin/connection/test`, { method: 'POST', body: {} });
      expect(tested.body.code).toBe('consentry_service_unavailable');

      // The plugin kept its link, and visitors still get the banner from the cached config.
      const connection = await wpAdmin.rest(`${NS}/admin/connection`);
      expect(connection.body.connected).toBe(true);
      await page.goto('/', { waitUntil: 'load' });
      const config = JSON.parse((await page.locator('#consentry-config').textContent()) ?? '{}');
      expect(config.config.texts.en.title).toBe('Kept through the outage');

      // Back on the same port and file: everything saved before is there, and the retry works.
      service = await startOwnService(db, port);
      const site = await wpAdmin.rest(`${NS}/admin/site`);
      expect(site.status).toBe(200);
      expect(site.body.site.config).toMatchObject({ policyVersion: 'outage-1', texts: { en: { title: 'Kept through the outage' } } });
      const retried = await wpAdmin.rest(`${NS}/admin/site`, { method: 'PATCH', body: { config: { ...site.body.site.config, policyVersion: 'outage-2' } } });
      expect(retried.status).toBe(200);
      expect(retried.body.site.config.policyVersion).toBe('outage-2');

      // Hanging (accepts the connection, never answers): the plugin gives up after its timeout.
      service.process.kill('SIGSTOP');
      try {
        const hung = await wpAdmin.rest(`${NS}/admin/categories`, { timeoutMs: 60_000 });
        expect(hung.status).toBe(503);
        expect(hung.body.code).toBe('consentry_service_unavailable');
      } finally {
        service.process.kill('SIGCONT');
      }
    } finally {
      const back = await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: stack.pluginServiceUrl, secretKey: stack.secretKey }, timeoutMs: 60_000 });
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
      expect(back.status).toBe(200);
      expect(back.body.siteId).toBe(stack.siteId);
    }
  });
});

test.describe('visitor routes', () => {
  test('POST /consent stores the event in the service with an anonymised IP and the visitor\'s browser', async ({ page, stack, serviceApi }) => {
    await page.goto('/', { waitUntil: 'load' });
    const consentId = `e2e${Date.now().toString(36)}plugin`;
    const userAgent = `ConsentryE2E/1.0 (${consentId})`;
    const response = await page.request.post(`${stack.siteUrl}/?rest_route=${NS}/consent`, {
      headers: { origin: stack.siteUrl, 'user-agent': userAgent, 'content-type': 'application/json' },
      data: {
        consentId, action: 'custom', categories: { analytics: true, marketing: false }, policyVersion: '1',
        language: 'en', pageUrl: `${stack.siteUrl}/`, gpc: true,
      },
    });
    expect(response.status()).toBe(201);
    expect(await response.json()).toMatchObject({ success: true });

    const events = await serviceApi<{ data: Array<Record<string, any>> }>(`/consent/events/${stack.siteId}?limit=100`);
    const event = events.body.data.find((e) => e.consentId === consentId);
    expect(event).toBeTruthy();
    expect(event!.action).toBe('custom');
    expect(event!.categories).toMatchObject({ analytics: true, marketing: false });
    expect(event!.gpc).toBe(true);
    expect(event!.userAgent).toBe(userAgent);
    // The host part is zeroed (IPv4 /24, IPv6 /48); never the raw loopback address.
    expect(event!.ipAnonymized).toMatch(/^(\d{1,3}\.\d{1,3}\.\d{1,3}\.0|[0-9a-f:]+::)$/i);
    expect(event!.ipAnonymized).not.toBe('127.0.0.1');
  });

  test('a beacon (text/plain JSON body) is accepted too; heartbeat counts the pageview', async ({ page, stack, serviceApi }) => {
    await page.goto('/', { waitUntil: 'load' });
    const consentId = `beacon${Date.now().toString(36)}`;
    const status = await page.evaluate(async ({ url, consentId }) => {
      const response = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ consentId, action: 'reject_all', categories: { analytics: false, marketing: false }, policyVersion: '1' }),
      });
      return response.status;
    }, { url: `${stack.siteUrl}/?rest_route=${NS}/consent`, consentId });
    expect(status).toBe(201);
    const events = await serviceApi<{ data: Array<{ consentId: string; action: string }> }>(`/consent/events/${stack.siteId}?limit=100`);
    expect(events.body.data.find((e) => e.consentId === consentId)?.action).toBe('reject_all');

    const before = await serviceApi<{ pageviews: number }>(`/sites/${stack.siteId}/usage?days=1`);
    const heartbeat = await page.request.post(`${stack.siteUrl}/?rest_route=${NS}/heartbeat`, {
      headers: { origin: stack.siteUrl },
      data: { session_id: `sess${Date.now().toString(36)}`, page_url: `${stack.siteUrl}/` },
    });
    expect(heartbeat.status()).toBe(200);
    expect(await heartbeat.json()).toMatchObject({ success: true });
    const after = await serviceApi<{ pageviews: number }>(`/sites/${stack.siteId}/usage?days=1`);
    expect(after.body.pageviews).toBe(before.body.pageviews + 1);
  });

  test('visitor routes refuse other origins (403), big bodies (413) and bad fields (400)', async ({ page, stack }) => {
    const url = `${stack.siteUrl}/?rest_route=${NS}/consent`;
    const valid = { consentId: 'guardtest123', action: 'accept_all', categories: { analytics: true }, policyVersion: '1' };
    const crossSite = await page.request.post(url, { headers: { origin: 'https://attacker.example' }, data: valid });
    expect(crossSite.status()).toBe(403);
    expect((await crossSite.json()).code).toBe('consentry_cross_origin');

    const big = await page.request.post(url, { headers: { origin: stack.siteUrl }, data: { ...valid, pageUrl: `${stack.siteUrl}/?${'x'.repeat(17 * 1024)}` } });
    expect(big.status()).toBe(413);

    const bad = await page.request.post(url, { headers: { origin: stack.siteUrl }, data: { ...valid, action: 'sell_everything', categories: { 'Bad Key': 'yes' } } });
    expect(bad.status()).toBe(400);
  });
});

test.describe('visitor rate limit', () => {
  test('an address over the limit gets 429 (consent: the setting per minute, heartbeat: twice that); another address still gets through', async ({ page, stack, wpAdmin }) => {
    test.setTimeout(180_000);
    const set = await wpAdmin.rest('/wp/v2/settings', { method: 'POST', body: { consentry_settings: { visitor_rate_limit: 2 } } });
    expect(set.status).toBe(200);
    expect(set.body.consentry_settings.visitor_rate_limit).toBe(2);
    try {
      // The limit is per address: this test's own addresses (the e2e probe's stand-in for a trusted proxy) keep other tests out of it.
      const address = '192.0.2.10';
      const heartbeat = (from: string, i: number) => page.request.post(`${stack.siteUrl}/?rest_route=${NS}/heartbeat`, {
        headers: { origin: stack.siteUrl, 'x-consentry-e2e-address': from },
        data: { session_id: `ratelimit${i}x${Date.now().toString(36)}`, page_url: `${stack.siteUrl}/` },
      });
      const consent = (from: string, i: number) => page.request.post(`${stack.siteUrl}/?rest_route=${NS}/consent`, {
        headers: { origin: stack.siteUrl, 'x-consentry-e2e-address': from },
        data: { consentId: `ratelimit${i}${Date.now().toString(36)}`, action: 'reject_all', categories: { analytics: false }, policyVersion: '1' },
      });
      const beats: number[] = [];
      for (let i = 0; i < 5; i++) beats.push((await heartbeat(address, i)).status());
      const choices: number[] = [];
      for (let i = 0; i < 3; i++) choices.push((await consent(address, i)).status());
      // A window lasts a minute from its first request; a slow machine may start a new one midway.
      expect(beats.slice(0, 4)).toEqual([200, 200, 200, 200]);
      expect(choices.slice(0, 2)).toEqual([201, 201]);
      const limited = await heartbeat(address, 99);
      if (beats[4] === 429) {
        expect(limited.status()).toBe(429);
        expect((await limited.json()).code).toBe('consentry_rate_limited');
      }
      expect(beats.includes(429) || choices.includes(429)).toBe(true);
      expect((await heartbeat('192.0.2.11', 100)).status()).toBe(200);
    } finally {
      const back = await wpAdmin.rest('/wp/v2/settings', { method: 'POST', body: { consentry_settings: { visitor_rate_limit: 60 } } });
      expect(back.body.consentry_settings.visitor_rate_limit).toBe(60);
    }
  });

  test('the settings option refuses a negative limit', async ({ wpAdmin }) => {
    const refused = await wpAdmin.rest('/wp/v2/settings', { method: 'POST', body: { consentry_settings: { visitor_rate_limit: -1 } } });
    expect(refused.status).toBe(400);
  });
});

test.describe('front end', () => {
  let admin: WordPressClient;
  let postUrl = '';

  test.beforeAll(async () => {
    admin = await wordPressClient().login();
    const content = [
      '<!-- wp:html -->',
      '<script async src="https://www.googletagmanager.com/gtag/js?id=G-E2ETEST1"></script>',
      "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'G-E2ETEST1');</script>",
      "<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});})(window,document,'script','dataLayer','GTM-E2E');</script>",
      "<script>!function(f,b,e,v){f.fbq=function(){};}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js'); fbq('init','123');</script>",
      '<script src="https://www.clarity.ms/tag/abc"></script>',
      '<script type="text/plain" data-category="analytics" id="already-blocked">gtag("event","x");</script>',
      '<script type="application/ld+json" id="json-ld">{"url":"https://www.google-analytics.com/"}</script>',
      '<script id="harmless">window.__harmless = true;</script>',
      '<iframe id="yt" width="560" height="315" src="https://www.youtube-nocookie.com/embed/e2e" title="Video"></iframe>',
      '<iframe id="vimeo" src="https://player.vimeo.com/video/1" title="Vimeo"></iframe>',
      '<!-- /wp:html -->',
      '<!-- wp:shortcode -->[consentry_settings]<!-- /wp:shortcode -->',
      '<!-- wp:consentry/settings-link /-->',
    ].join('\n');
    const created = await admin.rest<{ link: string; id: number }>('/wp/v2/posts', { method: 'POST', body: { title: 'Trackers for Consentry', status: 'publish', content } });
    expect(created.status).toBe(201);
    postUrl = `${e2eState().siteUrl}/?p=${created.body.id}`;
  });

  test('every page carries the banner boot in <head>, the same for every visitor', async ({ page, stack }) => {
    const first = await page.request.get(`${stack.siteUrl}/`);
    const html = await first.text();
    const head = html.slice(0, html.indexOf('</head>'));
    const configTag = head.indexOf('id="consentry-config"');
    const headTag = head.indexOf('id="consentry-head"');
    const bannerTag = head.indexOf('id="consentry-banner-js"');
    expect(configTag).toBeGreaterThan(-1);
    expect(headTag).toBeGreaterThan(configTag);
    expect(bannerTag).toBeGreaterThan(headTag);
    // The banner bundle never blocks rendering.
    expect(head).toMatch(/<script[^>]+id="consentry-banner-js"[^>]*\bdefer\b/);
    // Before any other script of the page.
    expect(head.slice(0, head.lastIndexOf('<script', configTag))).not.toMatch(/<script\b/);

    const config = JSON.parse(/<script id="consentry-config" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '{}');
    expect(config.publicKey).toBe(stack.publicKey);
    expect(config.siteId).toBe(stack.siteId);
    expect(Array.isArray(config.categories)).toBe(true);
    expect(config.endpoints.consent).toContain('consentry/v1/consent');
    expect(config.endpoints.heartbeat).toContain('consentry/v1/heartbeat');
    expect(html).not.toContain(stack.secretKey);

    // Another visitor (a fresh cookie-less request) gets the very same Consentry markup.
    const again = await (await fetch(`${stack.siteUrl}/`, { headers: { cookie: 'playground_auto_login_already_happened=1' } })).text();
    const ours = (doc: string) => doc.match(/<script[^>]*consentry[^>]*>[\s\S]*?<\/script>/g)?.join('\n');
    expect(ours(again)).toBe(ours(html));
  });

  test('server-side blocking rewrites tracker tags into their blocked form and leaves the rest alone', async ({ page, saveScreenshot }) => {
    const html = await (await page.request.get(postUrl)).text();
    const tag = (pattern: RegExp) => html.match(pattern)?.[0] ?? '';

    const gtagJs = tag(/<script[^>]*googletagmanager\.com\/gtag\/js[^>]*>/);
    expect(gtagJs).toMatch(/type="text\/plain"/);
    expect(gtagJs).toMatch(/data-category="analytics"/);
    expect(gtagJs).toContain('src="https://www.googletagmanager.com/gtag/js?id=G-E2ETEST1"');

    const inlineGtag = tag(/<script[^>]*>[^<]*gtag\('config', 'G-E2ETEST1'\)/);
    expect(inlineGtag).toMatch(/type="text\/plain"/);
    expect(inlineGtag).toMatch(/data-category="analytics"/);

    expect(tag(/<script[^>]*>[^<]*gtm\.start/)).toMatch(/data-category="analytics"/);
    expect(tag(/<script[^>]*>[^<]*fbq\(/)).toMatch(/type="text\/plain"[^>]*data-category="marketing"|data-category="marketing"[^>]*type="text\/plain"/);
    expect(tag(/<script[^>]*clarity\.ms[^>]*>/)).toMatch(/data-category="analytics"/);

    const youtube = tag(/<iframe[^>]*id="yt"[^>]*>/);
    expect(youtube).toContain('data-src="https://www.youtube-nocookie.com/embed/e2e"');
    expect(youtube).not.toMatch(/\ssrc=/);
    expect(youtube).toMatch(/data-category="marketing"/);
    expect(tag(/<iframe[^>]*id="vimeo"[^>]*>/)).toContain('data-src="https://player.vimeo.com/video/1"');

    // Left alone: already blocked, not JavaScript, unrelated, and Consentry's own tags.
    expect(tag(/<script[^>]*id="already-blocked"[^>]*>/)).not.toContain('data-consentry-blocked');
    expect(tag(/<script[^>]*id="json-ld"[^>]*>/)).toBe('<script type="application/ld+json" id="json-ld">');
    expect(tag(/<script[^>]*id="harmless"[^>]*>/)).toBe('<script id="harmless">');
    expect(tag(/<script[^>]*id="consentry-head"[^>]*>/)).not.toContain('text/plain');

    // In the browser, nothing blocked has run and the video is not loaded.
    await page.goto(postUrl, { waitUntil: 'load' });
    expect(await page.evaluate(() => typeof (window as any).fbq)).toBe('undefined');
    expect(await page.evaluate(() => (window as any).__harmless)).toBe(true);
    expect(await page.locator('#yt').getAttribute('src')).toBeNull();
    await saveScreenshot(page, 'plugin-blocked-trackers-post');
  });

  test('server-side blocking can be turned off in the consentry_settings option', async ({ page, wpAdmin }) => {
    const off = await wpAdmin.rest('/wp/v2/settings', { method: 'POST', body: { consentry_settings: { server_blocking: false } } });
    expect(off.status).toBe(200);
    expect(off.body.consentry_settings).toMatchObject({ server_blocking: false, direct_to_service: false });
    try {
      const html = await (await page.request.get(postUrl)).text();
      expect(html).not.toContain('data-consentry-blocked');
      expect(html).toMatch(/<script async src="https:\/\/www\.googletagmanager\.com\/gtag\/js\?id=G-E2ETEST1"><\/script>/);
    } finally {
      const on = await wpAdmin.rest('/wp/v2/settings', { method: 'POST', body: { consentry_settings: { server_blocking: true } } });
      expect(on.body.consentry_settings.server_blocking).toBe(true);
    }
    expect(await (await page.request.get(postUrl)).text()).toContain('data-consentry-blocked');
  });

  test('the shortcode and the block render the "Cookie settings" button', async ({ page }) => {
    const html = await (await page.request.get(postUrl)).text();
    const buttons = html.match(/<button[^>]*data-consentry-open[^>]*>[^<]*<\/button>/g) ?? [];
    expect(buttons).toHaveLength(2);
    for (const button of buttons) {
      expect(button).toContain('type="button"');
      expect(button).toMatch(/class="[^"]*consentry-settings-link/);
      expect(button).toContain('>Cookie settings</button>');
    }
    expect(buttons[1]).toContain('wp-block-consentry-settings-link');
  });

  test('the "Cookie settings" block is available in the block editor', async ({ adminPage, saveScreenshot }) => {
    test.setTimeout(180_000);
    await adminPage.goto('/wp-admin/post-new.php', { waitUntil: 'load', timeout: 120_000 });
    await adminPage.waitForFunction(() => (window as any).wp?.blocks?.getBlockType?.('core/paragraph'), null, { timeout: 120_000 });
    const type = await adminPage.evaluate(() => {
      const block = (window as any).wp.blocks.getBlockType('consentry/settings-link');
      return block ? { title: block.title, attributes: Object.keys(block.attributes) } : null;
    });
    expect(type?.title).toBe('Cookie settings');
    expect(type?.attributes).toContain('label');
    await adminPage.evaluate(() => {
      const { wp } = window as any;
      wp.data.dispatch('core/block-editor').insertBlocks(wp.blocks.createBlock('consentry/settings-link'));
    });
    const canvas = adminPage.frameLocator('iframe[name="editor-canvas"]');
    await expect(canvas.locator('button.consentry-settings-link')).toHaveText('Cookie settings');
    await saveScreenshot(adminPage, 'plugin-settings-link-block-editor');
  });

  test('the consent log exports the service\'s CSV: every event, its columns, formulas neutralised', async ({ wpAdmin, stack, serviceApi }) => {
    test.setTimeout(120_000);
    const marker = `csv${Date.now().toString(36)}`;
    for (let i = 0; i < 105; i++) {
      const created = await serviceApi(`/consent/events`, {
        method: 'POST',
        body: { siteId: stack.siteId, consentId: `${marker}n${i}`, action: 'accept_all', categories: { analytics: true, marketing: true }, policyVersion: '1' },
        headers: i === 0 ? { 'user-agent': '=HYPERLINK("https://attacker.example")' } : {},
      });
      expect(created.status).toBe(201);
    }
    const total = (await serviceApi<{ pagination: { total: number } }>(`/sites/${stack.siteId}/consent/events?limit=1`)).body.pagination.total;
    const response = await wpAdmin.request(`/?rest_route=${encodeURIComponent(`${NS}/admin/events/export`).replace(/%2F/g, '/')}`, {
      headers: { 'x-wp-nonce': wpAdmin.nonce! }, redirect: false,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const csv = await response.text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(CONSENT_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(total + 1);
    expect(lines.filter((line) => line.includes(marker))).toHaveLength(105);
    const formula = lines.find((line) => line.endsWith(`,${marker}n0`))!;
    expect(formula).toContain('"\'=HYPERLINK(');
    expect(formula).not.toMatch(/,"?=HYPERLINK/);

    const filtered = await wpAdmin.rest(`${NS}/admin/events?limit=5&action=accept_all`);
    expect(filtered.status).toBe(200);
    expect(filtered.body.data).toHaveLength(5);
    expect(filtered.body.data.every((e: { action: string }) => e.action === 'accept_all')).toBe(true);
  });
});
