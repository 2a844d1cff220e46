// The cookie scanner in WordPress, on the real stack: the plugin's scanner
// routes answer administrators only; a scan started from the Scanner screen
// (the service's headless Chromium loading this WordPress on loopback) finds
// WordPress's own storage and the test page's analytics cookie, the latter only
// in the "Accept all" pass, with no violation; classifying items from the
// screen publishes them in the cookie declaration (shortcode and block, the
// same for every visitor), and with the switch on, new reviewed items bump the
// site's policy version.
import type { Page } from '@playwright/test';
import { expect as baseExpect, callService, createUser, e2eState, test, wordPressClient } from './fixtures.ts';

// Each admin request goes browser -> WordPress (PHP in WebAssembly) -> service, and a scan
// loads every page three times in a real browser: waits bound, never measure.
const expect = baseExpect.configure({ timeout: 60_000 });
test.describe.configure({ mode: 'serial', timeout: 900_000 });
test.use({ actionTimeout: 60_000 });

const NS = '/consentry/v1';
const SCREEN = '/wp-admin/admin.php?page=consentry#scanner';
const app = (page: Page) => page.locator('#consentry-admin');

/** The analytics cookie the test page sets, only once the visitor granted "analytics". */
const ANALYTICS_COOKIE = '_ga';
/** What WordPress itself stores on every page (its emoji loader, in session storage); nothing classifies it. */
const WORDPRESS_ITEM = 'wpEmojiSettingsSupports';

/** Whether the service has its scan routes (until they land on main, the tests that scan are skipped). */
async function serviceScans(): Promise<boolean> {
  return (await callService(`/sites/${e2eState().siteId}/scans?limit=1`)).status !== 404;
}

async function openScanner(page: Page) {
  await page.goto('about:blank');
  await page.goto(SCREEN, { waitUntil: 'load' });
  await expect(app(page).getByRole('heading', { name: 'Cookie scanner' })).toBeVisible();
  await expect(page.locator('#consentry-admin .components-spinner')).toHaveCount(0);
}

test.describe('scanner routes', () => {
  test('answer administrators only: 403 for an editor, and for the admin without the REST nonce', async ({ wpAdmin }) => {
    const user = await createUser(wpAdmin, 'editor');
    const editor = await wordPressClient().login(user.username, user.password);
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/admin/scans'],
      ['POST', '/admin/scans', { pageBudget: 1 }],
      ['GET', '/admin/scans/scan_1'],
      ['POST', '/admin/scans/scan_1/cancel'],
      ['GET', '/admin/cookies'],
      ['POST', '/admin/cookies', { kind: 'cookie', name: 'x' }],
      ['PATCH', '/admin/cookies/ck_1', { reviewState: 'done' }],
      ['DELETE', '/admin/cookies/ck_1'],
      ['GET', '/admin/declaration'],
      ['PATCH', '/admin/declaration', { bumpPolicyOnNewItems: true }],
    ];
    for (const [method, route, body] of routes) {
      const asEditor = await editor.rest(`${NS}${route}`, { method, body });
      expect(asEditor.status, `${method} ${route} as an editor`).toBe(403);
      const noNonce = await wpAdmin.rest(`${NS}${route}`, { method, body, nonce: false });
      expect(noNonce.status, `${method} ${route} without the nonce`).toBe(403);
    }
    // Nothing reached the service: the switch is still off.
    expect((await wpAdmin.rest(`${NS}/admin/declaration`)).body.bumpPolicyOnNewItems).toBe(false);
  });

  test('a scan outside the site is refused by the service, in the documented error format', async ({ wpAdmin }) => {
    test.skip(!(await serviceScans()), 'the service has no scan routes yet');
    const refused = await wpAdmin.rest(`${NS}/admin/scans`, { method: 'POST', body: { startUrl: 'https://example.org/' } });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('consentry_service_error');
    expect(refused.body.data.serviceCode).toBe('DOMAIN_MISMATCH');
    const invalid = await wpAdmin.rest(`${NS}/admin/scans`, { method: 'POST', body: { pageBudget: 0 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.data.params.pageBudget).toBeTruthy();
  });
});

test.describe('scanner screen', () => {
  let testPageUrl = '';
  let declarationUrl = '';

  test.beforeAll(async () => {
    test.skip(!(await serviceScans()), 'the service has no scan routes yet');
    const admin = await wordPressClient().login();
    // The analytics cookie is set by a script the banner holds until "analytics" is granted
    // (the prior-blocking markup).
    const content = [
      '<!-- wp:html -->',
      `<script type="text/plain" data-category="analytics">document.cookie = "${ANALYTICS_COOKIE}=GA1.1.1234567890.1234567890; path=/; max-age=3600";</script>`,
      '<!-- /wp:html -->',
    ].join('\n');
    const created = await admin.rest<{ id: number; link: string }>('/wp/v2/pages', { method: 'POST', body: { title: 'Scanner test', status: 'publish', content } });
    expect(created.status).toBe(201);
    testPageUrl = `${admin.siteUrl}/?page_id=${created.body.id}`;
    const declaration = await admin.rest<{ id: number }>('/wp/v2/pages', {
      method: 'POST',
      body: {
        title: 'Cookie policy',
        status: 'publish',
        content: '<!-- wp:consentry/cookie-policy {"headingLevel":2} /-->\n<!-- wp:shortcode -->[consentry_cookie_policy]<!-- /wp:shortcode -->',
      },
    });
    expect(declaration.status).toBe(201);
    declarationUrl = `${admin.siteUrl}/?page_id=${declaration.body.id}`;
  });

  test('cancel: a running scan can be stopped from the screen', async ({ adminPage: page, serviceApi, stack }) => {
    await openScanner(page);
    await app(page).getByLabel('Start page (optional)').fill(testPageUrl);
    await app(page).getByLabel('Page budget').fill('50');
    await app(page).getByRole('button', { name: 'Start scan' }).click();
    await app(page).getByRole('button', { name: 'Cancel scan' }).click();
    await expect(app(page).getByRole('status')).toContainText('Last scan: Cancelled');
    const scans = await serviceApi(`/sites/${stack.siteId}/scans?limit=1`);
    expect(scans.body.data[0].state).toBe('cancelled');
  });

  test('a scan of this WordPress finds its own storage and the analytics only after "Accept all", with no violation', async ({ adminPage: page, serviceApi, stack, saveScreenshot }) => {
    await openScanner(page);
    await app(page).getByLabel('Start page (optional)').fill(testPageUrl);
    // The test page only: each page is loaded three times, by a one-worker WordPress.
    await app(page).getByLabel('Page budget').fill('1');
    await app(page).getByRole('button', { name: 'Start scan' }).click();
    // Progress is announced in a live region while the scan runs.
    const status = app(page).getByRole('status');
    await expect(status).toHaveAttribute('aria-live', 'polite');
    await expect(status).toContainText(/The scan is waiting to start|Scanning: \d+ of \d+ pages done|Last scan/);
    // Playground runs WordPress in one PHP worker: while the scan loads its pages the screen
    // steps aside (its progress requests would queue before them), and comes back to the result.
    await page.goto('about:blank');
    const latestScan = async () => (await serviceApi(`/sites/${stack.siteId}/scans?limit=1`)).body.data[0];
    await expect.poll(async () => (await latestScan()).state, { timeout: 700_000, intervals: [5_000] }).toMatch(/^(completed|partial|failed)$/);
    await openScanner(page);
    await expect(app(page).getByRole('heading', { name: /^Scan results: Completed/ })).toBeVisible();
    await expect(status).toContainText('Last scan: Completed');
    await saveScreenshot(page, 'scanner-results');

    // No violation: the analytics script waited for consent.
    await expect(app(page).locator('.consentry-scan-no-violations')).toBeVisible();
    const analytics = app(page).locator(`.consentry-scan-items tr[data-item="${ANALYTICS_COOKIE}"]`);
    await expect(analytics.locator('.consentry-scan-passes')).toHaveText('After “Accept all”');
    await expect(app(page).locator(`.consentry-scan-group[data-category="analytics"] tr[data-item="${ANALYTICS_COOKIE}"]`)).toBeVisible();
    // WordPress's own item waits, unclassified, for a person; it is no violation.
    await expect(app(page).locator(`.consentry-scan-group[data-category="unclassified"] tr[data-item="${WORDPRESS_ITEM}"]`)).toBeVisible();

    // The same, as the service recorded it.
    const latest = await serviceApi(`/sites/${stack.siteId}/scans?limit=1`);
    const detail = await serviceApi(`/sites/${stack.siteId}/scans/${latest.body.data[0].id}`);
    // `partial` would mean a page failed to load (the machine is busy); the items are what this test is about.
    expect(['completed', 'partial']).toContain(detail.body.scan.state);
    expect(detail.body.violations).toEqual([]);
    const ga = detail.body.items.find((i: { name: string }) => i.name === ANALYTICS_COOKIE);
    expect(ga.passes).toEqual(['accept']);
    expect(ga.classification.categoryKey).toBe('analytics');
    const wp = detail.body.items.find((i: { name: string }) => i.name === WORDPRESS_ITEM);
    expect(wp.passes).toContain('before');
    expect(wp.classification.categoryKey).toBeNull();
  });

  test('classifying from the screen publishes in the declaration; with the switch on, new reviewed items bump the policy version', async ({ adminPage: page, page: visitor, serviceApi, stack, wpAdmin, saveScreenshot }) => {
    const version = async () => String((await serviceApi(`/sites/${stack.siteId}`)).body.site.config.policyVersion ?? '1');
    const before = await version();
    await openScanner(page);

    // Turn the switch on: nothing is bumped yet.
    // The switch is controlled: it shows the saved state once the plugin has answered.
    const bumpSwitch = app(page).getByLabel('Ask visitors again when new reviewed items are added to the declaration');
    await bumpSwitch.click();
    await expect(bumpSwitch).toBeChecked();
    await expect(app(page).getByText('Visitors will be asked again when new reviewed items join the declaration.')).toBeVisible();
    expect(await version()).toBe(before);

    // Classify the analytics cookie: its category, then Mark reviewed.
    const todo = app(page).locator(`[data-review="todo"] tr[data-entry="${ANALYTICS_COOKIE}"]`);
    await expect(todo).toBeVisible();
    await todo.getByLabel(`Category of ${ANALYTICS_COOKIE}`).selectOption('analytics');
    await expect(app(page).getByText(`${ANALYTICS_COOKIE} is now in Analytics.`)).toBeVisible();
    await todo.getByRole('button', { name: `Mark ${ANALYTICS_COOKIE} reviewed` }).click();
    await expect(app(page).locator(`[data-review="done"] tr[data-entry="${ANALYTICS_COOKIE}"]`)).toBeVisible();
    await saveScreenshot(page, 'scanner-inventory');

    // A new reviewed item: the policy version went up, and the banner asks again.
    const bumped = await version();
    expect(bumped).not.toBe(before);
    expect((await wpAdmin.rest(`${NS}/admin/declaration`)).body.lastBump.version).toBe(bumped);
    const banner = await serviceApi(`/banner/${stack.publicKey}`, { key: null });
    expect(banner.body.config.policyVersion).toBe(bumped);

    // With the switch off, another reviewed item bumps nothing.
    await bumpSwitch.click();
    await expect(bumpSwitch).not.toBeChecked();
    await expect(app(page).getByText('New reviewed items no longer ask visitors again.')).toBeVisible();
    // Classify WordPress's unclassified item: pick Necessary, then Mark reviewed.
    const wordpress = app(page).locator(`[data-review="todo"] tr[data-entry="${WORDPRESS_ITEM}"]`);
    await expect(wordpress.getByRole('button', { name: `Mark ${WORDPRESS_ITEM} reviewed` })).toBeDisabled();
    await wordpress.getByLabel(`Category of ${WORDPRESS_ITEM}`).selectOption('necessary');
    await expect(app(page).getByText(`${WORDPRESS_ITEM} is now in Necessary.`)).toBeVisible();
    await wordpress.getByRole('button', { name: `Mark ${WORDPRESS_ITEM} reviewed` }).click();
    await expect(app(page).locator(`[data-review="done"] tr[data-entry="${WORDPRESS_ITEM}"]`)).toBeVisible();
    // A manual entry left to review is never published.
    await app(page).getByRole('button', { name: 'Add entry' }).click();
    await app(page).getByLabel('Name', { exact: true }).fill('consentry_e2e_unreviewed');
    await app(page).getByLabel('Review', { exact: true }).selectOption('todo');
    await app(page).getByRole('button', { name: 'Add entry' }).last().click();
    await expect(app(page).locator('[data-review="todo"] tr[data-entry="consentry_e2e_unreviewed"]')).toBeVisible();
    expect(await version()).toBe(bumped);

    // Whatever a person types is printed escaped.
    const escaped = await wpAdmin.rest(`${NS}/admin/cookies`, {
      method: 'POST',
      body: { kind: 'localStorage', name: 'consentry_e2e_escaped', purpose: '<img src=x onerror=alert(1)>', provider: 'This site', categoryKey: 'necessary', reviewState: 'done', translations: { tr: { purpose: 'Kaçışlı' } } },
    });
    expect(escaped.status).toBe(201);

    // The declaration: reviewed items only, per category, for every visitor the same.
    await visitor.goto(declarationUrl);
    const declarations = visitor.locator('.consentry-cookie-policy');
    await expect(declarations).toHaveCount(2);
    const block = visitor.locator('.wp-block-consentry-cookie-policy');
    await expect(block.locator('section[data-category="analytics"] h2')).toHaveText('Analytics');
    const row = block.locator('section[data-category="analytics"] tbody tr', { hasText: ANALYTICS_COOKIE });
    await expect(row.locator('th')).toContainText(ANALYTICS_COOKIE);
    await expect(row.locator('td').first()).not.toBeEmpty();
    await expect(block.locator('section[data-category="necessary"] tr', { hasText: WORDPRESS_ITEM })).toContainText('(session storage)');
    await expect(declarations.first()).not.toContainText('consentry_e2e_unreviewed');
    await expect(declarations.nth(1).locator('section[data-category="analytics"] h3')).toHaveText('Analytics');
    const source = await (await visitor.request.get(declarationUrl)).text();
    expect(source).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(source).not.toContain('<img src=x');
    await expect(block.locator('tr', { hasText: 'consentry_e2e_escaped' })).toContainText('(local storage)');
    await saveScreenshot(visitor, 'scanner-declaration');

    // In Turkish: the plugin's words, the categories' and the entries' translations.
    await visitor.goto(`${declarationUrl}&consentry_e2e_locale=tr_TR`);
    await expect(block.locator('section[data-category="analytics"] h2')).toHaveText('Analitik');
    await expect(block.locator('thead th').first()).toHaveText('Ad');
    await expect(block.locator('tr', { hasText: 'consentry_e2e_escaped' })).toContainText('Kaçışlı');
    await saveScreenshot(visitor, 'scanner-declaration-tr');
    const html = async (cookie: string) => {
      const response = await visitor.request.get(declarationUrl, { headers: { cookie } });
      const text = await response.text();
      return text.slice(text.indexOf('consentry-cookie-policy'), text.lastIndexOf('</table>'));
    };
    expect(await html('playground_auto_login_already_happened=1')).toBe(await html('playground_auto_login_already_happened=1; consentry_consent=abc'));

    // A manual entry can be deleted; it leaves the declaration at once.
    await page.reload();
    await expect(page.locator('#consentry-admin .components-spinner')).toHaveCount(0);
    for (const name of ['consentry_e2e_unreviewed', 'consentry_e2e_escaped']) {
      page.once('dialog', (dialog) => dialog.accept());
      await app(page).getByRole('button', { name: `Delete ${name}` }).click();
      await expect(app(page).locator(`tr[data-entry="${name}"]`)).toHaveCount(0);
    }
    await visitor.goto(declarationUrl);
    await expect(block).toContainText(ANALYTICS_COOKIE);
    await expect(block).not.toContainText('consentry_e2e_escaped');

    // The banner's preference centre links to the declaration once the Banner screen has its address.
    const cookieUrlField = () => app(page).getByLabel('Cookie declaration URL', { exact: true });
    const saveBanner = async (url: string) => {
      await page.goto('about:blank');
      await page.goto('/wp-admin/admin.php?page=consentry#banner', { waitUntil: 'load' });
      await cookieUrlField().fill(url);
      await app(page).getByRole('button', { name: 'Save banner' }).click();
      await expect(app(page).getByText(/^Saved\./)).toBeVisible();
    };
    await saveBanner(declarationUrl);
    try {
      await visitor.context().clearCookies();
      await visitor.goto('/');
      await visitor.locator('#consentry').getByRole('button', { name: 'Customize' }).click();
      const centre = visitor.locator('#consentry [role="dialog"][aria-modal="true"]');
      await expect(centre.getByRole('link', { name: 'Cookie declaration' })).toHaveAttribute('href', declarationUrl);
      await saveScreenshot(visitor, 'banner-centre-declaration-link');
    } finally {
      await saveBanner('');
    }
  });
});
