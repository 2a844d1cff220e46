// Fixtures and helpers for Consentry's end-to-end tests. Import `test` and
// `expect` from here instead of '@playwright/test'.
//
//   page          an anonymous visitor (Playground's auto-login is disabled
//                 for it by the playground_auto_login_already_happened cookie)
//   adminPage     a page logged in to wp-admin as admin / password
//   stack         URLs and keys of the running stack (see E2EState)
//   serviceApi    calls the service's API with the account's secret key
//   wpAdmin       a Node-side WordPress client logged in as admin (cookie jar
//                 + REST nonce) for REST checks: wpAdmin.rest('/consentry/v1/…')
//   saveScreenshot saveScreenshot(page, 'name'): test-results/screens/name.png,
//                 attached to the report
// Helpers: e2eState(), callService(), wordPressClient(), createUser(), loginAs(),
// startOwnService(), createServiceAccount().
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { WordPressClient } from '../../scripts/env/wp-client.ts';
import { repoRoot } from '../../scripts/util.ts';

export { expect };
export { WordPressClient };

export interface E2EState {
  /** Temporary folder of this run (SQLite file, wp-env home, WordPress copy). */
  dir: string;
  siteUrl: string;
  adminUrl: string;
  /** The service as the tests reach it. */
  serviceUrl: string;
  /** The service URL stored in the plugin. */
  pluginServiceUrl: string;
  accountId: string;
  secretKey: string;
  /** The service site the plugin is connected to. */
  siteId: string;
  publicKey: string;
  adminStorage: string;
  visitorStorage: string;
  servicePid: number;
  wordpressPid: number | null;
  timings: Record<string, number>;
}

let cached: E2EState | undefined;

/** The running stack, as global-setup.ts recorded it. */
export function e2eState(): E2EState {
  if (cached) return cached;
  const file = process.env.CONSENTRY_E2E_STATE;
  if (!file) throw new Error('CONSENTRY_E2E_STATE is not set: run the end-to-end tests with `playwright test` (global-setup.ts starts the stack)');
  cached = JSON.parse(readFileSync(file, 'utf8')) as E2EState;
  return cached;
}

export interface ServiceResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ServiceCallOptions {
  method?: string;
  body?: unknown;
  /** Secret or public key; default the account's secret key; null sends none. */
  key?: string | null;
  headers?: Record<string, string>;
}

/** Calls the service: `path` below /api/v1, e.g. '/sites' or `/consent/events/${siteId}?limit=5`. */
export async function callService<T = any>(path: string, options: ServiceCallOptions = {}): Promise<ServiceResponse<T>> {
  const { method = 'GET', body, key = e2eState().secretKey, headers = {} } = options;
  const response = await fetch(`${e2eState().serviceUrl}/api/v1${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** A fresh Node-side WordPress client (not logged in) for the running site. */
export function wordPressClient(): WordPressClient {
  return new WordPressClient(e2eState().siteUrl);
}

/**
 * Creates a WordPress user through the REST API as admin (password
 * "password") and returns its login. Unique names per call.
 */
export async function createUser(admin: WordPressClient, role: 'subscriber' | 'editor' | 'author' | 'contributor' | 'administrator' = 'subscriber') {
  const username = `${role}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const password = 'password';
  const result = await admin.rest('/wp/v2/users', {
    method: 'POST',
    body: { username, password, email: `${username}@example.test`, roles: [role] },
  });
  if (result.status !== 201) throw new Error(`creating ${role} failed: ${result.status} ${JSON.stringify(result.body)}`);
  return { id: (result.body as { id: number }).id, username, password };
}

/** Logs `page` in through wp-login.php (for users other than the stack's admin). */
export async function loginAs(page: Page, username: string, password = 'password'): Promise<void> {
  await page.goto('/wp-login.php', { waitUntil: 'load' });
  await page.fill('#user_login', username);
  await page.fill('#user_pass', password);
  await Promise.all([page.waitForURL(/wp-admin/), page.click('#wp-submit')]);
}

const SERVICE_BUNDLE = join(repoRoot, 'plugin', 'service', 'consentry-service.mjs');

/** A service process of a test's own on a SQLite file of its own (the shared one keeps serving the other tests). */
export async function startOwnService(db: string, port: number): Promise<{ url: string; process: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [SERVICE_BUNDLE, 'serve', '--port', String(port), '--host', '127.0.0.1', '--db', db], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await expect.poll(async () => {
    try { return (await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(1000) })).status; } catch { return 0; }
  }, { timeout: 30_000 }).toBe(200);
  return {
    url,
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** An account in a service's SQLite file (the service's own CLI). */
export function createServiceAccount(db: string, name = 'Own service', plan?: string): { accountId: string; secretKey: string } {
  const result = spawnSync(process.execPath, [SERVICE_BUNDLE, 'accounts', 'create', '--name', name, ...(plan ? ['--plan', plan] : []), '--db', db], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

interface Fixtures {
  stack: E2EState;
  adminPage: Page;
  wpAdmin: WordPressClient;
  serviceApi: typeof callService;
  saveScreenshot: (page: Page, name: string) => Promise<string>;
}

export const test = base.extend<Fixtures>({
  baseURL: async ({}, use) => { await use(e2eState().siteUrl); },
  storageState: async ({}, use) => { await use(e2eState().visitorStorage); },
  stack: async ({}, use) => { await use(e2eState()); },
  adminPage: async ({ browser, baseURL, viewport }, use) => {
    const context = await browser.newContext({ storageState: e2eState().adminStorage, baseURL, viewport });
    const page = await context.newPage();
    await use(page);
    await context.close();
  },
  wpAdmin: async ({}, use) => {
    await use(await wordPressClient().login());
  },
  serviceApi: async ({}, use) => { await use(callService); },
  saveScreenshot: async ({}, use, testInfo) => {
    await use(async (page, name) => {
      const dir = join(testInfo.project.outputDir, 'screens');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach(name, { path: file, contentType: 'image/png' });
      return file;
    });
  },
});
