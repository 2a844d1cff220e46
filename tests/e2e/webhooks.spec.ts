// The Webhooks screen of the admin app on the real WordPress, against the real
// service: who may call the plugin's webhook routes, and, from the UI, an
// endpoint pointing at a real receiver (node:http on 127.0.0.1 in this file;
// the e2e stack's service runs with CONSENTRY_WEBHOOK_ALLOW_PRIVATE=1) that
// gets a signed delivery for a consent recorded through the service's visitor
// endpoint; the delivery log, redeliver, enable/disable, edit, rotate, delete.
// The screen is screenshotted at desktop width and at 320 px.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { repoRoot } from '../../scripts/util.ts';
import { expect as baseExpect, callService, createUser, test, wordPressClient } from './fixtures.ts';

// Each admin request goes browser -> WordPress (PHP in WebAssembly) -> service; waits bound, never measure.
const expect = baseExpect.configure({ timeout: 60_000 });
test.describe.configure({ timeout: 300_000 });
test.use({ actionTimeout: 60_000 });

const NS = '/consentry/v1';
const ADMIN = '/wp-admin/admin.php?page=consentry';

/** Every webhook route of the plugin, with a body where it needs one. */
const WEBHOOK_ROUTES: Array<{ method: string; route: string; body?: unknown }> = [
  { method: 'GET', route: '/admin/webhooks' },
  { method: 'POST', route: '/admin/webhooks', body: { url: 'https://intruder.example/hook', events: ['consent.given'] } },
  { method: 'PATCH', route: '/admin/webhooks/wh_x', body: { enabled: false } },
  { method: 'DELETE', route: '/admin/webhooks/wh_x' },
  { method: 'POST', route: '/admin/webhooks/wh_x/rotate-secret' },
  { method: 'GET', route: '/admin/webhooks/wh_x/deliveries' },
  { method: 'POST', route: '/admin/webhooks/wh_x/deliveries/msg_x/redeliver' },
];

interface Endpoint { id: string; url: string; description: string; events: string[]; enabled: boolean }
interface Delivery { id: string; eventType: string; state: string; attempts: number; lastStatus: number | null; lastError: string | null; payload: string }
interface Received { headers: IncomingHttpHeaders; body: string; path: string }

/** A real webhook receiver on 127.0.0.1: keeps every request, answers 200. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), path: request.url ?? '' });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Consentry-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>. */
function consentrySignatureValid(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['consentry-signature'] ?? ''));
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}

/** Standard Webhooks: webhook-signature v1,<base64 HMAC-SHA256(base64-decoded secret, "<id>.<ts>.<body>")>. */
function standardSignatureValid(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest('base64');
  return String(headers['webhook-signature'] ?? '').split(' ').includes(`v1,${expected}`);
}

/** The app's root: text is looked up inside it (wp.a11y's live regions repeat announcements). */
const app = (page: Page) => page.locator('#consentry-admin');

/** Opens the app on one screen and waits until it has rendered its content (no spinner left). */
async function openScreen(page: Page, hash: string) {
  if (page.url().includes(ADMIN)) await page.goto('about:blank');
  await page.goto(`${ADMIN}#${hash}`, { waitUntil: 'load' });
  await expect(page.locator('#consentry-admin .consentry-app')).toBeVisible();
  await expect(app(page).getByRole('tab', { selected: true }).first()).toBeVisible();
  await expect(page.locator('#consentry-admin .components-spinner')).toHaveCount(0);
}

const endpoints = async () => (await callService<{ data: Endpoint[] }>('/webhooks')).body.data;
const deliveries = async (id: string) => (await callService<{ data: Delivery[]; pagination: { total: number } }>(`/webhooks/${id}/deliveries?limit=100`)).body;

/**
 * Records accept-all consents through the visitor endpoint (public key) until
 * the service has queued a delivery for the endpoint. Deliveries are written in
 * the same transaction as the event, so after each 201 the log tells whether
 * this one caused one (the service caches an account's endpoint list for 2 s).
 * Returns the consent id that caused the new delivery.
 */
async function recordConsentWithDelivery(publicKey: string, endpointId: string, marker: string): Promise<string> {
  const before = (await deliveries(endpointId)).pagination.total;
  for (let i = 0; i < 20; i++) {
    const consentId = `${marker}c${i}${Date.now().toString(36)}`;
    const logged = await callService('/consent/log', {
      method: 'POST',
      key: null,
      body: { api_key: publicKey, consentId, action: 'accept_all', categories: { necessary: true, analytics: true, marketing: true }, policyVersion: '1' },
    });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    const page = await deliveries(endpointId);
    if (page.pagination.total > before) {
      const caused = page.data.find((d) => JSON.parse(d.payload).data?.event?.consentId === consentId);
      if (caused) return consentId;
    }
  }
  throw new Error('no consent caused a delivery');
}

test.describe('webhooks', () => {
  test('a subscriber, and an admin without the REST nonce, get 403 from every webhook route', async ({ wpAdmin }) => {
    const { username, password } = await createUser(wpAdmin, 'subscriber');
    const subscriber = await wordPressClient().login(username, password);
    expect(subscriber.nonce).toBeTruthy();
    for (const { method, route, body } of WEBHOOK_ROUTES) {
      const bySubscriber = await subscriber.rest(`${NS}${route}`, { method, body });
      expect.soft(bySubscriber.status, `subscriber ${method} ${route}`).toBe(403);
      expect.soft(JSON.stringify(bySubscriber.body)).not.toMatch(/Warning:|Fatal error|<html/i);
      const noNonce = await wpAdmin.rest(`${NS}${route}`, { method, body, nonce: false });
      expect.soft(noNonce.status, `no nonce ${method} ${route}`).toBe(403);
    }
    expect((await endpoints()).map((e) => e.url)).not.toContain('https://intruder.example/hook');
  });

  test('the routes check their arguments before anything reaches the service', async ({ wpAdmin }) => {
    const bad: Array<{ method: string; route: string; body?: unknown; field?: string }> = [
      { method: 'POST', route: '/admin/webhooks', body: { url: 'ftp://example.com/hook', events: ['consent.given'] }, field: 'url' },
      { method: 'POST', route: '/admin/webhooks', body: { url: 'javascript:alert(1)', events: ['consent.given'] }, field: 'url' },
      { method: 'POST', route: '/admin/webhooks', body: { url: `https://example.com/${'a'.repeat(2100)}`, events: ['consent.given'] }, field: 'url' },
      { method: 'POST', route: '/admin/webhooks', body: { url: 'https://example.com/hook', events: ['scan.finished'] }, field: 'events' },
      { method: 'POST', route: '/admin/webhooks', body: { url: 'https://example.com/hook', events: [] }, field: 'events' },
      { method: 'POST', route: '/admin/webhooks', body: { url: 'https://example.com/hook' }, field: 'events' },
      { method: 'PATCH', route: '/admin/webhooks/wh_x', body: { enabled: 'maybe' }, field: 'enabled' },
      { method: 'PATCH', route: '/admin/webhooks/wh_x', body: {} },
    ];
    for (const { method, route, body, field } of bad) {
      const result = await wpAdmin.rest(`${NS}${route}`, { method, body });
      expect.soft(result.status, `${method} ${route} ${JSON.stringify(body).slice(0, 80)}`).toBe(400);
      // WordPress names the field in data.params ({field: message}, or [field] when it is missing).
      if (field) expect.soft(JSON.stringify(result.body?.data?.params ?? null), JSON.stringify(result.body).slice(0, 300)).toContain(`"${field}"`);
    }
    // An id outside the pattern matches no route.
    expect((await wpAdmin.rest(`${NS}/admin/webhooks/wh-x%21`, { method: 'DELETE' })).status).toBe(404);
    // An unknown endpoint is the service's 404, passed through.
    const missing = await wpAdmin.rest(`${NS}/admin/webhooks/wh_doesnotexist/deliveries`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'consentry_service_error', data: { status: 404, serviceCode: 'RESOURCE_NOT_FOUND' } });
  });

  test('from the UI: add an endpoint, receive a signed delivery, see it in the log, redeliver, edit, disable, rotate, delete', async ({ adminPage: page, stack, wpAdmin, saveScreenshot }) => {
    const receiver = await startReceiver();
    const marker = `wh${Date.now().toString(36)}`;
    const url = `${receiver.url}/hooks/${marker}`;
    try {
      await openScreen(page, 'webhooks');
      await app(page).getByRole('button', { name: 'Add endpoint' }).click();
      const form = page.locator('form.consentry-webhook-form').first();
      // A URL WordPress refuses is shown at its field.
      await form.getByLabel('Endpoint URL').fill('ftp://example.com/hook');
      await form.getByRole('button', { name: 'Add endpoint' }).click();
      const urlField = form.getByLabel('Endpoint URL');
      const describedBy = await urlField.getAttribute('aria-describedby');
      expect(describedBy).toBeTruthy();
      await expect(page.locator(`[id="${describedBy}"] .consentry-field-error`)).toBeVisible();
      await saveScreenshot(page, 'admin-webhooks-validation');

      await form.getByLabel('Endpoint URL').fill(url);
      await form.getByLabel('Description').fill(`CRM sync ${marker}`);
      await form.getByLabel('Pageview limit warning (80, 90 and 100 %)').uncheck();
      await form.getByLabel('Plan ends soon (7 days and 1 day before)').uncheck();
      await form.getByLabel('Plan ended (the account fell back to Pro)').uncheck();
      await form.getByLabel('Cookie scan finished (completed or partial)').uncheck();
      await form.getByLabel('Cookie scan failed').uncheck();
      await form.getByLabel('Display profiles used (anonymous counts, at most hourly)').uncheck();
      await form.getByRole('button', { name: 'Add endpoint' }).click();

      // The signing secret, once, read-only, with the notice.
      const secretBox = app(page).getByTestId('webhook-secret');
      await expect(secretBox).toBeVisible();
      await expect(secretBox).toContainText('Shown only now.');
      const secretField = secretBox.getByLabel('Signing secret');
      await expect(secretField).toHaveAttribute('readonly', '');
      const secret = await secretField.inputValue();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      await saveScreenshot(page, 'admin-webhooks-secret');

      const created = (await endpoints()).find((e) => e.url === url)!;
      expect(created).toMatchObject({ description: `CRM sync ${marker}`, enabled: true, events: ['consent.given', 'consent.rejected', 'consent.updated'] });
      // WordPress keeps no copy: its list carries no secret, and no option holds it.
      const listed = await wpAdmin.rest(`${NS}/admin/webhooks`);
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      expect(JSON.stringify(listed.body)).not.toContain('whsec_');
      const settings = await wpAdmin.rest('/wp/v2/settings');
      expect(JSON.stringify(settings.body)).not.toContain(secret);

      await secretBox.getByRole('button', { name: 'I have copied it' }).click();
      await expect(app(page).getByTestId('webhook-secret')).toHaveCount(0);
      await openScreen(page, 'webhooks');
      expect(await page.content()).not.toContain(secret);
      const row = page.locator(`[data-webhook-id="${created.id}"]`);
      await expect(row).toContainText(url);
      await expect(row).toContainText('consent.given');

      // A consent recorded through the visitor endpoint reaches the receiver, signed.
      const consentId = await recordConsentWithDelivery(stack.publicKey, created.id, marker);
      await expect.poll(() => receiver.received.filter((r) => r.body.includes(consentId)).length).toBe(1);
      const first = receiver.received.find((r) => r.body.includes(consentId))!;
      expect(first.path).toBe(`/hooks/${marker}`);
      expect(first.headers['content-type']).toContain('application/json');
      expect(consentrySignatureValid(secret, first.headers, first.body)).toBe(true);
      expect(standardSignatureValid(secret, first.headers, first.body)).toBe(true);
      expect(consentrySignatureValid('whsec_wrong', first.headers, first.body)).toBe(false);
      const payload = JSON.parse(first.body);
      expect(payload).toMatchObject({ type: 'consent.given', data: { event: { consentId, action: 'accept_all', siteId: stack.siteId } } });

      // The delivery log in the UI.
      await row.getByRole('button', { name: `Delivery log of ${url}` }).click();
      const log = row.getByTestId('webhook-log');
      const delivered = log.locator('tr[data-state="succeeded"]');
      await expect(async () => {
        await log.getByRole('button', { name: 'Refresh' }).click();
        await expect(delivered.first()).toBeVisible({ timeout: 5_000 });
      }).toPass({ timeout: 60_000 });
      await expect(delivered.first()).toContainText('consent.given');
      await expect(delivered.first()).toContainText('Delivered');
      await expect(delivered.first()).toContainText('1 of 5');
      await expect(delivered.first()).toContainText('200');
      await saveScreenshot(page, 'admin-webhooks');

      // Redeliver: the same body again, as a new delivery (new webhook-id), signed.
      const deliveredCount = await delivered.count();
      await delivered.first().getByRole('button', { name: /^Redeliver consent\.given/ }).click();
      await expect(log.getByText('consent.given queued again as a new delivery.')).toBeVisible();
      await expect.poll(() => receiver.received.filter((r) => r.body === first.body).length).toBe(2);
      const again = receiver.received.filter((r) => r.body === first.body)[1]!;
      expect(again.headers['webhook-id']).not.toBe(first.headers['webhook-id']);
      expect(consentrySignatureValid(secret, again.headers, again.body)).toBe(true);
      await expect(async () => {
        await log.getByRole('button', { name: 'Refresh' }).click();
        await expect(delivered).toHaveCount(deliveredCount + 1, { timeout: 5_000 });
      }).toPass({ timeout: 60_000 });

      // Disable and enable with the row's toggle.
      await row.getByLabel(/^Enabled/).click();
      await expect(app(page).getByText(`Endpoint ${url} disabled: it gets no deliveries.`)).toBeVisible();
      expect((await endpoints()).find((e) => e.id === created.id)?.enabled).toBe(false);
      await row.getByLabel(/^Enabled/).click();
      await expect(app(page).getByText(`Endpoint ${url} enabled.`)).toBeVisible();
      expect((await endpoints()).find((e) => e.id === created.id)?.enabled).toBe(true);

      // Edit: events and description; a bad URL is shown at its field and nothing changes.
      await row.getByRole('button', { name: `Edit ${url}` }).click();
      const edit = row.locator('form.consentry-webhook-form');
      await edit.getByLabel('Consent rejected (reject all)').uncheck();
      await edit.getByLabel('Description').fill(`CRM sync edited ${marker}`);
      await edit.getByRole('button', { name: 'Save endpoint' }).click();
      await expect(app(page).getByText(`Endpoint ${url} saved.`)).toBeVisible();
      expect((await endpoints()).find((e) => e.id === created.id)).toMatchObject({ events: ['consent.given', 'consent.updated'], description: `CRM sync edited ${marker}` });
      await row.getByRole('button', { name: `Edit ${url}` }).click();
      await edit.getByLabel('Consent given (accept all)').uncheck();
      await edit.getByLabel('Consent updated (custom choice or withdrawal)').uncheck();
      await edit.getByRole('button', { name: 'Save endpoint' }).click();
      await expect(edit.locator('.consentry-field-error')).toBeVisible();
      await edit.getByRole('button', { name: 'Cancel' }).click();
      expect((await endpoints()).find((e) => e.id === created.id)?.events).toEqual(['consent.given', 'consent.updated']);

      // Rotate: a new secret, shown once; the next delivery is signed with it only.
      page.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: `Rotate secret of ${url}` }).click();
      await expect(app(page).getByTestId('webhook-secret')).toContainText('New signing secret');
      const rotated = await app(page).getByTestId('webhook-secret').getByLabel('Signing secret').inputValue();
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      const afterRotate = await recordConsentWithDelivery(stack.publicKey, created.id, `${marker}r`);
      await expect.poll(() => receiver.received.filter((r) => r.body.includes(afterRotate)).length).toBe(1);
      const signedNew = receiver.received.find((r) => r.body.includes(afterRotate))!;
      expect(consentrySignatureValid(rotated, signedNew.headers, signedNew.body)).toBe(true);
      expect(consentrySignatureValid(secret, signedNew.headers, signedNew.body)).toBe(false);
      await app(page).getByRole('button', { name: 'I have copied it' }).click();

      // Delete, after the browser's confirm.
      page.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: `Delete ${url}` }).click();
      await expect(app(page).getByText(`Endpoint ${url} deleted.`)).toBeVisible();
      await expect(page.locator(`[data-webhook-id="${created.id}"]`)).toHaveCount(0);
      expect((await endpoints()).map((e) => e.id)).not.toContain(created.id);
    } finally {
      for (const extra of (await endpoints()).filter((e) => e.url.includes(marker))) {
        await callService(`/webhooks/${extra.id}`, { method: 'DELETE' });
      }
      await receiver.close();
    }
  });

  test('a refused delivery shows its error; the screen at 320 px and with axe-core', async ({ adminPage: page, stack, saveScreenshot }) => {
    const marker = `whf${Date.now().toString(36)}`;
    // Nothing listens on port 9 (discard): the tries fail with a connection error.
    const created = await callService<{ endpoint: Endpoint; secret: string }>('/webhooks', {
      method: 'POST', body: { url: `http://127.0.0.1:9/${marker}`, events: ['consent.given'], description: 'Down on purpose' },
    });
    expect(created.status).toBe(201);
    const id = created.body.endpoint.id;
    try {
      await recordConsentWithDelivery(stack.publicKey, id, marker);
      await expect.poll(async () => (await deliveries(id)).data[0]?.lastError ?? null).not.toBeNull();

      await openScreen(page, 'webhooks');
      const row = page.locator(`[data-webhook-id="${id}"]`);
      await row.getByRole('button', { name: /^Delivery log of / }).click();
      const failedRow = row.locator('tr[data-delivery-id]').first();
      await expect(failedRow).toBeVisible();
      await expect(failedRow).toHaveAttribute('data-state', /pending|failed/);
      await expect(failedRow.locator('td').nth(5)).not.toHaveText('—');
      await saveScreenshot(page, 'admin-webhooks-failed-delivery');

      // axe-core on the screen with the form and the log open.
      await app(page).getByRole('button', { name: 'Add endpoint' }).click();
      await page.addScriptTag({ path: join(repoRoot, 'node_modules/axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
        const result = await axe.run({ include: [['#consentry-admin']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
        return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
      });
      expect.soft(violations).toEqual([]);

      // 320 px: no horizontal scrolling; the log becomes labelled cards.
      await page.setViewportSize({ width: 320, height: 800 });
      await openScreen(page, 'webhooks');
      await row.getByRole('button', { name: /^Delivery log of / }).click();
      await expect(row.locator('tr[data-delivery-id]').first()).toBeVisible();
      const overflow = await page.evaluate(() => {
        const root = document.querySelector('#consentry-admin')!;
        return { app: root.scrollWidth - root.clientWidth, page: document.documentElement.scrollWidth - document.documentElement.clientWidth };
      });
      expect.soft(overflow.app, 'app overflows').toBeLessThanOrEqual(0);
      expect.soft(overflow.page, 'page overflows').toBeLessThanOrEqual(0);
      await saveScreenshot(page, 'admin-webhooks-320px');
      await app(page).getByRole('button', { name: 'Add endpoint' }).click();
      await expect(app(page).getByLabel('Endpoint URL')).toBeVisible();
      await saveScreenshot(page, 'admin-webhooks-form-320px');
    } finally {
      await callService(`/webhooks/${id}`, { method: 'DELETE' });
      for (const extra of (await endpoints()).filter((e) => e.url.includes(marker))) {
        await callService(`/webhooks/${extra.id}`, { method: 'DELETE' });
      }
    }
  });
});
