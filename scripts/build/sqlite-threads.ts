// The SQLite store's background threads run src/service/store/sqlite-thread.ts,
// and scans run src/service/scanner/scan-worker.ts in a thread of their own.
// A bundle cannot point a Worker at a source file, so this Vite plugin builds
// each entry on its own (node builtins only) and replaces the module that names
// it (sqlite-thread-url.ts, scan-worker-url.ts) by one that holds the built code
// as a `data:` URL.
// The service build uses it (the service stays one file, and a thread loads
// only its own code), and so do the Vitest projects, so that the tests run the
// threads as they ship (and start them as fast: no types to strip).
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build, type Plugin } from 'vite';
import { repoRoot } from '../util.ts';

/** Node's own modules: left to Node by every service build. */
export const NODE_BUILTINS: string[] = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:sqlite'];

/** Module naming a thread's entry (it exports THREAD_ENTRY) → that entry. */
const THREADS = new Map([
  [join(repoRoot, 'src', 'service', 'store', 'sqlite-thread-url.ts'), join(repoRoot, 'src', 'service', 'store', 'sqlite-thread.ts')],
  [join(repoRoot, 'src', 'service', 'scanner', 'scan-worker-url.ts'), join(repoRoot, 'src', 'service', 'scanner', 'scan-worker.ts')],
]);

/** A thread's entry as one ES module's code. */
async function buildThread(entry: string): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: entry,
      write: false,
      target: 'node22',
      minify: false,
      sourcemap: false,
      rollupOptions: { external: NODE_BUILTINS, output: { format: 'es', codeSplitting: false } },
    },
    ssr: { noExternal: true, target: 'node' },
  });
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => ('output' in o ? o.output : []));
  const [chunk, ...more] = chunks.filter((c) => c.type === 'chunk');
  if (!chunk || more.length) throw new Error(`${entry} must build to one chunk, got ${chunks.length}`);
  return chunk.code;
}

export function sqliteThreads(): Plugin {
  const code = new Map<string, Promise<string>>();
  return {
    name: 'consentry:sqlite-threads',
    // Vitest keeps transformed modules on disk, keyed by their own text; these stand for other files (the thread's
    // code), so they are never taken from that cache (else a test would run a thread as it was before a change).
    configureVitest({ defineCacheKeyGenerator }: { defineCacheKeyGenerator: (key: (m: { id: string }) => string | false | undefined) => void }) {
      defineCacheKeyGenerator(({ id }) => (THREADS.has(id) ? false : undefined));
    },
    async load(id) {
      const entry = THREADS.get(id);
      if (!entry) return null;
      if (!code.has(entry)) code.set(entry, buildThread(entry));
      return [
        `// Built from ${entry.slice(repoRoot.length).replace(/^\//, '')} (scripts/build/sqlite-threads.ts).`,
        `const code = ${JSON.stringify(await code.get(entry))};`,
        "export const THREAD_ENTRY = new URL(`data:text/javascript,${encodeURIComponent(code)}`);",
      ].join('\n');
    },
  };
}
