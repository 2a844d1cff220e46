// What scripts/build/build.ts makes, and building what is missing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { logToStderr, run, type Log } from '../util.ts';

export const PARTS = ['service', 'banner', 'admin'] as const;
export type Part = (typeof PARTS)[number];

/** The file each part's build writes. */
export const BUILD_OUTPUTS: Record<Part, string> = {
  service: 'plugin/service/consentry-service.mjs',
  banner: 'plugin/build/banner/banner.js',
  admin: 'plugin/build/admin/index.js',
};

/** True when there is something to build for `part` (its config or entry exists). */
export function buildable(root: string, part: Part): boolean {
  if (part === 'admin') return ['index.js', 'index.tsx'].some((f) => existsSync(join(root, 'src', 'admin', f)));
  return existsSync(join(root, `vite.${part}.config.ts`));
}

/** Builds the parts whose output is missing (all of them with { all: true }); returns the parts built. */
export function ensureBuilt(root: string, { all = false, log = logToStderr }: { all?: boolean; log?: Log } = {}): Part[] {
  const parts = all ? [] : PARTS.filter((part) => buildable(root, part) && !existsSync(join(root, BUILD_OUTPUTS[part])));
  if (!all && parts.length === 0) return [];
  log(`consentry: building ${all ? 'everything' : parts.join(', ')}…`);
  run(process.execPath, [join(root, 'scripts', 'build', 'build.ts'), ...parts], { cwd: root });
  return all ? [...PARTS] : parts;
}
