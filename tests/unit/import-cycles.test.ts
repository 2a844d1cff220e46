// No module of src/ may import itself back through others, type imports included: a cycle makes the load order
// decide what a module sees, and hides which part depends on which.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const SCRIPTS = join(ROOT, 'scripts');
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.jsx', '.mjs'];
// import … from '…', export … from '…', import '…', import('…'), require('…')
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function existing(path: string): string | null {
  for (const candidate of [path, ...EXTENSIONS.map((ext) => path + ext), ...EXTENSIONS.map((ext) => join(path, `index${ext}`))]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch { /* try the next */ }
  }
  return null;
}

/** The files below `within` (default src/) a file imports: relative specifiers and the package's `#shared/*` alias. */
function importsOf(file: string, within = SRC): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = new Set<string>();
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[2]!;
    let target: string | null = null;
    if (specifier.startsWith('.')) target = existing(resolve(dirname(file), specifier));
    else if (specifier.startsWith('#shared/')) target = existing(join(SRC, 'shared', specifier.slice('#shared/'.length)));
    if (target?.startsWith(within)) found.add(target);
  }
  return [...found];
}

/** Every cycle's strongly connected set of files (Tarjan), as paths relative to the repository. */
function importCycles(files: string[], edges: (file: string) => string[] = importsOf): string[][] {
  const graph = new Map(files.map((file) => [file, edges(file)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) cycles.push(component.map((f) => relative(ROOT, f)).sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

/**
 * Cycles being taken apart, each with who owns it. The test fails on any other
 * cycle, and on a listed one that is gone (so the entry is removed).
 */
const KNOWN_CYCLES: string[][] = [];

describe('imports in src/', () => {
  it('form no cycle, type imports included', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    expect(importCycles(files)).toEqual(KNOWN_CYCLES);
  });

  it('keep the service\'s layers apart: the domain imports neither HTTP nor a store, HTTP and storage not each other', () => {
    const part = (file: string) => /^src\/service\/(domain|http|store)\//.exec(relative(ROOT, file))?.[1] ?? null;
    const forbidden: Record<string, string[]> = { domain: ['http', 'store'], http: ['store'], store: ['http'] };
    const crossings = sourceFiles(SRC).flatMap((file) => importsOf(file)
      .filter((to) => forbidden[part(file) ?? '']?.includes(part(to) ?? ''))
      .map((to) => `${relative(ROOT, file)} -> ${relative(ROOT, to)}`));
    expect(crossings).toEqual([]);
  });

  it('finds a cycle when there is one (the routes importing app.ts, as they did)', () => {
    const app = join(SRC, 'service/http/app.ts');
    expect(importsOf(app)).toContain(join(SRC, 'service/http/routes/sites.ts'));
    expect(importsOf(join(SRC, 'service/http/routes/sites.ts'))).not.toContain(app);
    // The walker itself: a graph with the old edge added back must report it.
    const files = sourceFiles(SRC);
    const withOldEdge = importCycles(files, (file) => (file.endsWith('routes/sites.ts') ? [...importsOf(file), app] : importsOf(file)));
    expect(withOldEdge.flat()).toEqual(expect.arrayContaining(['src/service/http/app.ts', 'src/service/http/routes/sites.ts']));
  });
});

describe('imports in scripts/', () => {
  it('form no cycle, type imports included', () => {
    const files = sourceFiles(SCRIPTS);
    expect(files.length).toBeGreaterThan(10);
    expect(importCycles(files, (file) => importsOf(file, SCRIPTS))).toEqual([]);
  });
});
