// Throwaway WordPress sites on native PHP (Debian's php8.2), for measuring
// what the plugin costs a page to the millisecond.
//
// A site is: a copy of the cached Debian WordPress core (scripts/env/wordpress-core.ts),
// the SQLite Database Integration plugin from @wp-playground/cli installed as
// the db.php drop-in (its db.copy with the placeholders filled, as its README
// says), a copy of plugin/ as wp-content/plugins/consentry, installed with
// wp_install() by a small PHP script, and served by `php -S` with opcache on.
// Nothing here reads outside the repository except the temporary folder given.
import { spawn, spawnSync, type SpawnOptions, type SpawnSyncOptions } from 'node:child_process';
import {
  cpSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { BENCH_PHP, ensureDebianPackages } from '../env/debian.ts';
import { ensureLocalCore } from '../env/wordpress-core.ts';
import { logToStderr, waitFor, type Log } from '../util.ts';

export const PHP = 'php8.2';
export const PLUGIN_FILE = 'consentry/consentry.php';
const SQLITE_ZIP = 'node_modules/@wp-playground/cli/sqlite-database-integration.zip';
const SQLITE_DIR = 'sqlite-database-integration';
export const PROBE = 'consentry-bench-probe.php';
const TIMER = 'consentry-bench-timer.php';

/**
 * php.ini settings of the served sites: opcache on and never re-checking files
 * (they do not change during a run), no JIT (Debian's default), the whole page
 * buffered so its first byte leaves only when PHP has finished with it (the CLI
 * server otherwise streams output as it is printed, and a time to first byte
 * would then stop at the <head>), errors logged, not printed.
 */
export function phpServerIni(errorLog: string): Record<string, string> {
  return {
    'opcache.enable': '1',
    'opcache.enable_cli': '1',
    'opcache.validate_timestamps': '0',
    'opcache.memory_consumption': '128',
    'opcache.interned_strings_buffer': '16',
    'opcache.max_accelerated_files': '20000',
    'opcache.jit': 'disable',
    output_buffering: 'On',
    display_errors: '0',
    log_errors: '1',
    error_log: errorLog,
    memory_limit: '256M',
  };
}
const iniArgs = (ini: Record<string, string>): string[] => Object.entries(ini).flatMap(([k, v]) => ['-d', `${k}=${v}`]);

/** Installs Debian's PHP 8.2 (CLI, opcache, SQLite, mbstring, XML) when missing; returns the binary. */
export function ensureNativePhp({ log = logToStderr }: { log?: Log } = {}): { php: string; version: string } {
  ensureDebianPackages(BENCH_PHP, { log });
  const version = spawnSync(PHP, ['-r', 'echo PHP_VERSION;'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error(`${PHP} does not run: ${version.stderr || version.error?.message}`);
  return { php: PHP, version: version.stdout.trim() };
}

function php(args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(PHP, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${PHP} ${args.join(' ')} failed (${result.status ?? result.error?.message}):\n${`${result.stdout}${result.stderr}`.slice(-3000)}`);
  }
  return String(result.stdout);
}

/** Like php(), without blocking the event loop (the stand-in service must answer meanwhile). */
function phpAsync(args: string[], options: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PHP, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => { out += c; });
    child.stderr?.on('data', (c: Buffer) => { out += c; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${PHP} ${args.join(' ')} failed (${code}):\n${out.slice(-3000)}`));
    });
  });
}

const wpConfig = ({ url }: { url: string }): string => `<?php
// Throwaway benchmark site (scripts/bench/native-wordpress.ts).
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', '' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', '' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'DB_DIR', __DIR__ . '/wp-content/database/' );
define( 'DB_FILE', '.ht.sqlite' );
$table_prefix = 'wp_';
foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as $consentry_bench_key ) {
	define( $consentry_bench_key, 'consentry-bench-' . strtolower( $consentry_bench_key ) );
}
define( 'WP_HOME', '${url}' );
define( 'WP_SITEURL', '${url}' );
// Cron would spawn a loopback request from some pages: a random extra cost on
// either side. Both sites run without it.
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_DEBUG', false );
define( 'WP_ENVIRONMENT_TYPE', 'production' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`;

/**
 * Run once with the CLI in the site's folder: installs WordPress, then puts the
 * plugin in the state of a site connected to a service (the connection options
 * and the cached banner config, written by the plugin's own code, as the
 * connect route does), then leaves it active or deactivated. A deactivated
 * plugin keeps its options, so both sites hold the same data.
 */
const INSTALL_PHP = String.raw`<?php
$consentry_bench = json_decode( getenv( 'CONSENTRY_BENCH_SITE' ), true );
define( 'WP_INSTALLING', true );
$_SERVER['HTTP_HOST']   = parse_url( $consentry_bench['url'], PHP_URL_HOST ) . ':' . parse_url( $consentry_bench['url'], PHP_URL_PORT );
$_SERVER['REQUEST_URI'] = '/';
require __DIR__ . '/wp-load.php';
// No mail: the machine has no sendmail.
function wp_new_blog_notification() {}
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

$result = wp_install( 'Benchmark site', 'admin', 'admin@example.com', true, '', 'consentry-bench-password' );
if ( is_wp_error( $result ) || empty( $result['user_id'] ) ) {
	fwrite( STDERR, "wp_install failed\n" );
	exit( 1 );
}
update_option( 'permalink_structure', '' );
// From here on, a normal request: while installing, transients live in the object cache only.
wp_installing( false );
wp_cache_flush();

$activated = activate_plugin( '${PLUGIN_FILE}' );
if ( is_wp_error( $activated ) ) {
	fwrite( STDERR, 'activate_plugin: ' . $activated->get_error_message() . "\n" );
	exit( 1 );
}
// plugins_loaded has run: boot by hand, like the next request would.
Consentry\Plugin::boot();
Consentry\Settings::save_connection( $consentry_bench['serviceUrl'], 'ck_test_' . str_repeat( 'b', 40 ), $consentry_bench['siteId'], $consentry_bench['publicKey'] );
Consentry\Banner_Config::clear();
if ( null === Consentry\Banner_Config::refresh() ) {
	fwrite( STDERR, "the plugin could not fetch the banner config from the stand-in service\n" );
	exit( 1 );
}
// The first page would store the defaults of the settings option: do it now.
Consentry\Settings::settings();
// The copy stays fresh for the whole run (a real site refetches it every five
// minutes, after one page: not what a median measures).
$cached            = get_transient( Consentry\Banner_Config::TRANSIENT );
$cached['expires'] = time() + 30 * DAY_IN_SECONDS;
set_transient( Consentry\Banner_Config::TRANSIENT, $cached );

if ( ! $consentry_bench['active'] ) {
	deactivate_plugins( '${PLUGIN_FILE}' );
}
wp_cache_flush();
echo wp_json_encode(
	array(
		'active'   => is_plugin_active( '${PLUGIN_FILE}' ),
		'version'  => get_bloginfo( 'version' ),
		'autoload' => array_keys( array_filter( wp_load_alloptions( true ), static fn( $k ) => str_contains( $k, 'consentry' ), ARRAY_FILTER_USE_KEY ) ),
	)
);
`;

/** Activates (argv[1] = 1) or deactivates the plugin; run with the CLI in the site's folder. */
const TOGGLE_PHP = String.raw`<?php
$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
if ( '1' === $argv[1] ) {
	$result = activate_plugin( '${PLUGIN_FILE}', '', false, true );
	if ( is_wp_error( $result ) ) {
		fwrite( STDERR, $result->get_error_message() . "
" );
		exit( 1 );
	}
} else {
	deactivate_plugins( '${PLUGIN_FILE}', true );
}
wp_cache_flush();
echo is_plugin_active( '${PLUGIN_FILE}' ) ? 'active' : 'inactive';
`;
const TOGGLE = 'consentry-bench-toggle.php';

/**
 * Activates or deactivates the plugin of a built site (an option in its
 * database: a running server sees it from its next request on). Silent, as
 * WP-CLI does it: the plugin has no activation hooks, and its options stay.
 */
export function setPluginActive(dir: string, active: boolean): void {
  const out = php([join(dir, TOGGLE), active ? '1' : '0'], { cwd: dir }).trim();
  if (out !== (active ? 'active' : 'inactive')) throw new Error(`could not ${active ? 'activate' : 'deactivate'} the plugin in ${dir}: ${out}`);
}

/** What PROBE_PHP reports. */
export interface Probe {
  php: string;
  sapi: string;
  opcache: boolean;
  cachedScripts: number;
  hits: number;
  misses: number;
  cacheFull: boolean | null;
  validateTimes: string;
  outputBuffering: string;
  jit: boolean;
}

/** Reports what the benchmark needs to trust a server: opcache on and busy, whole-page buffering. */
const PROBE_PHP = `<?php
header( 'Content-Type: application/json' );
$status = function_exists( 'opcache_get_status' ) ? opcache_get_status( false ) : false;
echo json_encode(
	array(
		'php'             => PHP_VERSION,
		'sapi'            => PHP_SAPI,
		'opcache'         => is_array( $status ) && ! empty( $status['opcache_enabled'] ),
		'cachedScripts'   => is_array( $status ) ? $status['opcache_statistics']['num_cached_scripts'] : 0,
		'hits'            => is_array( $status ) ? $status['opcache_statistics']['hits'] : 0,
		'misses'          => is_array( $status ) ? $status['opcache_statistics']['misses'] : 0,
		'cacheFull'       => is_array( $status ) ? $status['cache_full'] : null,
		'validateTimes'   => ini_get( 'opcache.validate_timestamps' ),
		'outputBuffering' => ini_get( 'output_buffering' ),
		'jit'             => is_array( $status ) && ! empty( $status['jit']['on'] ),
	)
);
`;

/**
 * Prepended to every request of both sites: the request's own time in PHP,
 * wall clock and CPU (user + system) of the PHP process, and its number of
 * database queries, in a response header.
 * Its output handler is the outermost one PHP flushes last (after the shutdown
 * hooks and WordPress's own buffers), so it sees the whole request; the times
 * do not include the built-in server's accept and parse (the same on both sides).
 */
export const TIMER_HEADER = 'x-consentry-bench';
const TIMER_PHP = `<?php
$consentry_bench_t0   = hrtime( true );
$consentry_bench_r0   = getrusage();
ob_start(
	static function ( $buffer, $phase ) use ( $consentry_bench_t0, $consentry_bench_r0 ) {
		if ( $phase & PHP_OUTPUT_HANDLER_FINAL ) {
			$r   = getrusage();
			$cpu = ( $r['ru_utime.tv_sec'] - $consentry_bench_r0['ru_utime.tv_sec'] + $r['ru_stime.tv_sec'] - $consentry_bench_r0['ru_stime.tv_sec'] ) * 1e6
				+ $r['ru_utime.tv_usec'] - $consentry_bench_r0['ru_utime.tv_usec'] + $r['ru_stime.tv_usec'] - $consentry_bench_r0['ru_stime.tv_usec'];
			$queries = isset( $GLOBALS['wpdb'] ) ? (int) $GLOBALS['wpdb']->num_queries : -1;
			header( '${TIMER_HEADER}: wall=' . round( ( hrtime( true ) - $consentry_bench_t0 ) / 1e3 ) . ';cpu=' . $cpu . ';queries=' . $queries );
		}
		return $buffer;
	}
);
`;

/**
 * A tracker snippet printed by "the theme" on both sites (as an mu-plugin), so
 * the plugin's server-side blocking has the work it has on a typical site: on
 * the site with the plugin active it comes out blocked (type="text/plain").
 */
const TRACKER_MU_PLUGIN = `<?php
// Both benchmark sites: a Google Analytics tag, as a site's theme would print it.
add_action( 'wp_head', static function () {
	echo "<script async src=\\"https://www.googletagmanager.com/gtag/js?id=G-BENCH00000\\"></script>\\n";
	echo "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'G-BENCH00000');</script>\\n";
} );
`;

/** The body of the service's GET /api/v1/banner/<publicKey>, as far as the stand-in answers it. */
export interface BannerConfig {
  siteId: string;
  publicKey: string;
  config: Record<string, unknown>;
  categories: Array<Record<string, unknown>>;
}

/** A banner config like the service's for a new site (its three seed categories), plus texts and colours. */
export function sampleBannerConfig(publicKey: string, siteId: string): BannerConfig {
  const category = (
    key: string, nameEn: string, descriptionEn: string, isRequired: boolean, sortOrder: number, wpConsentCategory: string, cookies: string[],
    tr: { name: string; description: string },
  ) => ({
    key, nameEn, descriptionEn, translations: { tr }, isRequired, isDefault: isRequired, sortOrder, wpConsentCategory, cookies, blockPatterns: [],
  });
  return {
    siteId,
    publicKey,
    config: {
      policyVersion: '1',
      consentLifetimeDays: 182,
      defaultLanguage: 'en',
      texts: { en: { title: 'We value your privacy', privacyPolicyUrl: 'https://example.com/privacy' } },
      colors: { primary: '#1d4ed8' },
      position: 'bottom',
      layout: 'bar',
      floatingButton: true,
    },
    categories: [
      category('necessary', 'Necessary', 'Needed for the site to work: security, the consent choice itself, sign-in. Always on.', true, 0, 'functional', [],
        { name: 'Zorunlu', description: 'Sitenin çalışması için gerekli: güvenlik, onay tercihinin kendisi, oturum açma. Her zaman açık.' }),
      category('analytics', 'Analytics', 'Helps us understand how the site is used, through anonymous statistics.', false, 1, 'statistics',
        ['_ga', '_ga_*', '_gid', '_gat*', '_hjSession*', '_hjSessionUser*', '_clck', '_clsk'],
        { name: 'Analitik', description: 'Sitenin nasıl kullanıldığını anonim istatistiklerle anlamamıza yardımcı olur.' }),
      category('marketing', 'Marketing', 'Used to show relevant advertising and measure campaigns across sites.', false, 2, 'marketing', ['_fbp', '_fbc', '_gcl_*'],
        { name: 'Pazarlama', description: 'İlgili reklamları göstermek ve kampanyaları siteler arasında ölçmek için kullanılır.' }),
    ],
  };
}

export interface StandInService {
  url: string;
  counts: { banner: number; other: number };
  /** Requests answered so far. */
  requests(): number;
  stop(): Promise<void>;
}

/**
 * A stand-in for the Consentry service: answers GET /api/v1/banner/<publicKey>
 * with `config` and counts every request, so a caller can prove pages made none.
 */
export async function startStandInService(config: BannerConfig): Promise<StandInService> {
  const counts = { banner: 0, other: 0 };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === `/api/v1/banner/${encodeURIComponent(config.publicKey)}`) {
      counts.banner++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(config));
      return;
    }
    counts.other++;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"success":false,"error":{"code":"RESOURCE_NOT_FOUND","message":"not here","details":null,"request_id":"bench","documentation_url":""}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    requests: () => counts.banner + counts.other,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What the install script reports. */
export interface SiteReport {
  active: boolean;
  version: string;
  /** The plugin's autoloaded options. */
  autoload: string[];
}

export interface SiteOptions {
  root: string;
  dir: string;
  /** http://127.0.0.1:<port> */
  url: string;
  active: boolean;
  serviceUrl: string;
  siteId: string;
  publicKey: string;
  log?: Log;
}

/**
 * Builds one site in `dir` for `url`, the plugin active or deactivated,
 * connected to `serviceUrl`.
 */
export async function buildSite({ root, dir, url, active, serviceUrl, siteId, publicKey, log = () => {} }: SiteOptions): Promise<SiteReport> {
  const core = ensureLocalCore(root, { log });
  cpSync(core.dir, dir, { recursive: true });
  const content = join(dir, 'wp-content');
  const plugins = join(content, 'plugins');
  mkdirSync(join(content, 'database'), { recursive: true });
  mkdirSync(join(content, 'mu-plugins'), { recursive: true });

  // SQLite Database Integration: the plugin folder, and its db.copy as wp-content/db.php.
  const zip = join(root, SQLITE_ZIP);
  if (!existsSync(zip)) throw new Error(`${SQLITE_ZIP} is missing (npm install)`);
  const unpacked = join(dir, '.sqlite-unpacked');
  // PharData reads zip archives without the zip extension.
  php(['-r', '$a = new PharData($argv[1]); $a->extractTo($argv[2], null, true);', zip, unpacked]);
  cpSync(join(unpacked, 'plugin-sqlite-database-integration'), join(plugins, SQLITE_DIR), { recursive: true });
  const dropIn = readFileSync(join(plugins, SQLITE_DIR, 'db.copy'), 'utf8')
    .replaceAll('{SQLITE_IMPLEMENTATION_FOLDER_PATH}', join(plugins, SQLITE_DIR))
    .replaceAll('{SQLITE_PLUGIN}', `${SQLITE_DIR}/load.php`);
  writeFileSync(join(content, 'db.php'), dropIn);

  // The plugin as its zip ships it (the service folder holds only its bundle; nothing reads it on a page).
  cpSync(join(root, 'plugin'), join(plugins, 'consentry'), {
    recursive: true,
    filter: (src) => !src.includes(`${join(root, 'plugin', 'service')}/`) || src.endsWith('consentry-service.mjs'),
  });

  writeFileSync(join(dir, 'wp-config.php'), wpConfig({ url }));
  writeFileSync(join(content, 'mu-plugins', 'bench-tracker.php'), TRACKER_MU_PLUGIN);
  const installer = join(dir, 'consentry-bench-install.php');
  writeFileSync(installer, INSTALL_PHP);
  const out = await phpAsync([installer], {
    cwd: dir,
    env: { ...process.env, CONSENTRY_BENCH_SITE: JSON.stringify({ url, active, serviceUrl, siteId, publicKey }) },
  });
  const report = JSON.parse(out.slice(out.indexOf('{'))) as SiteReport;
  if (report.active !== active) throw new Error(`the plugin is ${report.active ? 'active' : 'inactive'} in ${dir}, wanted the opposite`);
  writeFileSync(join(dir, PROBE), PROBE_PHP);
  writeFileSync(join(dir, TIMER), TIMER_PHP);
  writeFileSync(join(dir, TOGGLE), TOGGLE_PHP);
  return report;
}

export interface SiteServer {
  url: string;
  probe(): Promise<Probe>;
  /** What PHP logged as errors so far. */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * Serves `dir` with `php -S` on `port` (the built-in server: one process, one
 * request at a time, every request a full PHP request like under php-fpm).
 * Resolves when the probe answers.
 */
export async function serveSite({ dir, port, logFile }: { dir: string; port: number; logFile: string }): Promise<SiteServer> {
  const errorLog = `${logFile}.php-errors`;
  const out = openSync(logFile, 'a');
  // One process, one request at a time (no forked workers).
  const env = { ...process.env };
  delete env.PHP_CLI_SERVER_WORKERS;
  const ini = { ...phpServerIni(errorLog), auto_prepend_file: join(dir, TIMER) };
  const child = spawn(PHP, [...iniArgs(ini), '-S', `127.0.0.1:${port}`, '-t', dir], {
    cwd: dir,
    stdio: ['ignore', out, out],
    env,
  });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  child.once('exit', (code, signal) => { exited = { code, signal }; });
  const url = `http://127.0.0.1:${port}`;
  const probe = async (): Promise<Probe> => {
    const response = await fetch(`${url}/${PROBE}`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`probe: HTTP ${response.status}`);
    return await response.json() as Probe;
  };
  await waitFor(`php -S on port ${port}`, probe, {
    timeoutMs: 20_000,
    check: () => { if (exited) throw new Error(`php -S exited (${JSON.stringify(exited)}): see ${logFile}`); },
  });
  return {
    url,
    probe,
    errors: () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''),
    stop: () => new Promise<void>((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

