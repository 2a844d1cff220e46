// Runs WordPress with wp-env (the project's ordinary .wp-env.json), choosing
// what can work on this machine:
//   - the Docker runtime when a Docker engine answers,
//   - else the Playground runtime (PHP in WebAssembly, no Docker),
//   - and, when wordpress.org cannot be reached, a local WordPress core
//     fetched from Debian's packages (see wordpress-core.ts), given to wp-env
//     through a generated, git-ignored .wp-env.override.json / WP_ENV_CORE and
//     the version cache wp-env consults while parsing its defaults offline.
// CONSENTRY_WP_RUNTIME=docker|playground forces a runtime;
// CONSENTRY_WP_OFFLINE=1|0 forces the local core on or off.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as dns } from 'node:dns';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { logToStderr, readJson, type Log } from '../util.ts';
import { cachedCoreVersion, ensureLocalCore, readWordPressVersion } from './wordpress-core.ts';

/** How WordPress runs: Docker containers, or PHP in WebAssembly (no Docker). */
export type Runtime = 'docker' | 'playground';

/** What prepareWordPress() decided, and the environment to run wp-env with. */
export interface PreparedWordPress {
  runtime: Runtime;
  /** True when WordPress core comes from Debian's packages (wordpress.org unreachable). */
  offline: boolean;
  env: NodeJS.ProcessEnv;
  coreDir: string | null;
  wordpressVersion: string | null;
}

export interface PrepareOptions {
  root: string;
  wpEnvHome?: string;
  siteDir?: string;
  runtime?: Runtime | undefined;
  writeOverride?: boolean;
  log?: Log;
}

const WP_ENV_BIN = ['node_modules', '@wordpress', 'env', 'bin', 'wp-env'];
const OVERRIDE_FILE = '.wp-env.override.json';

/** True when wordpress.org answers within `timeoutMs` (DNS, then HTTPS). */
export async function wordpressOrgReachable(timeoutMs = 3000): Promise<boolean> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    await Promise.race([
      dns.resolve('wordpress.org'),
      new Promise((_resolve, reject) => deadline.addEventListener('abort', () => reject(new Error('timeout')))),
    ]);
    const response = await fetch('https://api.wordpress.org/core/stable-check/1.0/', { method: 'HEAD', signal: deadline });
    return response.status < 500;
  } catch {
    return false;
  }
}

/** True when a Docker engine (not only the client) answers within 3 s. */
export function dockerEngineRunning(): boolean {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 3000, encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() !== '';
}

/** wp-env's work folder for the .wp-env.json in `root` under `wpEnvHome` (see its load-config.js). */
export function wpEnvWorkDirectory(root: string, wpEnvHome: string): string {
  const configFile = join(root, '.wp-env.json');
  const legacy = join(wpEnvHome, createHash('md5').update(configFile).digest('hex'));
  if (existsSync(legacy)) return legacy;
  return join(wpEnvHome, `wp-env-${basename(root)}-${createHash('md5').update(configFile).digest('hex').slice(0, 8)}`);
}

/**
 * Decides how WordPress will run and prepares it. Options:
 *   root        repository root
 *   wpEnvHome   WP_ENV_HOME (wp-env's work folders); default <root>/.cache/wp-env
 *   siteDir     where a local core is copied and used (Playground writes its
 *               wp-config.php and SQLite database into it); default
 *               <root>/.cache/wordpress/site (kept between runs)
 *   runtime     'docker' | 'playground' | undefined (= choose)
 *   writeOverride  write .wp-env.override.json when a local core is used
 *   log         progress lines
 */
export async function prepareWordPress({
  root,
  wpEnvHome = join(root, '.cache', 'wp-env'),
  siteDir = join(root, '.cache', 'wordpress', 'site'),
  runtime: wanted,
  writeOverride = false,
  log = logToStderr,
}: PrepareOptions): Promise<PreparedWordPress> {
  const runtime = wanted ?? (process.env.CONSENTRY_WP_RUNTIME || (dockerEngineRunning() ? 'docker' : 'playground'));
  if (runtime !== 'docker' && runtime !== 'playground') throw new Error(`unknown wp-env runtime "${runtime}"`);

  const forced = process.env.CONSENTRY_WP_OFFLINE;
  const offline = forced === '1' ? true : forced === '0' ? false : !(await wordpressOrgReachable());
  const env: NodeJS.ProcessEnv = { ...process.env, WP_ENV_HOME: wpEnvHome, FORCE_COLOR: '0' };
  mkdirSync(wpEnvHome, { recursive: true });

  const userOverride = readJson<{ core?: unknown }>(join(root, OVERRIDE_FILE));
  const ourOverride = (o: { core?: unknown } | null): boolean =>
    o !== null && Object.keys(o).length === 1 && typeof o.core === 'string' && o.core.startsWith('./.cache/wordpress/');
  let coreDir: string | null = null;
  let wordpressVersion: string | null = null;

  // A generated override (from an offline `npm start`) names the kept site:
  // a separate environment (the e2e run) then uses its own copy of the core.
  const useLocalCore = offline || (!writeOverride && ourOverride(userOverride));
  if (useLocalCore && !(userOverride?.core && !ourOverride(userOverride))) {
    const core = ensureLocalCore(root, { log });
    if (!existsSync(join(siteDir, 'wp-includes', 'version.php'))) {
      rmSync(siteDir, { recursive: true, force: true });
      mkdirSync(join(siteDir, '..'), { recursive: true });
      cpSync(core.dir, siteDir, { recursive: true });
    }
    coreDir = siteDir;
    wordpressVersion = readWordPressVersion(siteDir);
    env.WP_ENV_CORE = siteDir;
    if (writeOverride && (!userOverride || ourOverride(userOverride))) {
      const rel = `./${relative(root, siteDir)}`;
      if (rel.startsWith('./.cache/wordpress/')) writeFileSync(join(root, OVERRIDE_FILE), `${JSON.stringify({ core: rel }, null, '\t')}\n`);
    }
    // wp-env asks wordpress.org for the latest version while it parses its
    // defaults; offline it reads the answer from this cache file instead.
    const workDir = wpEnvWorkDirectory(root, wpEnvHome);
    mkdirSync(workDir, { recursive: true });
    const cacheFile = join(workDir, 'wp-env-cache.json');
    const cache = readJson<{ latestWordPressVersion?: string }>(cacheFile) ?? {};
    if (!cache.latestWordPressVersion) {
      cache.latestWordPressVersion = cachedCoreVersion(root) ?? wordpressVersion;
      writeFileSync(cacheFile, JSON.stringify(cache));
    }
  }
  else if (!offline && writeOverride && ourOverride(userOverride)) {
    // Online again: let wp-env fetch WordPress itself, as on any machine.
    rmSync(join(root, OVERRIDE_FILE), { force: true });
  }
  return { runtime, offline, env, coreDir, wordpressVersion };
}

function wpEnv(root: string, args: string[], env: NodeJS.ProcessEnv, { timeoutMs = 300_000 } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, ...WP_ENV_BIN), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d; });
    child.stderr.on('data', (d: Buffer) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`wp-env ${args.join(' ')} failed (exit ${code}):\n${output.trim().slice(-4000)}`));
    });
  });
}

/**
 * `wp-env start` with the prepared environment. wp-env returns once WordPress
 * answers; the Playground server keeps running detached (its pid is in the
 * work folder) until `wp-env stop`. Returns { siteUrl, port }.
 */
export async function startWordPress({ root, prepared, port }: { root: string; prepared: PreparedWordPress; port?: number }): Promise<{ siteUrl: string; port: number }> {
  const env = { ...prepared.env };
  if (port) env.WP_ENV_PORT = String(port);
  const output = await wpEnv(root, ['start', `--runtime=${prepared.runtime}`], env);
  const match = output.match(/WordPress development site started at (http:\/\/\S+)/);
  const siteUrl = (match?.[1] ?? `http://localhost:${port ?? 8888}`).replace(/\/$/, '');
  return { siteUrl, port: Number(new URL(siteUrl).port || 80) };
}

/** `wp-env stop` (kills the Playground server's process group, or stops the containers). */
export async function stopWordPress({ root, prepared }: { root: string; prepared: PreparedWordPress }): Promise<void> {
  await wpEnv(root, ['stop'], prepared.env, { timeoutMs: 60_000 });
}

/** Pid of the running Playground server (its process group), or null. */
export function playgroundPid(root: string, wpEnvHome: string): number | null {
  const file = join(wpEnvWorkDirectory(root, wpEnvHome), 'playground.pid');
  const pid = Number.parseInt(existsSync(file) ? readFileSync(file, 'utf8') : '', 10);
  if (!Number.isFinite(pid)) return null;
  // A stale file from a crashed run may name a pid now used by something else.
  const cmdline = `/proc/${pid}/cmdline`;
  if (existsSync('/proc/self/cmdline')) {
    try {
      if (!readFileSync(cmdline, 'utf8').includes('wp-playground')) return null;
    } catch {
      return null;
    }
  }
  return pid;
}

