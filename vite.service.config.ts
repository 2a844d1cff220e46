import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// The service as one ES module file that runs with plain `node` and no node_modules beside it.
export default defineConfig({
  build: {
    ssr: 'src/service/cli/main.ts',
    outDir: 'plugin/service',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:sqlite'],
      output: { format: 'es', codeSplitting: false, entryFileNames: 'consentry-service.mjs', banner: '#!/usr/bin/env node' },
    },
  },
  ssr: { noExternal: true, target: 'node' },
});
