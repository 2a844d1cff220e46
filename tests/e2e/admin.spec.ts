// The React admin app (src/admin) on the real WordPress, against the real
// service: connecting from the Connection screen, editing the banner and a
// category in the UI and finding the change in the service, the consent log
// showing events recorded through the service, and a stopped service shown as
// a clear error. Every screen is screenshotted at desktop width and at 320 px.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { freePort, repoRoot } from '../../scripts/util.ts';
import { expect as baseExpect, createServiceAccount, startOwnService, test } from './fixtures.ts';

// Each admin request goes browser -> WordPress (PHP in WebAssembly) -> service; on a busy
// machine one takes several seconds, so waits are generous (they bound, never measure).
const expect = baseExpect.configure({ timeout: 60_000 });
test.describe.configure({ timeout: 300_000 });
test.use({ actionTimeout: 60_000 });

const NS = '/consentry/v1';
const ADMIN = '/wp-admin/admin.php?page=consentry';
const SCREENS = [
  { hash: 'connection', tab: 'Connection' },
  { hash: 'banner', tab: 'Banner' },
  { hash: 'categories', tab: 'Categories' },
  { hash: 'log', tab: 'Consent log' },
  { hash: 'usage', tab: 'Usage' },
  { hash: 'webhooks', tab: 'Webhooks' },
] as const;

/** The app's root: text is looked up inside it (wp.a11y's live regions repeat announcements). */
const app = (page: Page) => page.locator('#consentry-admin');

/** Opens the app on one screen and waits until it has rendered its content (no spinner left). */
async function openScreen(page: Page, hash: string) {
  if (page.url().includes(ADMIN)) await page.goto('about:blank'); // a fresh load, not a same-document hash change
  await page.goto(`${ADMIN}#${hash}`, { waitUntil: 'load' });
  await expect(page.locator('#consentry-admin .consentry-app')).toBeVisible();
  await expect(app(page).getByRole('tab', { selected: true }).first()).toBeVisible();
  await expect(page.locator('#consentry-admin .components-spinner')).toHaveCount(0);
}

test.describe('admin app', () => {
  test('connect from the Connection screen: test, disconnect, connect again', async ({ adminPage: page, stack, wpAdmin, saveScreenshot }) => {
    try {
      await openScreen(page, 'connection');
      await expect(app(page).getByTestId('connection-status')).toHaveText('Connected');
      // The screen checks that the linked service answers.
      await expect(app(page).getByTestId('service-health')).toContainText('The service answered: version');
      // The secret key is write-only: never prefilled, only its hint is shown.
      const keyField = app(page).getByLabel('Secret key', { exact: true });
      await expect(keyField).toHaveAttribute('type', 'password');
      await expect(keyField).toHaveValue('');
      await expect(app(page).getByText(`ck_…${stack.secretKey.slice(-4)}`).first()).toBeVisible();
      expect(await page.content()).not.toContain(stack.secretKey);
      await saveScreenshot(page, 'admin-connection');

      await app(page).getByRole('button', { name: 'Disconnect' }).click();
      await expect(app(page).getByTestId('connection-status')).toHaveText('Not connected');
      expect((await wpAdmin.rest(`${NS}/admin/connection`)).body.connected).toBe(false);
      // Other screens ask to connect first.
      await app(page).getByRole('tab', { name: 'Banner' }).click();
      await expect(app(page).getByText('Connect this site to a Consentry service first')).toBeVisible();
      await app(page).getByRole('tab', { name: 'Connection' }).click();

      await app(page).getByLabel('Service URL', { exact: true }).fill(stack.pluginServiceUrl);
      await app(page).getByLabel('Secret key', { exact: true }).fill('ck_wrongwrongwrongwrong');
      await app(page).getByRole('button', { name: 'Test connection' }).click();
      await expect(page.locator('.components-notice.is-error')).toBeVisible();

      await app(page).getByLabel('Secret key', { exact: true }).fill(stack.secretKey);
      await app(page).getByRole('button', { name: 'Test connection' }).click();
      await expect(app(page).getByText(/The service answered: version/)).toBeVisible();
      await app(page).getByRole('button', { name: 'Connect', exact: true }).click();
      await expect(app(page).getByTestId('connection-status')).toHaveText('Connected');
      await expect(app(page).getByText(stack.siteId)).toBeVisible();
      await expect(app(page).getByLabel('Secret key', { exact: true })).toHaveValue('');
      await saveScreenshot(page, 'admin-connection-connected');

      const connection = await wpAdmin.rest(`${NS}/admin/connection`);
      expect(connection.body).toMatchObject({ connected: true, siteId: stack.siteId, publicKey: stack.publicKey });
    } finally {
      const connection = await wpAdmin.rest(`${NS}/admin/connection`);
      if (!connection.body.connected || connection.body.siteId !== stack.siteId) {
        await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: stack.pluginServiceUrl, secretKey: stack.secretKey } });
      }
    }
  });

  test('banner texts and colours edited in the UI reach the service; low contrast is warned', async ({ adminPage: page, stack, serviceApi, wpAdmin, saveScreenshot }) => {
    const before = (await wpAdmin.rest(`${NS}/admin/site`)).body.site.config;
    const marker = `e2e${Date.now().toString(36)}`;
    try {
      await openScreen(page, 'banner');
      await app(page).getByLabel('Title', { exact: true }).fill(`We care about cookies ${marker}`);
      await expect(app(page).getByTestId('banner-preview')).toContainText(`We care about cookies ${marker}`);
      await app(page).getByRole('tab', { name: 'Turkish' }).click();
      await app(page).getByLabel('Title', { exact: true }).fill(`Çerezleri önemsiyoruz ${marker}`);
      await expect(app(page).getByTestId('banner-preview')).toContainText(`Çerezleri önemsiyoruz ${marker}`);

      // Grey on white: 2.85:1, below WCAG AA.
      await app(page).getByLabel('Text', { exact: true }).fill('#999999');
      await expect(app(page).getByText(/Text on background: contrast 2\.85:1/)).toBeVisible();
      await expect(page.locator('.consentry-contrast.is-low')).toHaveCount(1);
      await saveScreenshot(page, 'admin-banner-low-contrast');
      await app(page).getByLabel('Text', { exact: true }).fill('#1d2327');
      await expect(page.locator('.consentry-contrast.is-low')).toHaveCount(0);

      await app(page).getByLabel('Layout').selectOption('box');
      await app(page).getByLabel('Position').selectOption('bottom-right');
      await app(page).getByLabel('Consent lifetime (days)').fill('90');

      // Bumping the version explains that every visitor is asked again.
      const version = await app(page).getByLabel('Policy version').inputValue();
      await app(page).getByRole('button', { name: 'Bump version' }).click();
      await expect(app(page).getByLabel('Policy version')).not.toHaveValue(version);
      await expect(app(page).getByText(/every visitor will see the banner again/)).toBeVisible();
      await app(page).getByLabel('Policy version').fill(version);
      await expect(app(page).getByText(/every visitor will see the banner again/)).toHaveCount(0);

      await app(page).getByRole('button', { name: 'Save banner' }).click();
      await expect(app(page).getByText(/^Saved\. Visitors get the new banner/)).toBeVisible();
      await saveScreenshot(page, 'admin-banner');

      const site = await serviceApi(`/sites/${stack.siteId}`);
      expect(site.body.site.config.texts.en.title).toBe(`We care about cookies ${marker}`);
      expect(site.body.site.config.texts.tr.title).toBe(`Çerezleri önemsiyoruz ${marker}`);
      expect(site.body.site.config).toMatchObject({ layout: 'box', position: 'bottom-right', consentLifetimeDays: 90, policyVersion: version });

      // Bumped and saved: the service has the next version, and the admin is told what it means.
      await app(page).getByRole('button', { name: 'Bump version' }).click();
      const bumped = await app(page).getByLabel('Policy version').inputValue();
      await app(page).getByRole('button', { name: 'Save banner' }).click();
      await expect(app(page).getByText('Saved. The policy version changed: every visitor will be asked again.')).toBeVisible();
      expect((await serviceApi(`/sites/${stack.siteId}`)).body.site.config.policyVersion).toBe(bumped);

      // A value the service refuses comes back at its field.
      await app(page).getByLabel('Cookie domain').fill('not a domain!');
      await app(page).getByRole('button', { name: 'Save banner' }).click();
      await expect(page.locator('.consentry-field-error')).toBeVisible();
      await expect(page.locator('.components-notice.is-error')).toBeVisible();
    } finally {
      await wpAdmin.rest(`${NS}/admin/site`, { method: 'PATCH', body: { config: before } });
    }
  });

  test('categories: edit in the UI reaches the service, required ones are locked, validation at the field, reorder by keyboard and drag', async ({ adminPage: page, stack, serviceApi, saveScreenshot }) => {
    type Category = { id: string; key: string; nameEn: string; descriptionEn: string; translations: Record<string, { name?: string }>; sortOrder: number; isRequired: boolean };
    const categories = async () => (await serviceApi<{ data: Category[] }>(`/sites/${stack.siteId}/categories`)).body.data;
    const original = await categories();
    const marker = `e2e${Date.now().toString(36)}`;
    const analytics = original.find((c) => c.key === 'analytics')!;
    try {
      await openScreen(page, 'categories');
      await saveScreenshot(page, 'admin-categories');

      // The required category has no Delete button, and says why.
      const necessary = page.locator('[data-category-key="necessary"]');
      await expect(necessary.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
      await expect(necessary.getByText('Required categories cannot be deleted')).toBeVisible();
      await expect(page.locator('[data-category-key="analytics"]').getByRole('button', { name: /^Delete/ })).toHaveCount(1);

      // Edit: English description and Turkish name.
      const row = page.locator('[data-category-key="analytics"]');
      await row.getByRole('button', { name: `Edit ${analytics.nameEn}` }).click();
      await row.getByLabel('Description (English)').fill(`How visitors use the site ${marker}`);
      await row.getByLabel('Name (Turkish)').fill(`Analitik ${marker}`);
      await row.getByLabel('Cookies (one per line)').fill('_ga\n_ga_*');
      await row.getByRole('button', { name: 'Save category' }).click();
      await expect(app(page).getByText(`Category ${analytics.nameEn} saved.`)).toBeVisible();
      const saved = (await categories()).find((c) => c.key === 'analytics')!;
      expect(saved.descriptionEn).toBe(`How visitors use the site ${marker}`);
      expect(saved.translations.tr?.name).toBe(`Analitik ${marker}`);
      expect((saved as unknown as { cookies: string[] }).cookies).toEqual(['_ga', '_ga_*']);

      // The service's validation message shows at the field it names.
      await row.getByRole('button', { name: `Edit ${analytics.nameEn}` }).click();
      await row.getByLabel('Name (Turkish)').fill('x'.repeat(150));
      await row.getByRole('button', { name: 'Save category' }).click();
      const trName = row.getByLabel('Name (Turkish)');
      const describedBy = await trName.getAttribute('aria-describedby');
      expect(describedBy).toBeTruthy();
      await expect(page.locator(`[id="${describedBy}"] .consentry-field-error`)).toBeVisible();
      await saveScreenshot(page, 'admin-categories-validation');
      await row.getByRole('button', { name: 'Cancel' }).click();

      // A new category with a duplicate key: the conflict is shown at the key.
      await app(page).getByRole('button', { name: 'Add category' }).click();
      const form = page.locator('form.consentry-category-form').first();
      await form.getByLabel('Key').fill('analytics');
      await form.getByLabel('Name (English)').fill('Duplicate');
      await form.getByRole('button', { name: 'Create category' }).click();
      await expect(form.locator('.consentry-field-error')).toBeVisible();
      // A valid one is created in the service, then deleted from the UI (after the browser's confirm).
      const key = `e2e_${marker}`.slice(0, 50);
      await form.getByLabel('Key').fill(key);
      await form.getByLabel('Name (English)').fill('Temporary');
      await form.getByLabel('WP Consent API category').selectOption('preferences');
      await form.getByRole('button', { name: 'Create category' }).click();
      await expect(app(page).getByText('Category Temporary created.')).toBeVisible();
      expect((await categories()).find((c) => c.key === key)?.nameEn).toBe('Temporary');
      page.once('dialog', (dialog) => void dialog.accept());
      await app(page).getByRole('button', { name: 'Delete Temporary' }).click();
      await expect(app(page).getByText('Category Temporary deleted.')).toBeVisible();
      expect((await categories()).map((c) => c.key)).not.toContain(key);

      // Keyboard: "Move … up" on the last row, with Enter; focus stays on the moved row.
      const before = (await categories()).map((c) => c.key);
      const last = original.find((c) => c.key === before[before.length - 1])!;
      await app(page).getByRole('button', { name: `Move ${last.nameEn} up` }).focus();
      await page.keyboard.press('Enter');
      await expect(app(page).getByText(`${last.nameEn} moved to position ${before.length - 1} of ${before.length}.`)).toBeVisible();
      await expect(app(page).getByRole('button', { name: `Move ${last.nameEn} up` })).toBeFocused();
      const afterKeyboard = (await categories()).map((c) => c.key);
      expect(afterKeyboard).toEqual([...before.slice(0, -2), before[before.length - 1], before[before.length - 2]]);

      // Drag: the row back below its neighbour.
      const dragged = page.locator(`[data-category-key="${last.key}"]`);
      await dragged.dragTo(page.locator(`[data-category-key="${before[before.length - 2]}"]`));
      await expect.poll(async () => (await categories()).map((c) => c.key)).toEqual(before);
      await expect(page.locator('.consentry-category').last()).toHaveAttribute('data-category-key', last.key);
    } finally {
      for (const extra of (await categories()).filter((c) => !original.some((o) => o.id === c.id))) {
        await serviceApi(`/sites/${stack.siteId}/categories/${extra.id}`, { method: 'DELETE' });
      }
      await serviceApi(`/sites/${stack.siteId}/categories/${analytics.id}`, {
        method: 'PATCH', body: { descriptionEn: analytics.descriptionEn, translations: analytics.translations, cookies: (analytics as unknown as { cookies: string[] }).cookies },
      });
      await serviceApi(`/sites/${stack.siteId}/categories/reorder`, {
        method: 'PUT', body: { order: original.map((c) => ({ id: c.id, sortOrder: c.sortOrder })) },
      });
    }
  });

  test('the consent log shows events recorded through the service; filters; CSV export link', async ({ adminPage: page, stack, serviceApi, saveScreenshot }) => {
    const marker = `log${Date.now().toString(36)}`;
    for (const [i, action] of (['accept_all', 'reject_all', 'custom'] as const).entries()) {
      const created = await serviceApi('/consent/events', {
        method: 'POST',
        body: {
          siteId: stack.siteId, consentId: `${marker}n${i}`, action, policyVersion: '1', language: i === 1 ? 'tr' : 'en', gpc: i === 1,
          categories: { necessary: true, analytics: action !== 'reject_all', marketing: action === 'accept_all' },
        },
      });
      expect(created.status).toBe(201);
    }
    await openScreen(page, 'log');
    for (let i = 0; i < 3; i++) await expect(page.locator(`tr[data-consent-id="${marker}n${i}"]`)).toBeVisible();
    const rejected = page.locator(`tr[data-consent-id="${marker}n1"]`);
    await expect(rejected).toContainText('Rejected all');
    await expect(rejected).toContainText('tr');
    await expect(rejected).toContainText('Yes');
    await expect(page.locator(`tr[data-consent-id="${marker}n0"]`)).toContainText('analytics, marketing');
    await saveScreenshot(page, 'admin-consent-log');

    // Filter by action and by today's date.
    await app(page).getByLabel('Action', { exact: true }).selectOption('reject_all');
    const today = new Date().toISOString().slice(0, 10);
    await app(page).getByLabel('From', { exact: true }).fill(today);
    await app(page).getByLabel('To', { exact: true }).fill(today);
    await app(page).getByRole('button', { name: 'Filter' }).click();
    await expect(page.locator(`tr[data-consent-id="${marker}n0"]`)).toHaveCount(0);
    await expect(rejected).toBeVisible();
    const actions = await page.locator('.consentry-log tbody tr td:nth-child(2)').allTextContents();
    expect(actions.every((a) => a === 'Rejected all')).toBe(true);

    // The export is a plain link carrying the REST nonce; it downloads the filtered CSV.
    const href = await app(page).getByTestId('export-csv').getAttribute('href');
    expect(href).toContain('_wpnonce=');
    expect(href).toContain('action=reject_all');
    const csv = await page.request.get(new URL(href!, stack.siteUrl).toString());
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain(`${marker}n1`);
    expect(text).not.toContain(`${marker}n0`);
  });

  test('usage: pageviews against the plan limit and a chart of choices per day', async ({ adminPage: page, stack, saveScreenshot }) => {
    await page.request.post(`${stack.siteUrl}/?rest_route=${NS}/heartbeat`, {
      headers: { origin: stack.siteUrl }, data: { session_id: `usage${Date.now().toString(36)}`, page_url: `${stack.siteUrl}/` },
    });
    await openScreen(page, 'usage');
    await expect(app(page).getByText(/pageviews this month/)).toBeVisible();
    const chart = app(page).getByRole('img', { name: 'Choices per day' });
    await expect(chart).toBeVisible();
    expect(await chart.locator('rect.consentry-chart__bar').count()).toBeGreaterThan(0);
    await app(page).getByText('Show the numbers as a table').click();
    await expect(app(page).getByRole('table').last()).toBeVisible();
    await saveScreenshot(page, 'admin-usage');
  });

  test('every screen at 320 px wide: no horizontal scrolling, every control reachable', async ({ adminPage: page, saveScreenshot }) => {
    await page.setViewportSize({ width: 320, height: 800 });
    for (const { hash } of SCREENS) {
      await openScreen(page, hash);
      const overflow = await page.evaluate(() => {
        const app = document.querySelector('#consentry-admin')!;
        return { app: app.scrollWidth - app.clientWidth, page: document.documentElement.scrollWidth - document.documentElement.clientWidth };
      });
      expect.soft(overflow.app, `${hash}: app overflows`).toBeLessThanOrEqual(0);
      expect.soft(overflow.page, `${hash}: page overflows`).toBeLessThanOrEqual(0);
      await saveScreenshot(page, `admin-${hash}-320px`);
    }
  });

  test('axe-core: no WCAG 2.2 A/AA violations on any screen', async ({ adminPage: page }) => {
    for (const { hash } of SCREENS) {
      await openScreen(page, hash);
      if (hash === 'categories') await app(page).getByRole('button', { name: /^Edit / }).first().click();
      await page.addScriptTag({ path: join(repoRoot, 'node_modules/axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
        const result = await axe.run({ include: [['#consentry-admin']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
        return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
      });
      expect.soft(violations, hash).toEqual([]);
    }
  });

  test('Turkish: the JSON that wp_set_script_translations() loads for build/admin/index.js translates the app', async ({ adminPage: page, stack }) => {
    await openScreen(page, 'connection');
    const md5 = createHash('md5').update('build/admin/index.js').digest('hex');
    const file = `${stack.siteUrl}/wp-content/plugins/consentry/languages/consentry-tr_TR-${md5}.json`;
    const translated = await page.evaluate(async (url) => {
      const json = await (await fetch(url)).json();
      // What WordPress's inline loader does with the file.
      const data = json.locale_data.consentry || json.locale_data.messages;
      data[''].domain = 'consentry';
      const i18n = (window as any).wp.i18n;
      i18n.setLocaleData(data, 'consentry');
      const result = {
        tab: i18n.__('Connection', 'consentry'),
        down: i18n.__('The Consentry service did not answer. Check that it is running and reachable from WordPress, then try again.', 'consentry'),
        moved: i18n.sprintf(i18n.__('%1$s moved to position %2$d of %3$d.', 'consentry'), 'Analitik', 2, 3),
      };
      i18n.resetLocaleData(undefined, 'consentry');
      return result;
    }, file);
    expect(translated).toEqual({
      tab: 'Bağlantı',
      down: expect.stringContaining('Consentry hizmeti yanıt vermedi'),
      moved: 'Analitik, 3 içinde 2. sıraya taşındı.',
    });
  });

  test('service stopped: the admin shows a clear error, and the screens recover when it is back', async ({ adminPage: page, wpAdmin, stack, saveScreenshot }) => {
    test.setTimeout(400_000);
    const dir = mkdtempSync(join(tmpdir(), 'consentry-admin-outage-'));
    const db = join(dir, 'outage.sqlite');
    const port = await freePort();
    let service = await startOwnService(db, port);
    const account = createServiceAccount(db, 'Admin outage', 'pro');
    try {
      // Connected from the UI to this test's own service, with a saved title.
      await openScreen(page, 'connection');
      await app(page).getByLabel('Service URL', { exact: true }).fill(service.url);
      await app(page).getByLabel('Secret key', { exact: true }).fill(account.secretKey);
      await app(page).getByRole('button', { name: 'Connect', exact: true }).click();
      await expect(app(page).getByText(service.url).first()).toBeVisible();
      await app(page).getByRole('tab', { name: 'Banner' }).click();
      await app(page).getByLabel('Title', { exact: true }).fill('Kept through the outage');
      await app(page).getByRole('button', { name: 'Save banner' }).click();
      await expect(app(page).getByText(/^Saved\./)).toBeVisible();

      // A plan with a pageview limit: the usage meter shows the month against it.
      const { publicKey } = (await wpAdmin.rest(`${NS}/admin/connection`)).body;
      for (let i = 0; i < 3; i++) {
        const beat = await fetch(`${service.url}/api/v1/heartbeat`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ api_key: publicKey, session_id: `outage${i}${Date.now().toString(36)}`, page_url: `${stack.siteUrl}/` }),
        });
        expect(beat.status).toBe(200);
      }
      await openScreen(page, 'usage');
      const meter = app(page).locator('meter');
      await expect(meter).toBeVisible();
      expect(Number(await meter.getAttribute('value'))).toBe(3);
      expect(Number(await meter.getAttribute('max'))).toBeGreaterThan(3);
      await expect(app(page).getByText(/^3 of [\d,.]+ pageviews this month/)).toBeVisible();
      await saveScreenshot(page, 'admin-usage-plan-limit');
      await openScreen(page, 'banner');

      await service.stop();
      // Saving now fails with the clear message; what was typed stays in the form.
      await app(page).getByLabel('Title', { exact: true }).fill('Typed during the outage');
      await app(page).getByRole('button', { name: 'Save banner' }).click();
      await expect(page.locator('.components-notice.is-error')).toContainText('The Consentry service did not answer');
      await expect(app(page).getByLabel('Title', { exact: true })).toHaveValue('Typed during the outage');

      for (const { hash } of SCREENS.filter((s) => s.hash !== 'connection')) {
        await openScreen(page, hash);
        await expect(page.locator('.components-notice.is-error')).toContainText('The Consentry service did not answer');
        await saveScreenshot(page, `admin-${hash}-service-down`);
      }
      await openScreen(page, 'connection');
      await expect(app(page).getByTestId('service-health')).toContainText('The Consentry service did not answer');
      await app(page).getByRole('button', { name: 'Test connection' }).click();
      await expect(app(page).locator('form + div .components-notice.is-error')).toContainText('The Consentry service did not answer');
      await saveScreenshot(page, 'admin-connection-service-down');

      // Back on the same port and file: the screen loads what was saved before the outage.
      service = await startOwnService(db, port);
      await openScreen(page, 'banner');
      await expect(app(page).getByLabel('Title', { exact: true })).toHaveValue('Kept through the outage');
    } finally {
      await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: stack.pluginServiceUrl, secretKey: stack.secretKey }, timeoutMs: 60_000 });
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
