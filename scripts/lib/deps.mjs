// Dependencies and build outputs for the project's commands.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(root, command, args, what) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status})`);
}

/** `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureDependencies(root, { log = console.error } = {}) {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules', '.package-lock.json');
  const stale = !existsSync(installed) || (existsSync(lock) && statSync(installed).mtimeMs < statSync(lock).mtimeMs);
  if (!stale) return false;
  log('consentry: installing dependencies (npm ci)…');
  try {
    run(root, 'npm', ['ci', '--no-audit', '--no-fund'], 'npm ci');
  } catch (error) {
    // npm ci refuses a lock that misses some optional platform packages,
    // which npm install accepts (leaving the lock as it is).
    log(`consentry: WARNING: ${error.message}; falling back to npm install`);
    run(root, 'npm', ['install', '--no-audit', '--no-fund'], 'npm install');
  }
  return true;
}

/** What scripts/build.mjs makes, per part. */
export const BUILD_OUTPUTS = {
  service: 'plugin/service/consentry-service.mjs',
  banner: 'plugin/build/banner/banner.js',
  admin: 'plugin/build/admin/index.js',
};

/** True when scripts/build.mjs has something to build for `part` (its config or entry exists). */
function buildable(root, part) {
  if (part === 'admin') return ['index.js', 'index.tsx'].some((f) => existsSync(join(root, 'src', 'admin', f)));
  return existsSync(join(root, `vite.${part}.config.ts`));
}

/** Builds the parts whose output is missing (all of them with { all: true }). */
export function ensureBuilt(root, { all = false, log = console.error } = {}) {
  const parts = all ? [] : Object.keys(BUILD_OUTPUTS).filter((part) => buildable(root, part) && !existsSync(join(root, BUILD_OUTPUTS[part])));
  if (!all && parts.length === 0) return [];
  log(`consentry: building ${all ? 'everything' : parts.join(', ')}…`);
  run(root, process.execPath, [join(root, 'scripts', 'build.mjs'), ...parts], 'build');
  return all ? Object.keys(BUILD_OUTPUTS) : parts;
}
