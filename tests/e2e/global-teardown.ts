// Stops the stack started by global-setup.ts, keeps its logs in test-results/
// and removes its temporary folder (kept when CONSENTRY_E2E_KEEP=1, to look at
// the SQLite file or the logs). Then fails the run when PHP logged an error,
// warning or notice during any spec: a failing global teardown makes
// `playwright test` exit non-zero, and scripts/test/test-all.ts counts it.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { E2EState } from './fixtures.ts';

export default async function globalTeardown(): Promise<void> {
  const stateFile = process.env.CONSENTRY_E2E_STATE;
  const state: E2EState | null = stateFile ? JSON.parse(readFileSync(stateFile, 'utf8')) : null;
  const stack = globalThis.__consentryStack;
  if (stack) {
    await stack.stop();
    globalThis.__consentryStack = undefined;
  } else if (state) {
    // Another process started it: end it by its recorded ids.
    for (const [pid, group] of [[state.wordpressPid, true], [state.servicePid, false]] as const) {
      if (pid) { try { process.kill(group ? -pid : pid, 'SIGTERM'); } catch { /* already gone */ } }
    }
  }
  if (!state) return;
  const notices = phpNotices(state.dir);
  keepLogs(state.dir);
  if (process.env.CONSENTRY_E2E_KEEP !== '1') rmSync(state.dir, { recursive: true, force: true });
  if (notices.length) {
    throw new Error(`PHP logged ${notices.length} error(s), warning(s) or notice(s) during the run (whole log in test-results/wordpress-debug.log):\n${notices.join('\n').slice(-5000)}`);
  }
}

/**
 * The PHP errors, warnings and notices in WordPress's debug.log (WP_DEBUG_LOG),
 * but for the two notices WordPress's own installer leaves on this core.
 */
export function phpNotices(dir: string): string[] {
  const file = debugLog(dir);
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  return lines.filter((line) => /^\[[^\]]+\] PHP /.test(line) && !line.includes('/wp-admin/install.php'));
}

const debugLog = (dir: string): string => join(dir, 'wordpress', 'wp-content', 'debug.log');

// WordPress's debug.log and the Playground server's log go to test-results/
// so a failure can be read after the temporary folder is gone.
export function keepLogs(dir: string): void {
  const out = 'test-results';
  const logs: Array<[string, string]> = [[debugLog(dir), 'wordpress-debug.log']];
  const wpEnv = join(dir, 'wp-env');
  if (existsSync(wpEnv)) {
    for (const name of readdirSync(wpEnv)) logs.push([join(wpEnv, name, 'playground.log'), 'playground.log']);
  }
  for (const [from, to] of logs) {
    if (!existsSync(from)) continue;
    mkdirSync(out, { recursive: true });
    copyFileSync(from, join(out, to));
  }
}
