// Debian packages the tests need, installed with apt-get when missing (as root).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { logToStderr, type Log } from '../util.ts';

/** A Debian package, and how to tell it is installed. */
export interface DebianPackage {
  name: string;
  present: () => boolean;
}

const hasPostgres = () => existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
const onPath = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** Servers the service tests start themselves: Redis (shared rate limits) and PostgreSQL (the second store). */
export const TEST_SERVERS: DebianPackage[] = [
  { name: 'redis-server', present: () => onPath('redis-server') },
  { name: 'postgresql', present: hasPostgres },
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
