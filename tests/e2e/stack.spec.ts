// Smoke test of the end-to-end stack itself: WordPress answers, wp-admin is
// reachable logged in, the plugin is active and connected, the service is up.
// (That PHP logged no notice during the run is checked after every spec, by
// global-teardown.ts.)
import { expect, test } from './fixtures.ts';

test('the WordPress front page loads for an anonymous visitor', async ({ page, saveScreenshot }) => {
  const response = await page.goto('/', { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  await expect(page.locator('body')).toBeVisible();
  // Not logged in: no admin bar.
  await expect(page.locator('#wpadminbar')).toHaveCount(0);
  await saveScreenshot(page, 'front-page');
});

test('wp-admin loads logged in as admin', async ({ adminPage, saveScreenshot }) => {
  const response = await adminPage.goto('/wp-admin/', { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  expect(adminPage.url()).toContain('/wp-admin/');
  await expect(adminPage.locator('#wpadminbar')).toBeVisible();
  await expect(adminPage.locator('#adminmenu')).toBeVisible();
  await saveScreenshot(adminPage, 'wp-admin-dashboard');
});

test('the Consentry plugin is active', async ({ adminPage, wpAdmin, saveScreenshot }) => {
  const plugin = await wpAdmin.rest<{ status: string; name: string }>('/wp/v2/plugins/consentry/consentry');
  expect(plugin.status).toBe(200);
  expect(plugin.body.status).toBe('active');
  expect(plugin.body.name).toBe('Consentry');

  await adminPage.goto('/wp-admin/plugins.php', { waitUntil: 'load' });
  const row = adminPage.locator('tr[data-plugin="consentry/consentry.php"]');
  await expect(row).toHaveClass(/\bactive\b/);
  await saveScreenshot(adminPage, 'wp-admin-plugins');
});

test('the plugin is connected to the service and the service is healthy', async ({ stack, wpAdmin, serviceApi }) => {
  const health = await serviceApi<{ status: string; version: string }>('/health', { key: null });
  expect(health.status).toBe(200);
  expect(health.body.status).toBe('ok');

  const connection = await wpAdmin.rest<{ connected: boolean; siteId: string; publicKey: string; secretKeyHint: string | null }>('/consentry/v1/admin/connection');
  expect(connection.status).toBe(200);
  expect(connection.body.connected).toBe(true);
  expect(connection.body.siteId).toBe(stack.siteId);
  // The secret key itself never comes back from WordPress.
  expect(JSON.stringify(connection.body)).not.toContain(stack.secretKey);

  const site = await serviceApi<{ site: { id: string; publicKey: string } }>(`/sites/${stack.siteId}`);
  expect(site.status).toBe(200);
  expect(site.body.site.publicKey).toBe(connection.body.publicKey);
});

