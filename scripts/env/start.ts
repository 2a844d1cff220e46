// `npm start`: the Consentry service on its SQLite file and a WordPress with
// the plugin active and connected to it; stays in the foreground until Ctrl-C.
//   CONSENTRY_PORT (service, default 8787), WP_ENV_PORT (WordPress, default 8888):
//   a busy default port is replaced by a free one.
//   CONSENTRY_WP_RUNTIME=docker|playground, CONSENTRY_WP_OFFLINE=1|0: see scripts/env/wp-env.ts.
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { ensureBuilt } from '../build/outputs.ts';
import { messageOf, repoRoot } from '../util.ts';
import { ensureChromium } from './chromium.ts';
import { ensureDependencies } from './dependencies.ts';

const root = repoRoot;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

async function choosePort(wanted: number): Promise<number> {
  return (await portIsFree(wanted)) ? wanted : 0;
}

async function main(): Promise<void> {
  ensureDependencies(root);
  ensureBuilt(root);
  // Cookie scans drive a headless Chromium (installed here as for the tests); without one, scans fail with browser_unavailable.
  let chromium: string | null = null;
  try {
    chromium = ensureChromium();
  } catch (error) {
    console.error(`consentry: cookie scans will not run: ${messageOf(error)}`);
  }
  // Imported after the dependencies are in place.
  const { startStack } = await import('./stack.ts');

  const dataDir = join(root, '.cache', 'data');
  const servicePort = await choosePort(Number(process.env.CONSENTRY_PORT || 8787));
  const wpPort = await choosePort(Number(process.env.WP_ENV_PORT || 8888));
  console.log('consentry: starting the service and WordPress…');
  const stack = await startStack({
    root,
    db: join(dataDir, 'consentry.sqlite'),
    accountFile: join(dataDir, 'account.json'),
    servicePort,
    wpPort,
    writeOverride: true,
    handleSignals: true,
    // The local WordPress is on loopback: the scanner may scan it.
    serviceEnv: { CONSENTRY_SCAN_ALLOW_PRIVATE: '1', ...(chromium ? { CONSENTRY_CHROMIUM_PATH: chromium } : {}) },
  });

  const seconds = ((stack.timings.totalMs ?? 0) / 1000).toFixed(1);
  console.log(`
Consentry is running (started in ${seconds} s; WordPress${stack.wordpress.version ? ` ${stack.wordpress.version}` : ''} on wp-env's ${stack.wordpress.runtime} runtime${stack.wordpress.offline ? ', local core' : ''})

  Site          ${stack.siteUrl}/
  wp-admin      ${stack.adminUrl}   login: admin / password
  Service       ${stack.serviceUrl}/api/v1   (health: /api/v1/health, OpenAPI: /api/v1/openapi.json)
  Data          ${relative(root, join(dataDir, 'consentry.sqlite'))} (audit log in consentry.audit.sqlite); account secret key in ${relative(root, join(dataDir, 'account.json'))}
  Plugin        ${stack.connected ? `connected to the service (site ${stack.connection.siteId})` : 'NOT connected'}

Press Ctrl-C to stop everything.`);

  // Stay in the foreground; if a part dies on its own, stop the rest.
  setInterval(() => {
    if (stack.stopping) return;
    const alive = (pid: number): boolean => { try { process.kill(pid, 0); return true; } catch { return false; } };
    const dead = [
      stack.servicePid && !alive(stack.servicePid) && 'the service',
      stack.wordpressPid && !alive(stack.wordpressPid) && 'WordPress',
    ].filter(Boolean);
    if (dead.length) {
      console.error(`consentry: ${dead.join(' and ')} stopped unexpectedly; stopping everything.`);
      stack.stop().finally(() => process.exit(1));
    }
  }, 2000);
}

main().catch((error) => {
  console.error(`consentry: ${messageOf(error)}`);
  process.exit(1);
});
