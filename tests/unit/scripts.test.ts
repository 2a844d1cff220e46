// The project's scripts (scripts/**/*.ts) and the SQLite store's thread modules
// run in Node as they are, with their types stripped: only erasable syntax, and
// relative imports that name their .ts file. (No import cycle in scripts/:
// import-cycles.test.ts.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/util.ts';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The relative modules a file imports: static imports and re-exports, dynamic
 * imports, and (unless `loaded`) the type-only ones, which Node erases.
 */
function relativeImports(file: string, { loaded = false } = {}): string[] {
  const source = readFileSync(file, 'utf8');
  const statements = [
    ...[...source.matchAll(/^(?:import|export)\s+(type\s)?[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm)].map((m) => ({ typeOnly: Boolean(m[1]), specifier: m[2]! })),
    ...[...source.matchAll(/(?:\bimport\s*\(\s*|^import\s+)'(\.{1,2}\/[^']+)'/gm)].map((m) => ({ typeOnly: false, specifier: m[1]! })),
  ];
  return statements.filter((s) => !(loaded && s.typeOnly)).map((s) => resolve(dirname(file), s.specifier));
}

/** The modules Node loads from a set of entry files, following their relative imports. */
function closure(entries: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...relativeImports(file, { loaded: true }).filter((f) => f.endsWith('.ts')));
  }
  return [...seen].sort();
}

const scripts = tsFiles(join(repoRoot, 'scripts'));
const threadModules = closure([join(repoRoot, 'src', 'service', 'store', 'sqlite-thread.ts')]);
const rel = (file: string): string => relative(repoRoot, file);

describe('scripts and worker modules run in Node without a build', () => {
  it.each([...scripts, ...threadModules].map(rel))('%s uses only erasable TypeScript syntax', (file) => {
    expect(() => stripTypeScriptTypes(readFileSync(join(repoRoot, file), 'utf8'))).not.toThrow();
  });

  it('their relative imports name existing .ts files', () => {
    const wrong = [...scripts, ...threadModules].flatMap((file) => relativeImports(file)
      .filter((target) => !target.endsWith('.ts') || !statSync(target, { throwIfNoEntry: false })?.isFile())
      .map((target) => `${rel(file)} -> ${rel(target)}`));
    expect(wrong).toEqual([]);
  });

  it('the store threads load no module beyond their own', () => {
    expect(threadModules.map(rel)).toEqual([
      'src/service/store/sqlite-audit.ts',
      'src/service/store/sqlite-checkpointer.ts',
      'src/service/store/sqlite-thread.ts',
    ]);
  });
});
