// The npm dependencies of the project's commands.
import { existsSync, lstatSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { logToStderr, messageOf, run, type Log } from '../util.ts';

/** `npm ci` when node_modules is missing or older than package-lock.json (unless it is a link); returns whether it ran. */
export function ensureDependencies(root: string, { log = logToStderr }: { log?: Log } = {}): boolean {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules', '.package-lock.json');
  const stale = !existsSync(installed) || (existsSync(lock) && statSync(installed).mtimeMs < statSync(lock).mtimeMs);
  if (!stale) return false;
  // A node_modules linked in from another checkout is shared: npm ci would empty
  // it under everyone who uses it. Its owner installs it.
  if (lstatSync(join(root, 'node_modules'), { throwIfNoEntry: false })?.isSymbolicLink()) {
    log('consentry: WARNING: node_modules (a link to another checkout) is older than package-lock.json; not reinstalling it here');
    return false;
  }
  log('consentry: installing dependencies (npm ci)…');
  try {
    run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
  } catch (error) {
    // npm ci refuses a lock that misses some optional platform packages,
    // which npm install accepts (leaving the lock as it is).
    log(`consentry: WARNING: ${messageOf(error)}; falling back to npm install`);
    run('npm', ['install', '--no-audit', '--no-fund'], { cwd: root });
  }
  return true;
}
