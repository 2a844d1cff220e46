// `npm run plugin-zip`: builds everything, then packs plugin/ as consentry/
// into consentry.zip — the PHP files, readme.txt, uninstall.php, blocks/,
// build/, the service bundle with its systemd unit and nginx site, and languages/; nothing else (no tests, sources,
// source maps or dotfiles).
//   node scripts/build/plugin-zip.ts [--no-build] [--out file.zip]
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { repoRoot } from '../util.ts';
import { ensureBuilt } from './outputs.ts';
import { createZip, type ZipEntry } from './zip.ts';

const root = repoRoot;
const pluginDir = join(root, 'plugin');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(root, (outIndex >= 0 ? args[outIndex + 1] : undefined) ?? 'consentry.zip');

// What a WordPress site needs, by extension; the service folder only ships its bundle.
const SHIPPED = /\.(php|json|js|css|txt|mo|po|pot|png|svg|jpg|gif|webp|woff2?)$/i;
const SKIPPED_DIRS = new Set(['tests', 'test', 'node_modules', 'src', 'vendor-dev']);
const SERVICE_FILES = new Set(['service/consentry-service.mjs', 'service/consentry.service', 'service/consentry.nginx.conf']);
// Third-party data inside the service bundle ships with its licence and notice (repository path → path in the plugin).
const THIRD_PARTY: ReadonlyArray<[string, string]> = [
  ['third-party/open-cookie-database/LICENSE', 'service/open-cookie-database/LICENSE'],
  ['third-party/open-cookie-database/README.md', 'service/open-cookie-database/README.md'],
];

function collect(dir: string, files: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const rel = relative(pluginDir, path);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) collect(path, files);
    } else if (entry.isFile()) {
      if (rel.startsWith('service/')) {
        if (SERVICE_FILES.has(rel)) files.push(rel);
      } else if (SHIPPED.test(entry.name) && !/\.(map|d\.ts)$/.test(entry.name)) {
        // Top-level text files: only the WordPress.org readme and a license.
        if (!rel.includes('/') && /\.txt$/i.test(rel) && !/^(readme|license)\.txt$/i.test(rel)) continue;
        files.push(rel);
      }
    }
  }
  return files;
}

if (!args.includes('--no-build')) ensureBuilt(root, { all: true });

const files = collect(pluginDir);
for (const required of ['consentry.php', 'readme.txt', 'uninstall.php', 'service/consentry-service.mjs', 'service/consentry.service']) {
  if (!files.includes(required)) throw new Error(`plugin/${required} is missing: not packing an incomplete plugin`);
}
const dirs = new Set(['']);
for (const file of [...files, ...THIRD_PARTY.map(([, to]) => to)]) {
  const parts = file.split('/');
  for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
}
const entries: ZipEntry[] = [
  // The third-party folders exist only in the zip: they take the plugin folder's time.
  ...[...dirs].sort().map((dir) => ({ name: `consentry/${dir ? `${dir}/` : ''}`, mtime: statSync(join(pluginDir, existsSync(join(pluginDir, dir)) ? dir : '')).mtime })),
  ...files.map((file) => {
    const path = join(pluginDir, file);
    return { name: `consentry/${file}`, data: readFileSync(path), mtime: statSync(path).mtime };
  }),
  ...THIRD_PARTY.map(([from, to]) => ({ name: `consentry/${to}`, data: readFileSync(join(root, from)), mtime: statSync(join(root, from)).mtime })),
];
const zip = createZip(entries);
writeFileSync(out, zip);
console.log(`${out.startsWith(root) ? relative(root, out) : out}: ${files.length + THIRD_PARTY.length} files, ${(zip.length / 1024).toFixed(1)} KiB`);
