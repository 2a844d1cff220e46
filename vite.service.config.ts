import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';

const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:sqlite'];
const THREAD_URL_MODULE = fileURLToPath(new URL('src/service/store/sqlite-thread-url.ts', import.meta.url));
const THREAD_ENTRY = 'src/service/store/sqlite-thread.ts';

/**
 * The SQLite store's background threads run src/service/store/sqlite-thread.ts.
 * The bundle cannot point a Worker at a source file, so their entry is built
 * on its own (node builtins only) and the module that names it,
 * sqlite-thread-url.ts, is replaced by one that holds the built code as a
 * `data:` URL: the service stays one file, and a thread loads only its own code.
 */
function backgroundThreads(): Plugin {
  return {
    name: 'consentry:sqlite-threads',
    async load(id) {
      if (id !== THREAD_URL_MODULE) return null;
      const output = await build({
        configFile: false,
        logLevel: 'warn',
        build: {
          ssr: THREAD_ENTRY,
          write: false,
          target: 'node22',
          minify: false,
          sourcemap: false,
          rollupOptions: { external, output: { format: 'es', codeSplitting: false } },
        },
        ssr: { noExternal: true, target: 'node' },
      });
      const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => ('output' in o ? o.output : []));
      const [chunk, ...more] = chunks.filter((c) => c.type === 'chunk');
      if (!chunk || more.length) throw new Error(`${THREAD_ENTRY} must build to one chunk, got ${chunks.length}`);
      return [
        '// Built from src/service/store/sqlite-thread.ts (see vite.service.config.ts).',
        `const code = ${JSON.stringify(chunk.code)};`,
        "export const THREAD_ENTRY = new URL(`data:text/javascript,${encodeURIComponent(code)}`);",
      ].join('\n');
    },
  };
}

// The service as one ES module file that runs with plain `node` and no node_modules beside it.
export default defineConfig({
  plugins: [backgroundThreads()],
  build: {
    ssr: 'src/service/cli/main.ts',
    outDir: 'plugin/service',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external,
      output: { format: 'es', codeSplitting: false, entryFileNames: 'consentry-service.mjs', banner: '#!/usr/bin/env node' },
    },
  },
  ssr: { noExternal: true, target: 'node' },
});
