// Builds every part into plugin/: the service bundle, the banner and the admin app.
// `node scripts/build.mjs [service|banner|admin ...]` builds only the parts named.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;

const parts = {
  service: [bin('vite'), 'build', '--config', 'vite.service.config.ts', '--logLevel', 'warn'],
  banner: [bin('vite'), 'build', '--config', 'vite.banner.config.ts', '--logLevel', 'warn'],
  admin: [bin('wp-scripts'), 'build', '--webpack-src-dir=src/admin', '--output-path=plugin/build/admin'],
};
// Follow-up steps: the admin app's Turkish JSON (fails on missing translations).
const after = { admin: [process.execPath, `${root}scripts/admin-i18n.mjs`] };

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(parts)) {
  const command = parts[name];
  if (!command) throw new Error(`unknown part "${name}"; parts: ${Object.keys(parts).join(', ')}`);
  if (name !== 'admin' && !existsSync(`${root}${command[3]}`)) continue;
  if (name === 'admin' && !existsSync(`${root}src/admin/index.js`) && !existsSync(`${root}src/admin/index.tsx`)) continue;
  console.log(`build: ${name}`);
  const result = spawnSync(command[0], command.slice(1), { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  if (after[name]) {
    const followUp = spawnSync(after[name][0], after[name].slice(1), { cwd: root, stdio: 'inherit' });
    if (followUp.status !== 0) process.exit(followUp.status ?? 1);
  }
}
