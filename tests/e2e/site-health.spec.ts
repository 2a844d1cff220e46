// Issue 14 in WordPress: Consentry's checks in Tools → Site Health (direct ones from
// options, async ones through admin-only REST routes that ask the real service), its
// facts in the Info tab (never the secret key), and the guided set-up notice shown to
// administrators while the site is not connected (dismissible per user).
import type { Page } from '@playwright/test';
import { expect as baseExpect, callService, createUser, loginAs, test } from './fixtures.ts';

// Each admin request goes browser -> WordPress (PHP in WebAssembly) -> service; on a busy
// machine one takes several seconds, so waits are generous (they bound, never measure).
const expect = baseExpect.configure({ timeout: 60_000 });
test.describe.configure({ timeout: 300_000 });
test.use({ actionTimeout: 60_000 });

const NS = '/consentry/v1';
const notice = (page: Page) => page.getByTestId('consentry-setup-notice');

test.describe('Site Health', () => {
  test('Status: Consentry tests pass on a connected site; async ones are admin-only REST routes', async ({ adminPage: page, page: visitor, stack, wpAdmin, saveScreenshot }) => {
    test.setTimeout(480_000);
    const { body: health } = await callService<{ version: string }>('/health', { key: null });
    // A visitor's page view fetches (or reuses) the banner config the pages use.
    await visitor.goto('/', { waitUntil: 'load' });

    const service = await wpAdmin.rest(`${NS}/site-health/service`);
    expect(service.status).toBe(200);
    expect(service.body).toMatchObject({ test: 'consentry_service', status: 'good', label: `The Consentry service answers (version ${health.version})` });
    expect(service.body.badge).toMatchObject({ label: 'Consentry' });
    const lastConsent = await wpAdmin.rest(`${NS}/site-health/last-consent`);
    expect(lastConsent.status).toBe(200);
    expect(lastConsent.body.test).toBe('consentry_last_consent');
    expect(['good', 'recommended']).toContain(lastConsent.body.status);
    const webhooks = await wpAdmin.rest(`${NS}/site-health/webhooks`);
    expect(webhooks.status).toBe(200);
    expect(webhooks.body).toMatchObject({ test: 'consentry_webhooks', status: 'good', label: 'Consentry webhook deliveries are not failing' });
    // Without the REST nonce the cookie counts as logged out: refused.
    const anonymous = await wpAdmin.rest(`${NS}/site-health/service`, { nonce: false });
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.code).toBe('rest_forbidden');
    for (const result of [service, lastConsent, webhooks]) expect(JSON.stringify(result.body)).not.toContain(stack.secretKey);

    // WordPress runs its own direct tests while rendering (loopback requests that wait without internet).
    await page.goto('/wp-admin/site-health.php', { waitUntil: 'load', timeout: 240_000 });
    // Async tests run one after another, WordPress's own first (some time out without internet).
    const passed = page.locator('#health-check-issues-good');
    await expect(passed.getByText(`The Consentry service answers (version ${health.version})`)).toBeAttached({ timeout: 240_000 });
    await expect(passed.getByText('Consentry webhook deliveries are not failing')).toBeAttached({ timeout: 240_000 });
    await page.getByRole('button', { name: 'Passed tests' }).click();
    await expect(passed.getByText('The Consentry secret key is stored')).toBeVisible();
    await expect(passed.getByText('The Consentry banner configuration is fresh')).toBeVisible();
    await expect(passed.getByText(`The Consentry service answers (version ${health.version})`)).toBeVisible();
    await expect(page.getByText(/No consent has been recorded yet|Consents are being recorded|No consent recorded recently/).first()).toBeAttached();
    await saveScreenshot(page, 'site-health-status');
    expect(await page.content()).not.toContain(stack.secretKey);
  });

  test('Info: service URL, site id, versions and banner config age; never the secret key', async ({ adminPage: page, stack, saveScreenshot }) => {
    const { body: health } = await callService<{ version: string }>('/health', { key: null });
    await page.goto('/wp-admin/site-health.php?tab=debug', { waitUntil: 'load', timeout: 240_000 });
    await page.getByRole('button', { name: 'Consentry', exact: true }).click();
    const section = page.locator('#health-check-accordion-block-consentry');
    await expect(section).toBeVisible();
    await expect(section.getByRole('row', { name: /Service URL/ })).toContainText(stack.pluginServiceUrl);
    await expect(section.getByRole('row', { name: /Connected site id/ })).toContainText(stack.siteId);
    await expect(section.getByRole('row', { name: /Service version/ })).toContainText(health.version);
    await expect(section.getByRole('row', { name: /Plugin version/ })).toContainText(/\d+\.\d+/);
    await expect(section.getByRole('row', { name: /Banner configuration age/ })).toBeVisible();
    await expect(section.getByRole('row', { name: /Secret key/ })).toContainText('Stored (not shown)');
    await saveScreenshot(page, 'site-health-info');
    // Neither the page nor the text "Copy site info to clipboard" copies holds the key.
    expect(await page.content()).not.toContain(stack.secretKey);
  });
});

test.describe('guided set-up notice', () => {
  test('shown to administrators while disconnected, leads to the Connection screen, dismissible per user', async ({ adminPage: page, page: other, stack, wpAdmin, saveScreenshot }) => {
    try {
      await page.goto('/wp-admin/', { waitUntil: 'load' });
      await expect(page.locator('#wpbody-content')).toBeVisible();
      await expect(notice(page)).toHaveCount(0); // connected

      expect((await wpAdmin.rest(`${NS}/admin/connection`, { method: 'DELETE' })).status).toBeLessThan(300);
      expect((await wpAdmin.rest(`${NS}/admin/connection`)).body.connected).toBe(false);

      await page.goto('/wp-admin/', { waitUntil: 'load' });
      await expect(notice(page)).toBeVisible();
      await saveScreenshot(page, 'setup-notice');
      await notice(page).getByRole('link', { name: 'Set up the connection' }).click();
      await expect(page).toHaveURL(/admin\.php\?page=consentry#connection$/);
      await expect(page.getByTestId('connection-status')).toHaveText('Not connected');
      await expect(notice(page)).toHaveCount(0); // not repeated on Consentry's own screen

      // A user without manage_options never sees it.
      const editor = await createUser(wpAdmin, 'editor');
      await loginAs(other, editor.username, editor.password);
      await other.goto('/wp-admin/', { waitUntil: 'load' });
      await expect(other.locator('#wpbody-content')).toBeVisible();
      await expect(notice(other)).toHaveCount(0);

      // A dismissal without the nonce is refused.
      const forged = await page.request.post('/wp-admin/admin-post.php', { form: { action: 'consentry_dismiss_setup_notice' }, maxRedirects: 0 });
      expect(forged.status()).toBe(403);
      await page.goto('/wp-admin/', { waitUntil: 'load' });
      await expect(notice(page)).toBeVisible();

      // Dismissed: gone for this user, on every screen, after reloads.
      await Promise.all([
        page.waitForURL(/\/wp-admin\/(index\.php)?$/),
        notice(page).getByRole('button', { name: 'Dismiss this notice' }).click(),
      ]);
      await expect(page.locator('#wpbody-content')).toBeVisible();
      await expect(notice(page)).toHaveCount(0);
      await page.goto('/wp-admin/plugins.php', { waitUntil: 'load' });
      await expect(page.locator('#wpbody-content')).toBeVisible();
      await expect(notice(page)).toHaveCount(0);

      // Another administrator still sees it (the dismissal is per user).
      const admin2 = await createUser(wpAdmin, 'administrator');
      const context = await other.context().browser()!.newContext({ baseURL: stack.siteUrl, storageState: stack.visitorStorage });
      const second = await context.newPage();
      await loginAs(second, admin2.username, admin2.password);
      await second.goto('/wp-admin/', { waitUntil: 'load' });
      await expect(notice(second)).toBeVisible();

      // Connected again: no notice.
      await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: stack.pluginServiceUrl, secretKey: stack.secretKey } });
      await second.goto('/wp-admin/', { waitUntil: 'load' });
      await expect(second.locator('#wpbody-content')).toBeVisible();
      await expect(notice(second)).toHaveCount(0);
      await context.close();
    } finally {
      const connection = await wpAdmin.rest(`${NS}/admin/connection`);
      if (!connection.body.connected || connection.body.siteId !== stack.siteId) {
        await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: stack.pluginServiceUrl, secretKey: stack.secretKey } });
      }
    }
  });
});
