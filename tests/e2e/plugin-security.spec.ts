// The plugin's side of the security review (issue 10): the visitor rate limit
// per address in one bounded option, the stored secret key only for the stored
// URL, generic errors to visitors and to the connection test, category keys
// JavaScript objects inherit, uninstall on networks of any size, and
// server-side blocking that reads whole start tags.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/util.ts';
import { createServiceAccount, expect, startOwnService, test } from './fixtures.ts';

const NS = '/consentry/v1';

/** The e2e probes mu-plugin (tests/e2e/wp/mu-plugins/consentry-e2e-probes.php). */
async function probe<T = any>(siteUrl: string, name: string): Promise<T> {
  const response = await fetch(`${siteUrl}/?consentry_probe=${name}`, {
    headers: { cookie: 'playground_auto_login_already_happened=1' }, signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  expect(response.status, text.slice(0, 500)).toBe(200);
  return JSON.parse(text) as T;
}

/** A loopback HTTP listener that records each request's path and Authorization header. */
async function recordingListener(answer: (request: IncomingMessage) => { status: number; body: unknown }) {
  const seen: Array<{ path: string; authorization: string | undefined }> = [];
  const server: Server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
    const { status, body } = answer(request);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test.describe('visitor rate limit', () => {
  test('one address is limited whatever browser string it sends, and the windows stay in one bounded option', async ({ page, stack, wpAdmin }) => {
    test.setTimeout(300_000);
    const set = await wpAdmin.rest('/wp/v2/settings', { method: 'POST', body: { consentry_settings: { visitor_rate_limit: 1 } } });
    expect(set.status).toBe(200);
    try {
      const heartbeat = (address: string, userAgent: string, i: number) => page.request.post(`${stack.siteUrl}/?rest_route=${NS}/heartbeat`, {
        headers: { origin: stack.siteUrl, 'user-agent': userAgent, 'x-consentry-e2e-address': address },
        data: { session_id: `perip${i}x${Date.now().toString(36)}`, page_url: `${stack.siteUrl}/` },
        timeout: 60_000,
      });
      const before = await probe<{ rows: number; consentryRows: number }>(stack.siteUrl, 'options');

      // Heartbeats: twice the setting, 2 per window. A new browser string each time changes nothing.
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await heartbeat('198.51.100.7', `RotatingAgent/${i}`, i)).status());
      // A window runs a minute from its first request: a slow machine may see a second one, never three.
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses).toContain(429);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4);

      // Several addresses, one request each: still no new rows.
      const others: number[] = [];
      for (let i = 1; i <= 6; i++) others.push((await heartbeat(`203.0.113.${i}`, 'OneEach/1.0', 100 + i)).status());
      expect(others).toEqual(Array(6).fill(200));

      const after = await probe<{ rows: number; consentryRows: number; rateWindows: { autoload: string; size: number } | null }>(stack.siteUrl, 'options');
      // One row of ours at most (the windows' own, created by this test or an earlier one); WordPress
      // itself may add one or two meanwhile (cron's lock). A row or two per request would be 11 to 22 here.
      expect(after.consentryRows - before.consentryRows).toBeLessThanOrEqual(1);
      expect(after.rows - before.rows).toBeLessThanOrEqual(3);
      expect(after.rateWindows).not.toBeNull();
      expect(['off', 'no']).toContain(after.rateWindows!.autoload);
      // 256 windows at most, about 40 bytes each.
      expect(after.rateWindows!.size).toBeLessThan(12_000);
    } finally {
      const back = await wpAdmin.rest('/wp/v2/settings', { method: 'POST', body: { consentry_settings: { visitor_rate_limit: 60 } } });
      expect(back.body.consentry_settings.visitor_rate_limit).toBe(60);
    }
  });
});

test.describe('connection test', () => {
  test('the stored secret key goes only to the stored URL; a key sent with another URL goes there', async ({ wpAdmin, stack }) => {
    const listener = await recordingListener((request) => request.url?.endsWith('/api/v1/health')
      ? { status: 200, body: { status: 'ok', version: '9.9.9' } }
      : { status: 200, body: { data: [], pagination: { total: 0 } } });
    try {
      const elsewhere = await wpAdmin.rest(`${NS}/admin/connection/test`, { method: 'POST', body: { serviceUrl: listener.url } });
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.body).toMatchObject({ ok: true, version: '9.9.9' });
      expect(listener.seen.length).toBeGreaterThan(0);
      expect(listener.seen.map((r) => r.authorization ?? '').join(' ')).not.toContain(stack.secretKey);
      expect(listener.seen.every((r) => r.authorization === undefined)).toBe(true);

      const given = 'ck_givenWithTheRequest12345';
      listener.seen.length = 0;
      const withKey = await wpAdmin.rest(`${NS}/admin/connection/test`, { method: 'POST', body: { serviceUrl: listener.url, secretKey: given } });
      expect(withKey.status).toBe(200);
      expect(listener.seen.map((r) => r.authorization)).toContain(`Bearer ${given}`);

      // The stored URL (written differently) still gets the stored key: the service accepts it.
      const stored = await wpAdmin.rest(`${NS}/admin/connection/test`, { method: 'POST', body: { serviceUrl: `${stack.pluginServiceUrl}/` } });
      expect(stored.status).toBe(200);
      expect(stored.body.ok).toBe(true);
    } finally {
      await listener.close();
    }
    // The link itself is untouched.
    expect((await wpAdmin.rest(`${NS}/admin/connection`)).body).toMatchObject({ connected: true, siteId: stack.siteId });
  });

  test('errors say "could not connect" or the HTTP status, never an address or what the host answered', async ({ wpAdmin }) => {
    const closedPort = await freePort();
    const refused = await wpAdmin.rest(`${NS}/admin/connection/test`, { method: 'POST', body: { serviceUrl: `http://127.0.0.1:${closedPort}` } });
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('consentry_service_unavailable');
    expect(refused.body.message).toBe('Could not connect to the service.');
    expect(refused.body.data.details).toBeUndefined();
    expect(JSON.stringify(refused.body)).not.toContain(String(closedPort));
    expect(JSON.stringify(refused.body)).not.toContain('127.0.0.1');

    const leaky = await recordingListener(() => ({
      status: 500,
      body: { success: false, error: { code: 'INTERNAL_ERROR', message: 'database 10.9.8.7:5432 refused', details: { host: 'db.internal' } } },
    }));
    try {
      const answered = await wpAdmin.rest(`${NS}/admin/connection/test`, { method: 'POST', body: { serviceUrl: leaky.url } });
      expect(answered.status).toBe(500);
      expect(answered.body.message).toBe('The service URL answered HTTP 500.');
      expect(answered.body.data).toEqual({ status: 500, serviceCode: 'INTERNAL_ERROR' });
      expect(JSON.stringify(answered.body)).not.toMatch(/10\.9\.8\.7|db\.internal|127\.0\.0\.1/);
    } finally {
      await leaky.close();
    }
  });
});

test.describe('visitor errors', () => {
  test('a visitor sees nothing of a service that is down (choice queued, pageview dropped: 202); the details go to the PHP error log', async ({ page, wpAdmin, stack }) => {
    test.setTimeout(180_000);
    const dir = mkdtempSync(join(tmpdir(), 'consentry-visitor-errors-'));
    const db = join(dir, 'own.sqlite');
    const port = await freePort();
    const service = await startOwnService(db, port);
    const account = createServiceAccount(db, 'Visitor errors');
    try {
      const connected = await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: service.url, secretKey: account.secretKey } });
      expect(connected.status).toBe(200);
      await service.stop();

      const consent = await page.request.post(`${stack.siteUrl}/?rest_route=${NS}/consent`, {
        headers: { origin: stack.siteUrl, 'x-consentry-e2e-address': '198.51.100.20' },
        data: { consentId: `down${Date.now().toString(36)}`, action: 'accept_all', categories: { analytics: true }, policyVersion: '1' },
      });
      // Kept by the plugin until the service is back (tests/e2e/offline-queue.spec.ts follows it there).
      expect(consent.status()).toBe(202);
      const body = await consent.json();
      expect(body).toEqual({ success: true, queued: true });
      expect(JSON.stringify(body)).not.toContain(String(port));
      expect(JSON.stringify(body)).not.toContain('127.0.0.1');

      const heartbeat = await page.request.post(`${stack.siteUrl}/?rest_route=${NS}/heartbeat`, {
        headers: { origin: stack.siteUrl, 'x-consentry-e2e-address': '198.51.100.20' },
        data: { session_id: `down${Date.now().toString(36)}`, page_url: `${stack.siteUrl}/` },
      });
      expect(heartbeat.status()).toBe(202);
      expect(await heartbeat.json()).toEqual({ success: true, counted: false });

      // The server log has what the visitor did not get.
      const log = join(stack.dir, 'wordpress', 'wp-content', 'debug.log');
      await expect.poll(() => (existsSync(log) ? readFileSync(log, 'utf8') : ''), { timeout: 10_000 })
        .toMatch(new RegExp(`Consentry: POST http://127\\.0\\.0\\.1:${port}/api/v1/consent/log: .+`));
    } finally {
      const back = await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: stack.pluginServiceUrl, secretKey: stack.secretKey }, timeoutMs: 60_000 });
      // The queued choice belongs to the stopped service's site: the stack's service refuses it, so it is dropped (and logged).
      const flushed = await wpAdmin.rest(`${NS}/admin/queue/flush`, { method: 'POST', timeoutMs: 60_000 });
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
      expect(flushed.body).toMatchObject({ waiting: 0 });
      expect(back.status).toBe(200);
      expect(back.body.siteId).toBe(stack.siteId);
    }
  });
});

test.describe('category keys', () => {
  const inherited = ['__proto__', 'constructor', 'prototype'];

  test('the admin route refuses keys JavaScript objects inherit, and nothing reaches the service', async ({ wpAdmin, stack, serviceApi }) => {
    const statuses: number[] = [];
    try {
      for (const key of inherited) {
        const created = await wpAdmin.request(`/?rest_route=${NS}/admin/categories`, {
          method: 'POST',
          headers: { 'x-wp-nonce': wpAdmin.nonce!, 'content-type': 'application/json' },
          // Written as text: an object literal's "__proto__" would set the prototype, not a key.
          body: `{"key":${JSON.stringify(key)},"nameEn":"Inherited"}`,
        });
        statuses.push(created.status);
        expect.soft([400, 422], key).toContain(created.status);
      }
      // Longer keys that only contain these words stay valid.
      const fine = await wpAdmin.rest(`${NS}/admin/categories`, { method: 'POST', body: { key: 'prototype_tests', nameEn: 'Prototype tests' } });
      expect(fine.status).toBe(201);
      await wpAdmin.rest(`${NS}/admin/categories/${fine.body.category?.id ?? fine.body.id}`, { method: 'DELETE' });
    } finally {
      const listed = await serviceApi<{ data: Array<{ id: string; key: string }> }>(`/sites/${stack.siteId}/categories`);
      const leaked = listed.body.data.filter((c) => inherited.includes(c.key));
      for (const category of leaked) await serviceApi(`/sites/${stack.siteId}/categories/${category.id}`, { method: 'DELETE' });
      expect(leaked.map((c) => c.key)).toEqual([]);
    }
    expect(statuses.every((s) => s === 400 || s === 422)).toBe(true);
  });

  test('a visitor\'s consent with such a key is refused', async ({ page, stack }) => {
    for (const key of inherited) {
      const response = await page.request.post(`${stack.siteUrl}/?rest_route=${NS}/consent`, {
        headers: { origin: stack.siteUrl, 'content-type': 'application/json', 'x-consentry-e2e-address': '198.51.100.30' },
        data: `{"consentId":"inherited${key.replace(/_/g, '')}1","action":"custom","categories":{${JSON.stringify(key)}:true,"analytics":false},"policyVersion":"1"}`,
      });
      expect.soft(response.status(), key).toBe(400);
    }
  });
});

test.describe('uninstall', () => {
  test('walks every site of a network, not the first 100 (250 sites through the sites_pre_query filter)', async ({ stack }) => {
    const result = await probe<{ visited: number[]; total: number; blogAfter: number }>(stack.siteUrl, 'uninstall-network');
    expect(result.total).toBe(250);
    expect(result.visited).toEqual(Array.from({ length: 250 }, (_, i) => 1001 + i));
    expect(result.blogAfter).toBe(1);
  });
});

test.describe('server-side blocking', () => {
  test('a ">" or "</script>" inside a quoted attribute does not let a tracker through', async ({ page, stack }) => {
    // The first page of a run can take long on Playground (the theme warms up).
    const html = await (await page.request.get(`${stack.siteUrl}/?consentry_probe=blocking-page`, { timeout: 90_000 })).text();
    // Read the page as a browser parses it, without running it.
    const tags = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'text/html');
      const read = (id: string) => {
        const element = doc.getElementById(id);
        return element && {
          src: element.getAttribute('src'),
          dataSrc: element.getAttribute('data-src'),
          type: element.getAttribute('type'),
          category: element.getAttribute('data-category'),
          title: element.getAttribute('title'),
          text: element.textContent,
        };
      };
      return Object.fromEntries(['gt-title', 'gt-single', 'gt-slashes', 'gt-script', 'gt-harmless'].map((id) => [id, read(id)]));
    }, html);

    expect(tags['gt-title']).toMatchObject({ src: null, dataSrc: 'https://www.youtube-nocookie.com/embed/e2e-gt', category: 'marketing', title: 'Clips > Trailers' });
    expect(tags['gt-single']).toMatchObject({ src: null, dataSrc: 'https://player.vimeo.com/video/7', category: 'marketing' });
    expect(tags['gt-slashes']).toMatchObject({ src: null, dataSrc: 'https://www.youtube.com/embed/e2e-slashes', category: 'marketing', title: 'x > y' });
    expect(tags['gt-script']).toMatchObject({ type: 'text/plain', category: 'analytics', src: 'https://www.googletagmanager.com/gtag/js?id=G-E2EQUOTED' });
    expect(tags['gt-harmless']).toMatchObject({ type: null, category: null, text: 'window.__consentryHarmless = true;' });
    expect(html).toContain('<script id="gt-harmless" data-note="a > b">window.__consentryHarmless = true;</script>');
  });
});
