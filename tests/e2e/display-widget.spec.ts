/**
 * The display-preferences widget on the real WordPress, against the real service: the plugin prints where
 * display.js is, the opener fetches it only when used, and a picked profile is counted by the service
 * through the plugin's visitor route (the static-page spec, display-static.spec.ts, covers the widget itself).
 */
import { DISPLAY_PROFILES } from '../../src/shared/enums.ts';
import { expect as baseExpect, test } from './fixtures.ts';

const expect = baseExpect.configure({ timeout: 60_000 });
test.describe.configure({ timeout: 300_000 });
test.use({ actionTimeout: 60_000 });

const NS = '/consentry/v1';

test('display preferences on WordPress: display.js from the plugin only once opened; a picked profile is counted, anonymously', async ({ page, stack, serviceApi, wpAdmin }) => {
  const before = (await wpAdmin.rest(`${NS}/admin/site`)).body.site.config;
  const usage = async () => (await serviceApi(`/sites/${stack.siteId}/display-usage?interval=hour&from=${new Date(Date.now() - 2 * 3600_000).toISOString()}`)).body.totals;
  try {
    const saved = await wpAdmin.rest(`${NS}/admin/site`, {
      method: 'PATCH', body: { config: { ...before, displayPreferences: { enabled: true, position: 'bottom-right', profiles: [...DISPLAY_PROFILES] } } },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    // What the widget sends, as it leaves the page. Then, on its way, the test environment's own cookie: WordPress
    // Playground redirects every request without it to its auto-login (a real WordPress does not).
    const counts: Array<{ headers: Record<string, string>; body: string | null }> = [];
    await page.route('**/display-usage*', async (route) => {
      const r = route.request();
      counts.push({ headers: await r.allHeaders(), body: r.postData() });
      // (continue() cannot set a Cookie header: the request is made again from the test, then answered with its response.)
      await route.fulfill({ response: await route.fetch({ headers: { ...r.headers(), cookie: 'playground_auto_login_already_happened=1' }, maxRedirects: 0 }) });
    });
    await page.goto('/', { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Reject all' }).click();
    const opener = page.getByRole('button', { name: 'Display preferences', exact: true });
    await expect(opener).toBeVisible();
    expect(requests.filter((u) => u.includes('display.js'))).toEqual([]);
    const start = await usage();

    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Display preferences' });
    await expect(dialog).toBeVisible();
    const scripts = requests.filter((u) => u.includes('display.js'));
    expect(scripts).toHaveLength(1);
    expect(new URL(scripts[0]!).pathname).toMatch(/\/wp-content\/plugins\/[^/]+\/build\/display\/display\.js$/);

    await dialog.getByRole('button', { name: 'Seizure safe' }).click();
    await expect(dialog.getByRole('button', { name: 'Stop animations' })).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => counts.length).toBe(1);
    expect(JSON.parse(counts[0]!.body!)).toEqual({ profile: 'seizure_safe' });
    expect(counts[0]!.headers.cookie).toBeUndefined();
    expect(counts[0]!.headers.referer).toBeUndefined();
    // The service counts it (written within seconds; waited for, bounded).
    await expect.poll(async () => (await usage()).seizure_safe, { timeout: 60_000 }).toBe(start.seizure_safe + 1);

    // Saved: the next page applies it at once and fetches the widget for the rest.
    await page.keyboard.press('Escape');
    await expect(opener).toBeFocused();
    await page.reload({ waitUntil: 'load' });
    await expect(page.locator('#consentry-display-css')).toBeAttached();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).filter)).toBe('saturate(0.35)');
  } finally {
    await wpAdmin.rest(`${NS}/admin/site`, { method: 'PATCH', body: { config: before } });
  }
});
