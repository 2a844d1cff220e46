import { defineConfig } from 'vite';
import { NODE_BUILTINS, sqliteThreads } from './scripts/build/sqlite-threads.ts';

/**
 * The oldest Node.js the bundle runs on: node:sqlite without a flag. Written into the bundle's second line, where
 * the plugin's Connection screen reads it (plugin/includes/class-setup-guide.php); keep that line's shape.
 */
const NODE_MIN = '22.13.0';

// The service as one ES module file that runs with plain `node` and no node_modules beside it.
export default defineConfig({
  plugins: [sqliteThreads()],
  build: {
    ssr: 'src/service/cli/main.ts',
    outDir: 'plugin/service',
    // The folder also holds the recipes kept in git (consentry.service, consentry.nginx.conf); the build writes one file.
    emptyOutDir: false,
    target: 'node22',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external: NODE_BUILTINS,
      output: { format: 'es', codeSplitting: false, entryFileNames: 'consentry-service.mjs', banner: `#!/usr/bin/env node\n// consentry-service: needs Node.js >= ${NODE_MIN}` },
    },
  },
  ssr: { noExternal: true, target: 'node' },
});
