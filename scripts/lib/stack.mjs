// The whole Consentry stack for development and end-to-end tests:
//   1. the API service on its SQLite file (GET /api/v1/health answers),
//   2. an account (created with the service CLI, or reused from a file),
//   3. WordPress through wp-env (see wp-env.mjs for the runtime choice),
//   4. admin login (cookie jar + REST nonce), plugin consentry/consentry
//      activated through the REST API,
//   5. the plugin connected to the service through its own route
//      POST /consentry/v1/admin/connection {serviceUrl, secretKey}.
// startStack() resolves to the URLs, the keys and stop().
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createAccount, secretKeyWorks, startService } from './service.mjs';
import { freePort, repoRoot, since } from './util.mjs';
import { WordPressClient } from './wp-client.mjs';
import { playgroundPid, prepareWordPress, startWordPress, stopWordPress } from './wp-env.mjs';

export const PLUGIN_ID = 'consentry/consentry';

/**
 * Options:
 *   root           repository root (default: this checkout)
 *   db             SQLite file of the service (required)
 *   accountFile    JSON file keeping {accountId, secretKey} between runs (optional)
 *   servicePort    0 = a free port
 *   wpPort         WordPress port (wp-env's WP_ENV_PORT); 0 = a free port
 *   wpEnvHome      WP_ENV_HOME (default <root>/.cache/wp-env)
 *   siteDir        folder of the local WordPress core when offline (default <root>/.cache/wordpress/site)
 *   runtime        'playground' | 'docker' | undefined (choose: Docker engine running -> docker)
 *   writeOverride  write .wp-env.override.json when a local core is used
 *   handleSignals  stop everything on SIGINT / SIGTERM, then exit
 *   serviceEnv     environment variables for the service only (the e2e stack sets
 *                  CONSENTRY_WEBHOOK_ALLOW_PRIVATE=1 for its loopback webhook receiver)
 *   log            progress lines (default: stderr)
 */
export async function startStack(options) {
  const {
    root = repoRoot,
    db,
    accountFile,
    servicePort = 0,
    wpPort = 0,
    wpEnvHome = join(root, '.cache', 'wp-env'),
    siteDir,
    runtime,
    writeOverride = false,
    handleSignals = false,
    serviceEnv = {},
    log = (line) => console.error(line),
  } = options;
  if (!db) throw new Error('startStack: db is required');
  const t0 = performance.now();
  const timings = {};
  const stack = {
    root, siteUrl: null, adminUrl: null, serviceUrl: null, pluginServiceUrl: null,
    accountId: null, secretKey: null, wordpress: null, timings, connected: false, stopping: false,
  };
  let service = null;
  let prepared = null;
  let wordpressStarted = false;
  let stopping = null;

  stack.stop = () => {
    stack.stopping = true;
    stopping ??= (async () => {
      const errors = [];
      if (wordpressStarted) {
        await stopWordPress({ root, prepared }).catch((error) => errors.push(error));
        wordpressStarted = false;
      }
      if (service) await service.stop().catch((error) => errors.push(error));
      service = null;
      if (errors.length) log(`consentry: while stopping: ${errors.map((e) => e.message).join('; ')}`);
    })();
    return stopping;
  };
  // Last resort when the process exits without stop() (cannot wait here).
  stack.killSync = () => {
    // The pid file exists from the Playground server's spawn until `wp-env stop`.
    if (prepared?.runtime === 'playground') {
      const pid = playgroundPid(root, resolve(wpEnvHome));
      if (pid) { try { process.kill(-pid, 'SIGTERM'); } catch { /* gone */ } }
    }
    if (service?.pid) { try { process.kill(service.pid, 'SIGTERM'); } catch { /* gone */ } }
  };
  process.once('exit', stack.killSync);

  let signalled = false;
  const onSignal = (signal) => {
    if (signalled) return;
    signalled = true;
    stack.stopping = true;
    log(`\nconsentry: ${signal}: stopping WordPress and the service…`);
    stack.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  if (handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  try {
    prepared = await prepareWordPress({ root, wpEnvHome: resolve(wpEnvHome), siteDir, runtime, writeOverride, log });
    timings.prepareMs = since(t0);
    const docker = prepared.runtime === 'docker';
    log(`consentry: WordPress runtime ${prepared.runtime}${prepared.offline ? `, offline: local core ${prepared.wordpressVersion} from Debian packages` : ''}`);

    // The service and WordPress start side by side.
    const serviceStart = (async () => {
      const t = performance.now();
      service = await startService({ root, db, port: servicePort, host: docker ? '0.0.0.0' : '127.0.0.1', env: serviceEnv });
      timings.serviceMs = since(t);
      stack.serviceUrl = service.url;
      stack.servicePid = service.pid;
      // PHP inside Playground reaches the host's loopback; Docker containers
      // reach the host as host.docker.internal.
      stack.pluginServiceUrl = docker ? `http://host.docker.internal:${service.port}` : service.url;
      const stored = accountFile && existsSync(accountFile) ? JSON.parse(readFileSync(accountFile, 'utf8')) : null;
      if (stored?.secretKey && await secretKeyWorks(service.url, stored.secretKey)) {
        stack.accountId = stored.accountId;
        stack.secretKey = stored.secretKey;
      } else {
        const account = createAccount({ root, db, name: 'Consentry dev' });
        stack.accountId = account.accountId;
        stack.secretKey = account.secretKey;
        if (accountFile) {
          mkdirSync(dirname(accountFile), { recursive: true });
          writeFileSync(accountFile, `${JSON.stringify({ accountId: account.accountId, secretKey: account.secretKey, db }, null, 2)}\n`, { mode: 0o600 });
        }
      }
    })();
    const wordpressStart = (async () => {
      const t = performance.now();
      wordpressStarted = true; // from here on, stop() runs `wp-env stop`
      const { siteUrl, port } = await startWordPress({ root, prepared, port: wpPort || await freePort() });
      timings.wpEnvStartMs = since(t);
      stack.siteUrl = siteUrl;
      stack.wpPort = port;
      stack.adminUrl = `${siteUrl}/wp-admin/`;
      stack.wpEnvHome = resolve(wpEnvHome);
      stack.wordpressPid = prepared.runtime === 'playground' ? playgroundPid(root, resolve(wpEnvHome)) : null;
    })();
    const results = await Promise.allSettled([serviceStart, wordpressStart]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    stack.wordpress = { runtime: prepared.runtime, offline: prepared.offline, version: prepared.wordpressVersion, coreDir: prepared.coreDir };

    const t = performance.now();
    const wp = new WordPressClient(stack.siteUrl);
    await wp.login();
    stack.wp = wp;
    await activatePlugin(wp);
    timings.activateMs = since(t);
    const t2 = performance.now();
    stack.connection = await connectPlugin(wp, stack.pluginServiceUrl, stack.secretKey);
    stack.connected = Boolean(stack.connection?.connected);
    timings.connectMs = since(t2);
    timings.totalMs = since(t0);
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** Activates consentry/consentry through the REST API (no-op when active). */
export async function activatePlugin(wp) {
  const route = `/wp/v2/plugins/${PLUGIN_ID}`;
  const current = await wp.rest(route);
  if (current.status === 404) {
    throw new Error(`WordPress does not see the plugin ${PLUGIN_ID} (is plugin/consentry.php there?): ${JSON.stringify(current.body).slice(0, 300)}`);
  }
  if (current.status !== 200) throw new Error(`GET ${route}: ${current.status} ${JSON.stringify(current.body).slice(0, 500)}`);
  if (current.body.status === 'active') return current.body;
  const result = await wp.rest(route, { method: 'POST', body: { status: 'active' } });
  if (result.status !== 200 || result.body?.status !== 'active') {
    throw new Error(`activating ${PLUGIN_ID} failed: ${result.status} ${JSON.stringify(result.body).slice(0, 1000)}`);
  }
  return result.body;
}

/**
 * Connects the plugin to the service with its own admin route. Returns the
 * connection object ({connected, serviceUrl, siteId, publicKey, …}).
 */
export async function connectPlugin(wp, serviceUrl, secretKey) {
  const result = await wp.rest('/consentry/v1/admin/connection', { method: 'POST', body: { serviceUrl, secretKey }, timeoutMs: 60_000 });
  if (result.status !== 200 || !result.body?.connected) {
    throw new Error(`connecting the plugin to ${serviceUrl} failed: ${result.status} ${JSON.stringify(result.body).slice(0, 1000)}`);
  }
  return result.body;
}
