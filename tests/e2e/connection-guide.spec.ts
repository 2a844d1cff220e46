// Issue 14, guided set-up: the Connection screen's steps carry this WordPress's real
// values (the bundle's path as WordPress has it, the Node.js the bundle asks for, a
// systemd unit for that path that systemd-analyze accepts), and its Check runs each
// step against the real service and WordPress: all pass when connected, "key valid"
// fails with its fix when the stored key is revoked, "reachable" fails when the
// service is stopped. The check and guide routes are for administrators only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Value } from 'typebox/value';
import { freePort, repoRoot } from '../../scripts/util.ts';
import { ConnectionCheckSchema, ConnectionGuideSchema } from '../../src/shared/schemas.ts';
import { expect as baseExpect, callService, createServiceAccount, createUser, startOwnService, test, wordPressClient } from './fixtures.ts';

// Each Check asks the service several times through PHP in WebAssembly: generous bounds, never measures.
const expect = baseExpect.configure({ timeout: 60_000 });
test.describe.configure({ timeout: 300_000 });
test.use({ actionTimeout: 60_000 });

const NS = '/consentry/v1';
const ADMIN = '/wp-admin/admin.php?page=consentry';
const BUNDLE = join(repoRoot, 'plugin', 'service', 'consentry-service.mjs');
const app = (page: Page) => page.locator('#consentry-admin');
const hasAnalyze = spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0;

async function openConnection(page: Page) {
  if (page.url().includes(ADMIN)) await page.goto('about:blank');
  await page.goto(`${ADMIN}#connection`, { waitUntil: 'load', timeout: 120_000 });
  await expect(app(page).getByTestId('connection-status')).toBeVisible();
  await expect(page.locator('#consentry-admin .components-spinner')).toHaveCount(0);
}

/** Presses Check and waits for the list; answers each step's state. */
async function runCheck(page: Page): Promise<Record<string, string>> {
  await app(page).getByRole('button', { name: 'Check', exact: true }).click();
  await expect(app(page).getByTestId('check-summary')).toBeVisible({ timeout: 120_000 });
  const states: Record<string, string> = {};
  for (const item of await app(page).locator('[data-testid^="check-"][data-state]').all()) {
    states[(await item.getAttribute('data-testid'))!.replace(/^check-/, '')] = (await item.getAttribute('data-state'))!;
  }
  return states;
}

test.describe('Connection screen: guided set-up', () => {
  test('shows this WordPress\'s bundle path, the bundle\'s Node.js, and a systemd unit for that path that systemd-analyze accepts', async ({ adminPage: page, stack, wpAdmin, saveScreenshot }) => {
    // Where WordPress itself has its plugins (read by a test probe, not by the plugin's code).
    const paths = await (await fetch(`${stack.siteUrl}/?consentry_probe=paths`, {
      headers: { cookie: 'playground_auto_login_already_happened=1' }, signal: AbortSignal.timeout(60_000),
    })).json() as { pluginDir: string; bundle: { readable: boolean; size: number } };
    const bundlePath = `${paths.pluginDir}/consentry/service/consentry-service.mjs`;
    // It is the bundle this run built: same size as the file in the repository.
    expect(paths.bundle).toEqual({ readable: true, size: statSync(BUNDLE).size });
    const nodeMin = /^\/\/ consentry-service: needs Node\.js >= (\S+)$/m.exec(readFileSync(BUNDLE, 'utf8').slice(0, 512))?.[1];
    expect(nodeMin).toMatch(/^\d+\.\d+\.\d+$/);

    // The route's answer has the shared shape, and no secret.
    const guide = await wpAdmin.rest(`${NS}/connection/guide`);
    expect(guide.status).toBe(200);
    expect(Value.Check(ConnectionGuideSchema, guide.body), JSON.stringify([...Value.Errors(ConnectionGuideSchema, guide.body)].slice(0, 3))).toBe(true);
    expect(guide.body).toMatchObject({ bundlePath, bundleFound: true, nodeMin, serviceUnit: readFileSync(join(repoRoot, 'plugin', 'service', 'consentry.service'), 'utf8') });
    expect(JSON.stringify(guide.body)).not.toContain(stack.secretKey);

    await openConnection(page);
    // Connected: the steps are folded away.
    await app(page).getByText('Show the steps (service, systemd unit, backups)').click();
    await expect(app(page).getByTestId('setup-bundle-path')).toHaveText(bundlePath);
    await expect(app(page).getByTestId('setup-node-min')).toHaveText(`${nodeMin} or newer`);
    const domain = new URL(stack.siteUrl).host;
    await expect(app(page).getByTestId('setup-account-command')).toHaveText(
      `sudo -u consentry /usr/bin/node ${bundlePath} accounts create --name ${domain} --db /var/lib/consentry/consentry.sqlite`,
    );
    await expect(app(page).getByTestId('setup-serve-command')).toContainText(`${bundlePath} serve --host 127.0.0.1 --port 8787`);
    await expect(app(page).getByTestId('setup-backup-command')).toContainText(`${bundlePath} backup --db /var/lib/consentry/consentry.sqlite --out /var/backups/consentry/$(date +%F)`);
    await expect(app(page).getByTestId('setup-cron-line')).toContainText('backup --db /var/lib/consentry/consentry.sqlite --out /var/backups/consentry --keep 30');
    await expect(app(page).getByTestId('setup-install-command')).toContainText(`ExecStart=/usr/bin/node ${bundlePath} serve`);
    // Copy buttons say what they copy.
    await expect(app(page).getByRole('button', { name: 'Copy: Command that creates an account' })).toBeVisible();
    await expect(app(page).getByRole('button', { name: 'Copy: Path of the service file' })).toBeVisible();

    // This host's node goes into the unit; the unit passes systemd-analyze verify (with
    // the bundle at the path WordPress has it, since verify looks at the files).
    await app(page).getByLabel('Path of node on this server').fill(process.execPath);
    await app(page).getByText('The systemd unit alone').click();
    const unit = app(page).getByTestId('setup-unit');
    await expect(unit).toContainText(`ExecStart=${process.execPath} ${bundlePath} serve`);
    // Long commands scroll in their boxes: the screen does not grow wider than the window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'connection-setup-steps');
    // The copy button puts the same text on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await app(page).getByRole('button', { name: 'Copy: systemd unit for this server' }).click();
    await expect(app(page).getByRole('button', { name: 'Copy: systemd unit for this server' })).toHaveText('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await unit.textContent());
    test.skip(!hasAnalyze, 'systemd-analyze is missing (apt-get install systemd): the unit was not verified');
    const dir = mkdtempSync(join(tmpdir(), 'consentry-screen-unit-'));
    try {
      // Playground's /wordpress is this run's copy of WordPress: put the real bundle at the
      // path the unit names when it is not on this machine's disk already.
      const onDisk = spawnSync('test', ['-r', bundlePath]).status === 0;
      const text = onDisk ? copied : copied.replaceAll(bundlePath, BUNDLE);
      writeFileSync(join(dir, 'consentry.service'), text);
      const result = spawnSync('systemd-analyze', ['verify', join(dir, 'consentry.service')], { encoding: 'utf8' });
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Check on the connected site: every step passes, the visitor route from the browser too', async ({ adminPage: page, page: visitor, wpAdmin, saveScreenshot }) => {
    // A visitor's page view: the banner config pages use is there (connect fetched it too).
    await visitor.goto('/', { waitUntil: 'load' });
    const check = await wpAdmin.rest(`${NS}/connection/check`);
    expect(check.status).toBe(200);
    expect(Value.Check(ConnectionCheckSchema, check.body), JSON.stringify([...Value.Errors(ConnectionCheckSchema, check.body)].slice(0, 3))).toBe(true);
    const { body: health } = await callService<{ version: string }>('/health', { key: null });
    expect(check.body.steps.map((s: { step: string; state: string }) => [s.step, s.state])).toEqual([
      ['service_reachable', 'pass'], ['key_valid', 'pass'], ['site_linked', 'pass'], ['banner_config_cached', 'pass'],
    ]);
    expect(check.body.steps[0].summary).toBe(`The Consentry service answers (version ${health.version})`);

    await openConnection(page);
    const states = await runCheck(page);
    expect(states).toEqual({ service_reachable: 'pass', key_valid: 'pass', site_linked: 'pass', banner_config_cached: 'pass', visitor_route: 'pass' });
    await expect(app(page).getByTestId('check-summary')).toHaveText('Every step passed.');
    await expect(app(page).locator('[data-testid$="-hint"]')).toHaveCount(0);
    await saveScreenshot(page, 'connection-check-pass');
  });

  test('Check with a revoked key: "key valid" fails with its fix; the site step is skipped', async ({ adminPage: page, stack, wpAdmin, saveScreenshot }) => {
    const created = await callService<{ key: { id: string }; secretKey: string }>('/keys', { method: 'POST', body: { name: 'guide e2e' } });
    expect(created.status).toBe(201);
    try {
      const connected = await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: stack.pluginServiceUrl, secretKey: created.body.secretKey }, timeoutMs: 60_000 });
      expect(connected.status).toBe(200);
      expect((await callService(`/keys/${created.body.key.id}`, { method: 'DELETE' })).status).toBe(204);

      await openConnection(page);
      const states = await runCheck(page);
      expect(states).toMatchObject({ service_reachable: 'pass', key_valid: 'fail', site_linked: 'skipped', visitor_route: 'pass' });
      const step = app(page).getByTestId('check-key_valid');
      await expect(step).toContainText('The service refused the stored secret key.');
      await expect(step).toContainText('HTTP 401 AUTHENTICATION_ERROR');
      await expect(app(page).getByTestId('check-key_valid-hint')).toContainText('The key was revoked, mistyped, or belongs to another service database.');
      await saveScreenshot(page, 'connection-check-wrong-key');
      expect(await page.content()).not.toContain(created.body.secretKey);
    } finally {
      await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: stack.pluginServiceUrl, secretKey: stack.secretKey }, timeoutMs: 60_000 });
    }
  });

  test('Check with the service stopped: "reachable" fails with its fix, the steps after it are skipped', async ({ adminPage: page, stack, wpAdmin, saveScreenshot }) => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-guide-down-'));
    const db = join(dir, 'guide.sqlite');
    const service = await startOwnService(db, await freePort());
    const account = createServiceAccount(db, 'Guide outage');
    try {
      const connected = await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: service.url, secretKey: account.secretKey }, timeoutMs: 60_000 });
      expect(connected.status).toBe(200);
      await openConnection(page);
      expect(await runCheck(page)).toMatchObject({ service_reachable: 'pass', key_valid: 'pass', site_linked: 'pass' });

      await service.stop();
      await openConnection(page);
      const states = await runCheck(page);
      expect(states).toMatchObject({ service_reachable: 'fail', key_valid: 'skipped', site_linked: 'skipped' });
      await expect(app(page).getByTestId('check-service_reachable')).toContainText('The Consentry service does not answer');
      await expect(app(page).getByTestId('check-service_reachable-hint')).toContainText(`curl ${service.url}/api/v1/health`);
      await saveScreenshot(page, 'connection-check-service-down');
    } finally {
      await wpAdmin.rest(`${NS}/admin/connection`, { method: 'POST', body: { serviceUrl: stack.pluginServiceUrl, secretKey: stack.secretKey }, timeoutMs: 60_000 });
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the check and guide routes answer administrators only', async ({ wpAdmin }) => {
    const editor = await createUser(wpAdmin, 'editor');
    const client = await wordPressClient().login(editor.username, editor.password);
    // Nobody logged in (and Playground told not to log this client in as admin).
    const anonymous = wordPressClient();
    anonymous.cookies.set('playground_auto_login_already_happened', '1');
    for (const route of ['check', 'guide']) {
      const refused = await client.rest(`${NS}/connection/${route}`);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('rest_forbidden');
      // An administrator's cookie without the REST nonce counts as logged out.
      const noNonce = await wpAdmin.rest(`${NS}/connection/${route}`, { nonce: false });
      expect(noNonce.status).toBe(403);
      expect((await anonymous.rest(`${NS}/connection/${route}`)).status).toBe(403);
    }
  });
});
