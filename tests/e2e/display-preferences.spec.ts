// Display preferences on the real WordPress against the real service: the admin screen saves the widget's settings
// into the service's site config (and the page's boot config carries them and the count endpoint), anonymous counts
// posted through the plugin's visitor route reach the service, and the screen's chart shows them.
import type { Page } from '@playwright/test';
import { expect as baseExpect, test } from './fixtures.ts';

const expect = baseExpect.configure({ timeout: 60_000 });
test.describe.configure({ timeout: 300_000 });
test.use({ actionTimeout: 60_000, navigationTimeout: 120_000 });

const NS = '/consentry/v1';
const ADMIN = '/wp-admin/admin.php?page=consentry';
const app = (page: Page) => page.locator('#consentry-admin');

async function openDisplayScreen(page: Page) {
  if (page.url().includes(ADMIN)) await page.goto('about:blank');
  await page.goto(`${ADMIN}#display`, { waitUntil: 'load' });
  await expect(app(page).getByRole('tab', { name: 'Display preferences', selected: true })).toBeVisible();
  await expect(page.locator('#consentry-admin .components-spinner')).toHaveCount(0);
}

test('display preferences: the admin screen saves the settings and charts anonymous counts posted through the plugin', async ({ adminPage: page, page: visitor, stack, serviceApi, wpAdmin, saveScreenshot }) => {
  const before = (await wpAdmin.rest(`${NS}/admin/site`)).body.site.config;
  try {
    await openDisplayScreen(page);
    // The honest explanation is there, and so is the privacy note.
    await expect(app(page).getByText(/It is not a substitute for an accessible site/)).toBeVisible();
    await expect(app(page).getByText(/Nothing links a profile to a visitor, a consent record, an IP address or a session/)).toBeVisible();

    await app(page).getByLabel('Offer display preferences to visitors').check();
    await app(page).getByLabel('Button position').selectOption('middle-right');
    await app(page).getByRole('checkbox', { name: 'Cognitive' }).uncheck();
    await app(page).getByRole('checkbox', { name: 'Keyboard and motor' }).uncheck();
    await app(page).getByRole('button', { name: 'Save display preferences' }).click();
    await expect(app(page).getByText(/^Saved\. Visitors see the change/)).toBeVisible();
    await saveScreenshot(page, 'admin-display-preferences');

    const expected = { enabled: true, position: 'middle-right', profiles: ['seizure_safe', 'vision_impaired', 'adhd_friendly', 'dyslexia_friendly'] };
    const site = await serviceApi(`/sites/${stack.siteId}`);
    expect(site.body.site.config.displayPreferences).toEqual(expected);
    // The rest of the configuration is kept.
    expect(site.body.site.config.policyVersion).toBe(before.policyVersion);

    // Pages carry the settings and where to count.
    const html = await (await visitor.request.get(`${stack.siteUrl}/`)).text();
    const config = JSON.parse(/<script id="consentry-config" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '{}');
    expect(config.config.displayPreferences).toEqual(expected);
    expect(config.endpoints.displayUsage).toContain('consentry/v1/display-usage');

    // Counts through the plugin's public route, as the widget sends them; bad bodies are refused there.
    const startTotal = (await serviceApi(`/sites/${stack.siteId}/display-usage?interval=hour&from=${new Date(Date.now() - 2 * 3600_000).toISOString()}`)).body.totals;
    const post = (data: unknown) => visitor.request.post(`${stack.siteUrl}/?rest_route=${NS}/display-usage`, {
      headers: { origin: stack.siteUrl }, data, timeout: 60_000,
    });
    for (const profile of ['vision_impaired', 'vision_impaired', 'dyslexia_friendly']) {
      const res = await post({ profile });
      expect(res.status()).toBe(202);
    }
    expect((await post({ profile: 'mind_reader' })).status()).toBe(400);
    expect((await post({ profile: 'cognitive', consentId: 'cid_abcdefgh' })).status()).toBe(400);
    expect((await post({})).status()).toBe(400);

    // The service writes counts within seconds; wait for them (bounded, not timed).
    await expect.poll(async () => (await serviceApi(`/sites/${stack.siteId}/display-usage?interval=hour&from=${new Date(Date.now() - 2 * 3600_000).toISOString()}`)).body.totals, { timeout: 60_000 })
      .toMatchObject({ vision_impaired: startTotal.vision_impaired + 2, dyslexia_friendly: startTotal.dyslexia_friendly + 1 });

    await openDisplayScreen(page);
    await app(page).getByRole('combobox', { name: 'Period' }).selectOption('hours');
    // The hourly answer replaced the daily one (the chart's title says which it shows).
    await expect(app(page).getByRole('img', { name: /^Profile uses per hour \(UTC\)/ })).toBeAttached();
    const summary = app(page).locator('.consentry-display__total');
    await expect(summary).toContainText(`Vision impaired: ${startTotal.vision_impaired + 2}`);
    await expect(summary).toContainText(`Dyslexia friendly: ${startTotal.dyslexia_friendly + 1}`);
    await expect(app(page).locator('.consentry-chart__bar.is-profile-vision-impaired').first()).toBeAttached();
    await app(page).getByText('Show the numbers as a table').click();
    await expect(app(page).getByRole('columnheader', { name: 'Vision impaired' })).toBeVisible();
    await expect(app(page).getByRole('columnheader', { name: 'Hour (UTC)' })).toBeVisible();
    await saveScreenshot(page, 'admin-display-preferences-chart');
  } finally {
    await wpAdmin.rest(`${NS}/admin/site`, { method: 'PATCH', body: { config: before } });
  }
});
