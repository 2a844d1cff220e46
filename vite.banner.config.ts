import { defineConfig, type EnvironmentOptions } from 'vite';

/**
 * The visitor banner: two IIFE files in plugin/build/banner/ —
 * head.js (inlined by the plugin in <head>, runs before any tag) and
 * banner.js (loaded with defer; exposes `window.Consentry`). The CSS is a
 * string constant injected by banner.js (about 1 KiB gzipped: not worth a request).
 * Vite's default minifier (oxc) cannot mangle properties, so terser does:
 * `_`-prefixed internals are renamed, console output and dev-only code dropped.
 */
const outDir = 'plugin/build/banner';

function iife(name: 'head' | 'banner', entry: string, global: string, first: boolean): EnvironmentOptions {
  return {
    consumer: 'client',
    build: {
      outDir,
      emptyOutDir: first,
      copyPublicDir: false,
      target: 'es2020',
      minify: 'terser',
      terserOptions: {
        ecma: 2020,
        compress: { passes: 3, drop_console: true, pure_getters: true },
        mangle: { properties: { regex: /^_[A-Za-z]/ } },
        format: { comments: false },
      },
      sourcemap: false,
      lib: { entry, name: global, formats: ['iife'], fileName: () => `${name}.js` },
    },
  };
}

export default defineConfig({
  mode: 'production',
  logLevel: 'warn',
  define: { 'import.meta.env.DEV': 'false' },
  builder: {
    async buildApp(builder) {
      await builder.build(builder.environments.head!);
      await builder.build(builder.environments.banner!);
    },
  },
  environments: {
    head: iife('head', 'src/banner/head.ts', 'ConsentryHead', true),
    banner: iife('banner', 'src/banner/index.ts', 'Consentry', false),
  },
});
