// Builds every part into plugin/: the service bundle, the banner and the admin app.
// `node scripts/build/build.ts [service|banner|admin ...]` builds only the parts named.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot as root } from '../util.ts';
import { buildable, PARTS, type Part } from './outputs.ts';

const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

const commands: Record<Part, string[][]> = {
  service: [[bin('vite'), 'build', '--config', 'vite.service.config.ts', '--logLevel', 'warn']],
  banner: [[bin('vite'), 'build', '--config', 'vite.banner.config.ts', '--logLevel', 'warn']],
  admin: [
    [bin('wp-scripts'), 'build', '--webpack-src-dir=src/admin', '--output-path=plugin/build/admin'],
    // Then the admin app's Turkish JSON (fails on missing translations).
    [process.execPath, join(root, 'scripts', 'build', 'admin-i18n.ts')],
  ],
};

const isPart = (name: string): name is Part => (PARTS as readonly string[]).includes(name);

// First the files generated from src/shared (PHP facts, the banner's tracker list): committed, rewritten here.
const facts = spawnSync(process.execPath, [join(root, 'scripts', 'build', 'facts.ts')], { cwd: root, stdio: 'inherit' });
if (facts.status !== 0) process.exit(facts.status ?? 1);

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : PARTS) {
  if (!isPart(name)) throw new Error(`unknown part "${name}"; parts: ${PARTS.join(', ')}`);
  if (!buildable(root, name)) continue;
  console.log(`build: ${name}`);
  for (const [command, ...args] of commands[name]) {
    const result = spawnSync(command!, args, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  if (name === 'banner') printBannerSizes();
}

/** What a visitor downloads, gzipped: the banner (head.js + banner.js) against its 8 KiB budget, the widget against its own. */
function printBannerSizes(): void {
  const gz = (file: string, folder = 'banner'): number => {
    const path = join(root, 'plugin', 'build', folder, file);
    return existsSync(path) ? gzipSync(readFileSync(path), { level: 9 }).length : 0;
  };
  const banner = gz('head.js') + gz('banner.js');
  const display = gz('display.js', 'display');
  console.log(`banner: head.js + banner.js ${banner} B gzipped (budget 8192 B)${banner > 8192 ? ' OVER BUDGET' : ''}; ` +
    `display.js ${display} B gzipped (budget 8192 B)${display > 8192 ? ' OVER BUDGET' : ''}`);
}
