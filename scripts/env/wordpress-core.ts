// A local WordPress core for wp-env when wordpress.org cannot be reached.
//
// Debian 13 ("trixie") packages a current WordPress. We fetch its .deb files
// with apt-get into a temporary folder — a one-line apt source that reuses the
// mirror URI of this machine's Debian source and the Debian archive keyring,
// nothing installed system-wide — unpack them with `dpkg -x`, copy
// usr/share/wordpress (symlinks into the helper packages dereferenced) and the
// default theme into .cache/wordpress/core, and drop Debian's wp-config.php
// (Playground writes its own). The folder is reused when present.
import { spawnSync } from 'node:child_process';
import {
  existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync,
  readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { logToStderr, run, type Log } from '../util.ts';

const PACKAGES = [
  'wordpress',
  'wordpress-theme-twentytwentyfive',
  // The wordpress package symlinks into these four.
  'libjs-underscore',
  'libjs-lodash',
  'libjs-cropper',
  'php-getid3',
];
const SUITE = process.env.CONSENTRY_WP_DEBIAN_SUITE || 'trixie';
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
const MARKER = '.consentry-core.json';

/** The folder of the cached core (relative paths are resolved from the repo root). */
export function coreDirectory(root: string): string {
  return join(root, '.cache', 'wordpress', 'core');
}

/** Version of the cached core, or null when there is none (or it is incomplete). */
export function cachedCoreVersion(root: string): string | null {
  const dir = coreDirectory(root);
  if (!existsSync(join(dir, MARKER)) || !existsSync(join(dir, 'wp-includes', 'version.php'))) return null;
  return readWordPressVersion(dir);
}

export function readWordPressVersion(dir: string): string {
  const source = readFileSync(join(dir, 'wp-includes', 'version.php'), 'utf8');
  const match = source.match(/\$wp_version\s*=\s*'([^']+)'/);
  if (!match) throw new Error(`no $wp_version in ${dir}/wp-includes/version.php`);
  return (match[1] ?? '').replace(/-.*$/, '');
}

/** The URI of the machine's Debian mirror (from its apt sources), else deb.debian.org. */
export function debianMirrorUri(): string {
  const files: string[] = [];
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  if (existsSync('/etc/apt/sources.list.d')) {
    for (const name of readdirSync('/etc/apt/sources.list.d')) {
      if (name.endsWith('.sources') || name.endsWith('.list')) files.push(join('/etc/apt/sources.list.d', name));
    }
  }
  const candidates: string[] = [];
  for (const file of files) {
    let text;
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name: string): string | undefined => stanza.match(new RegExp(`^${name}:\\s*(.+)$`, 'mi'))?.[1]?.trim();
        if (/^\s*Enabled:\s*no/mi.test(stanza)) continue;
        const uris = field('URIs');
        const suites = field('Suites') ?? '';
        const signedBy = field('Signed-By') ?? '';
        if (uris && /debian/.test(signedBy + uris) && !/security/.test(suites)) {
          candidates.push(...uris.split(/\s+/));
        }
      }
    } else {
      for (const line of text.split('\n')) {
        const m = line.match(/^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/);
        if (m?.[1] && m[2] && !/security/.test(m[2]) && /debian/.test(m[1])) candidates.push(m[1]);
      }
    }
  }
  const uri = candidates.find((u) => /\/debian\/?$/.test(u)) ?? candidates[0] ?? 'http://deb.debian.org/debian';
  return uri.replace(/\/$/, '');
}

/**
 * Makes sure .cache/wordpress/core holds a WordPress core from Debian's
 * packages and returns { dir, version }. `log` receives progress lines.
 */
export function ensureLocalCore(root: string, { log = logToStderr }: { log?: Log } = {}): { dir: string; version: string } {
  const dir = coreDirectory(root);
  const version = cachedCoreVersion(root);
  if (version) return { dir, version };

  for (const tool of ['apt-get', 'dpkg']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(`wordpress.org is unreachable and ${tool} is missing: cannot fetch a local WordPress core from Debian's packages.`);
    }
  }
  if (!existsSync(KEYRING)) throw new Error(`${KEYRING} is missing (package debian-archive-keyring)`);

  log(`consentry: wordpress.org is unreachable; fetching WordPress from Debian ${SUITE} packages into ${relative(root, dir)}`);
  const tmp = mkdtempSync(join(tmpdir(), 'consentry-wp-'));
  try {
    const lists = join(tmp, 'lists');
    const cache = join(tmp, 'cache');
    const debs = join(tmp, 'debs');
    const unpacked = join(tmp, 'root');
    for (const d of [join(lists, 'partial'), join(cache, 'archives', 'partial'), debs, unpacked]) mkdirSync(d, { recursive: true });
    const sourceList = join(tmp, 'sources.list');
    writeFileSync(sourceList, `deb [signed-by=${KEYRING}] ${debianMirrorUri()} ${SUITE} main\n`);
    const aptOptions = [
      '-o', `Dir::Etc::SourceList=${sourceList}`,
      '-o', 'Dir::Etc::SourceParts=/dev/null',
      '-o', `Dir::State::Lists=${lists}`,
      '-o', `Dir::Cache=${cache}`,
      '-o', 'Debug::NoLocking=1',
      '-o', 'APT::Sandbox::User=root',
      '-qq',
    ];
    if (process.getuid && process.getuid() !== 0) aptOptions.splice(aptOptions.indexOf('APT::Sandbox::User=root') - 1, 2);
    const quiet = { stdio: 'pipe' } as const;
    run('apt-get', [...aptOptions, 'update'], quiet);
    run('apt-get', [...aptOptions, 'download', ...PACKAGES], { ...quiet, cwd: debs });
    for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb'))) {
      run('dpkg', ['-x', join(debs, deb), unpacked], quiet);
    }

    const wordpress = join(unpacked, 'usr', 'share', 'wordpress');
    fixAbsoluteSymlinks(wordpress, unpacked);
    const staging = `${dir}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(join(root, '.cache', 'wordpress'), { recursive: true });
    // cp -rL dereferences every link (node's cpSync keeps links below the top).
    run('cp', ['-rL', wordpress, staging], quiet);
    const themes = join(unpacked, 'usr', 'share', 'wordpress', 'wp-content', 'themes');
    if (existsSync(themes)) run('cp', ['-rL', `${themes}/.`, join(staging, 'wp-content', 'themes')], quiet);
    rmSync(join(staging, 'wp-config.php'), { force: true });
    rmSync(join(staging, '.htaccess'), { force: true });
    const got = readWordPressVersion(staging);
    writeFileSync(join(staging, MARKER), `${JSON.stringify({ version: got, source: `debian ${SUITE}`, packages: readdirSync(debs) }, null, 2)}\n`);
    // Another process may have finished the same download meanwhile: keep its copy.
    const other = cachedCoreVersion(root);
    if (other) {
      rmSync(staging, { recursive: true, force: true });
      return { dir, version: other };
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    log(`consentry: WordPress ${got} ready in ${relative(root, dir)}`);
    return { dir, version: got };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// Debian's package links some files to absolute paths (/etc/..., /usr/share/...).
// Point them into the unpacked tree when the target is there, else keep the
// host's file when it exists, else drop the link.
function fixAbsoluteSymlinks(dir: string, unpackedRoot: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      const target = readlinkSync(path);
      if (!target.startsWith('/')) {
        if (!existsSync(path)) unlinkSync(path);
        continue;
      }
      const inside = join(unpackedRoot, target);
      unlinkSync(path);
      if (existsSync(inside)) symlinkSync(inside, path);
      else if (existsSync(target)) symlinkSync(target, path);
    } else if (entry.isDirectory() && !lstatSync(path).isSymbolicLink()) {
      fixAbsoluteSymlinks(path, unpackedRoot);
    }
  }
}
