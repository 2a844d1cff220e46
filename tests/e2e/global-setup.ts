// Starts one Consentry stack for the whole end-to-end run: the service on a
// fresh SQLite file in a temporary folder, an account, WordPress (Playground
// runtime, its own wp-env home and site copy in the same folder, free ports),
// the plugin active and connected. Its URLs and keys go to a state file whose
// path is in CONSENTRY_E2E_STATE (read by fixtures.ts).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium } from '../../scripts/env/chromium.ts';
import { ensureBuilt } from '../../scripts/build/outputs.ts';
import { startStack, type Stack } from '../../scripts/env/stack.ts';
import { repoRoot } from '../../scripts/util.ts';
import type { E2EState } from './fixtures.ts';
import { keepLogs } from './global-teardown.ts';

declare global {
  // eslint-disable-next-line no-var
  var __consentryStack: Stack | undefined;
}

/**
 * Test-only must-use plugins (tests/e2e/wp/mu-plugins: the WP Consent API
 * stand-in and its probe) go into this run's own WordPress copy, which wp-env
 * mounts as /wordpress; mu-plugins are read on every request, so copying them
 * once WordPress is up is enough. Without a local copy (wp-env fetched
 * WordPress itself) there is nowhere to put them: said once, and the specs
 * that need them fail on their probe.
 */
function installMuPlugins(stack: Stack): void {
  const coreDir = stack.wordpress?.coreDir;
  if (!coreDir) {
    console.warn('consentry e2e: no local WordPress copy, test mu-plugins (tests/e2e/wp/mu-plugins) not installed');
    return;
  }
  const target = join(coreDir, 'wp-content', 'mu-plugins');
  mkdirSync(target, { recursive: true });
  cpSync(join(repoRoot, 'tests', 'e2e', 'wp', 'mu-plugins'), target, { recursive: true });
}

export default async function globalSetup(): Promise<void> {
  ensureChromium();
  ensureBuilt(repoRoot);
  const dir = mkdtempSync(join(tmpdir(), 'consentry-e2e-'));
  const started = performance.now();
  let stack: Stack;
  try {
    stack = await startStack({
      root: repoRoot,
      db: join(dir, 'consentry.sqlite'),
      wpEnvHome: join(dir, 'wp-env'),
      siteDir: join(dir, 'wordpress'),
      runtime: 'playground',
      servicePort: 0,
      wpPort: 0,
      // The webhooks spec's receiver listens on 127.0.0.1 (refused by default), and the
      // scanner spec scans this WordPress on loopback.
      serviceEnv: { CONSENTRY_WEBHOOK_ALLOW_PRIVATE: '1', CONSENTRY_SCAN_ALLOW_PRIVATE: '1' },
    });
  } catch (error) {
    // startStack has stopped what it started; keep the logs, drop the rest.
    keepLogs(dir);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  globalThis.__consentryStack = stack;
  installMuPlugins(stack);
  const host = new URL(stack.siteUrl).hostname;
  const cookie = (name: string, value: string) => ({
    name, value, domain: host, path: '/', expires: -1, httpOnly: !name.startsWith('playground_'), secure: false, sameSite: 'Lax' as const,
  });
  // Playground logs in whoever has not got this cookie yet: visitors carry it.
  const noAutoLogin = cookie('playground_auto_login_already_happened', '1');
  const adminStorage = join(dir, 'admin-storage.json');
  const visitorStorage = join(dir, 'visitor-storage.json');
  writeFileSync(adminStorage, JSON.stringify({
    cookies: [noAutoLogin, ...[...stack.wp.cookies].filter(([name]) => name.startsWith('wordpress')).map(([n, v]) => cookie(n, v))],
    origins: [],
  }));
  writeFileSync(visitorStorage, JSON.stringify({ cookies: [noAutoLogin], origins: [] }));
  const state: E2EState = {
    dir,
    siteUrl: stack.siteUrl,
    adminUrl: stack.adminUrl,
    serviceUrl: stack.serviceUrl,
    pluginServiceUrl: stack.pluginServiceUrl,
    accountId: stack.accountId,
    secretKey: stack.secretKey,
    siteId: stack.connection.siteId ?? '',
    publicKey: stack.connection.publicKey ?? '',
    adminStorage,
    visitorStorage,
    servicePid: stack.servicePid,
    wordpressPid: stack.wordpressPid,
    timings: stack.timings,
  };
  const stateFile = join(dir, 'state.json');
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  process.env.CONSENTRY_E2E_STATE = stateFile;
  console.log(`consentry e2e: stack up in ${((performance.now() - started) / 1000).toFixed(1)} s — WordPress ${stack.siteUrl} (wp-env start ${stack.timings.wpEnvStartMs} ms), service ${stack.serviceUrl}`);
}
