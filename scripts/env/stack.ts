// The whole Consentry stack for development and end-to-end tests:
//   1. the API service on its SQLite file (GET /api/v1/health answers),
//   2. an account (created with the service CLI, or reused from a file),
//   3. WordPress through wp-env (see wp-env.ts for the runtime choice),
//   4. admin login (cookie jar + REST nonce), plugin consentry/consentry
//      activated through the REST API,
//   5. the plugin connected to the service through its own route
//      POST /consentry/v1/admin/connection {serviceUrl, secretKey}.
// startStack() resolves to the URLs, the keys and stop().
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { freePort, logToStderr, messageOf, readJson, repoRoot, since, type Log } from '../util.ts';
import { createAccount, secretKeyWorks, startService, type RunningService } from './service.ts';
import { WordPressClient } from './wp-client.ts';
import { playgroundPid, prepareWordPress, startWordPress, stopWordPress, type PreparedWordPress, type Runtime } from './wp-env.ts';

export const PLUGIN_ID = 'consentry/consentry';

export interface StackOptions {
  /** Repository root (default: this checkout). */
  root?: string;
  /** SQLite file of the service. */
  db: string;
  /** JSON file keeping {accountId, secretKey} between runs. */
  accountFile?: string;
  /** 0 = a free port. */
  servicePort?: number;
  /** WordPress port (wp-env's WP_ENV_PORT); 0 = a free port. */
  wpPort?: number;
  /** WP_ENV_HOME (default <root>/.cache/wp-env). */
  wpEnvHome?: string;
  /** Folder of the local WordPress core when offline (default <root>/.cache/wordpress/site). */
  siteDir?: string;
  /** Undefined: Docker when a Docker engine runs, else Playground. */
  runtime?: Runtime;
  /** Write .wp-env.override.json when a local core is used. */
  writeOverride?: boolean;
  /** Stop everything on SIGINT / SIGTERM, then exit. */
  handleSignals?: boolean;
  /** Environment variables for the service only (the e2e stack allows webhooks to its loopback receiver). */
  serviceEnv?: Record<string, string>;
  /** Progress lines (default: stderr). */
  log?: Log;
}

/** The plugin's connection, as its admin route answers it. */
export interface Connection {
  connected: boolean;
  serviceUrl: string;
  siteId: string | null;
  publicKey: string | null;
  secretKeyHint: string | null;
  siteDomain: string;
}

export interface Stack {
  root: string;
  siteUrl: string;
  adminUrl: string;
  serviceUrl: string;
  /** The service URL as the plugin reaches it (differs on the Docker runtime). */
  pluginServiceUrl: string;
  accountId: string;
  secretKey: string;
  servicePid: number;
  wordpressPid: number | null;
  wpPort: number;
  wpEnvHome: string;
  wordpress: { runtime: Runtime; offline: boolean; version: string | null; coreDir: string | null };
  connection: Connection;
  connected: boolean;
  stopping: boolean;
  /** Logged-in admin client (cookie jar + REST nonce). */
  wp: WordPressClient;
  timings: Record<string, number>;
  stop(): Promise<void>;
  killSync(): void;
}

/** Starts the stack; resolves when the plugin is connected (on failure, stops what it started). */
export async function startStack(options: StackOptions): Promise<Stack> {
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
    log = logToStderr,
  } = options;
  if (!db) throw new Error('startStack: db is required');
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  // Filled in as the parts start; returned once every field is set.
  const stack = { root, timings, connected: false, stopping: false } as Stack;
  let service: RunningService | null = null;
  let prepared: PreparedWordPress | null = null;
  let wordpressStarted = false;
  let stopping: Promise<void> | null = null;

  stack.stop = () => {
    stack.stopping = true;
    stopping ??= (async () => {
      const errors: unknown[] = [];
      if (wordpressStarted && prepared) {
        await stopWordPress({ root, prepared }).catch((error) => errors.push(error));
        wordpressStarted = false;
      }
      if (service) await service.stop().catch((error) => errors.push(error));
      service = null;
      if (errors.length) log(`consentry: while stopping: ${errors.map(messageOf).join('; ')}`);
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
  const onSignal = (signal: NodeJS.Signals): void => {
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
    const ready = await prepareWordPress({ root, wpEnvHome: resolve(wpEnvHome), ...(siteDir ? { siteDir } : {}), runtime, writeOverride, log });
    prepared = ready;
    timings.prepareMs = since(t0);
    const docker = ready.runtime === 'docker';
    log(`consentry: WordPress runtime ${ready.runtime}${ready.offline ? `, offline: local core ${ready.wordpressVersion} from Debian packages` : ''}`);

    // The service and WordPress start side by side.
    const serviceStart = (async () => {
      const t = performance.now();
      const started = await startService({ root, db, port: servicePort, host: docker ? '0.0.0.0' : '127.0.0.1', env: serviceEnv });
      service = started;
      timings.serviceMs = since(t);
      stack.serviceUrl = started.url;
      stack.servicePid = started.pid;
      // PHP inside Playground reaches the host's loopback; Docker containers
      // reach the host as host.docker.internal.
      stack.pluginServiceUrl = docker ? `http://host.docker.internal:${started.port}` : started.url;
      const stored = accountFile ? readJson<{ accountId?: string; secretKey?: string }>(accountFile) : null;
      if (stored?.accountId && stored.secretKey && await secretKeyWorks(started.url, stored.secretKey)) {
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
      const { siteUrl, port } = await startWordPress({ root, prepared: ready, port: wpPort || await freePort() });
      timings.wpEnvStartMs = since(t);
      stack.siteUrl = siteUrl;
      stack.wpPort = port;
      stack.adminUrl = `${siteUrl}/wp-admin/`;
      stack.wpEnvHome = resolve(wpEnvHome);
      stack.wordpressPid = ready.runtime === 'playground' ? playgroundPid(root, resolve(wpEnvHome)) : null;
    })();
    const results = await Promise.allSettled([serviceStart, wordpressStart]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    stack.wordpress = { runtime: ready.runtime, offline: ready.offline, version: ready.wordpressVersion, coreDir: ready.coreDir };

    const t = performance.now();
    const wp = new WordPressClient(stack.siteUrl);
    await wp.login();
    stack.wp = wp;
    await activatePlugin(wp);
    timings.activateMs = since(t);
    const t2 = performance.now();
    stack.connection = await connectPlugin(wp, stack.pluginServiceUrl, stack.secretKey);
    stack.connected = Boolean(stack.connection.connected);
    timings.connectMs = since(t2);
    timings.totalMs = since(t0);
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** Activates consentry/consentry through the REST API (no-op when active). */
export async function activatePlugin(wp: WordPressClient): Promise<unknown> {
  const route = `/wp/v2/plugins/${PLUGIN_ID}`;
  const current = await wp.rest<{ status?: string }>(route);
  if (current.status === 404) {
    throw new Error(`WordPress does not see the plugin ${PLUGIN_ID} (is plugin/consentry.php there?): ${JSON.stringify(current.body).slice(0, 300)}`);
  }
  if (current.status !== 200) throw new Error(`GET ${route}: ${current.status} ${JSON.stringify(current.body).slice(0, 500)}`);
  if (current.body.status === 'active') return current.body;
  const result = await wp.rest<{ status?: string }>(route, { method: 'POST', body: { status: 'active' } });
  if (result.status !== 200 || result.body?.status !== 'active') {
    throw new Error(`activating ${PLUGIN_ID} failed: ${result.status} ${JSON.stringify(result.body).slice(0, 1000)}`);
  }
  return result.body;
}

/** Connects the plugin to the service with its own admin route. */
export async function connectPlugin(wp: WordPressClient, serviceUrl: string, secretKey: string): Promise<Connection> {
  const result = await wp.rest<Connection | null>('/consentry/v1/admin/connection', { method: 'POST', body: { serviceUrl, secretKey }, timeoutMs: 60_000 });
  if (result.status !== 200 || !result.body?.connected) {
    throw new Error(`connecting the plugin to ${serviceUrl} failed: ${result.status} ${JSON.stringify(result.body).slice(0, 1000)}`);
  }
  return result.body;
}
