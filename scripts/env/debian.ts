// Debian packages the tests need, installed with apt-get when missing (as root).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logToStderr, repoRoot, type Log } from '../util.ts';

/** A Debian package, and how to tell it is installed. */
export interface DebianPackage {
  name: string;
  present: () => boolean;
}

const hasPostgres = () => existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
const onPath = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/**
 * Servers the service tests start themselves: Redis (shared rate limits), PostgreSQL (the second store) and
 * nginx (the production recipe's reverse proxy, run from a temporary config, never as the system's service);
 * and the php CLI, with which unit tests read the generated PHP facts.
 */
export const TEST_SERVERS: DebianPackage[] = [
  { name: 'redis-server', present: () => onPath('redis-server') },
  { name: 'postgresql', present: hasPostgres },
  { name: 'nginx', present: () => existsSync('/usr/sbin/nginx') },
  { name: 'php-cli', present: () => onPath('php') },
];

/**
 * Installs the missing packages in one apt-get run: as root, `apt-get update`
 * then `apt-get install -y`; otherwise throws with what to run.
 */
export function ensureDebianPackages(packages: DebianPackage[], { log = logToStderr }: { log?: Log } = {}): void {
  const missing = packages.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(', ')}. As root: apt-get update && apt-get install -y ${missing.join(' ')}`);
  }
  log(`consentry: installing ${missing.join(', ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.error?.message})`);
  }
  const still = packages.filter((p) => !p.present()).map((p) => p.name);
  if (still.length) throw new Error(`apt-get ran but ${still.join(', ')} is still missing`);
}

/** Whether dpkg has the package installed. */
const installed = (name: string): boolean => spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes('install ok installed') === true;

/**
 * Native PHP for the plugin benchmark (scripts/bench/plugin.ts): Debian 12's
 * PHP 8.2 CLI (its built-in server) with opcache and the extensions WordPress
 * and the SQLite Database Integration drop-in use.
 */
export const BENCH_PHP: DebianPackage[] = ['php8.2-cli', 'php8.2-opcache', 'php8.2-sqlite3', 'php8.2-mbstring', 'php8.2-xml']
  .map((name) => ({ name, present: () => installed(name) }));

/**
 * Debian's promtool (package `prometheus`), unpacked into .cache/prometheus
 * without installing or starting the Prometheus service: `apt-get download`
 * then `dpkg -x`. Answers its path, or null with the reason when it cannot be had.
 */
export function ensurePromtool({ cacheDir = join(repoRoot, '.cache'), log = logToStderr }: { cacheDir?: string; log?: Log } = {}): { path: string | null; reason?: string } {
  if (onPath('promtool')) return { path: 'promtool' };
  const target = join(cacheDir, 'prometheus');
  const path = join(target, 'usr', 'bin', 'promtool');
  if (existsSync(path)) return { path };
  const work = mkdtempSync(join(tmpdir(), 'consentry-promtool-'));
  try {
    log('consentry: fetching promtool (apt-get download prometheus)…');
    let result = spawnSync('apt-get', ['download', '-qq', 'prometheus'], { cwd: work, encoding: 'utf8' });
    if (result.status !== 0) return { path: null, reason: `apt-get download prometheus failed: ${result.stderr || result.error?.message}` };
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
    if (!deb) return { path: null, reason: 'apt-get download left no .deb' };
    mkdirSync(target, { recursive: true });
    result = spawnSync('dpkg', ['-x', join(work, deb), target], { encoding: 'utf8' });
    if (result.status !== 0 || !existsSync(path)) return { path: null, reason: `dpkg -x failed: ${result.stderr}` };
    return { path };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
