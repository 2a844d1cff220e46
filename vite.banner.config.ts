import { defineConfig, type EnvironmentOptions } from 'vite';

/**
 * The visitor banner: two IIFE files in plugin/build/banner/ —
 * head.js (inlined by the plugin in <head>, runs before any tag) and
 * banner.js (loaded with defer; exposes `window.Consentry`) — and, in its
 * own folder plugin/build/display/, display.js (the display-preferences widget, loaded by the banner's opener
 * on demand; exposes `window.ConsentryDisplay`). The CSS is a
 * string constant injected by banner.js (about 1 KiB gzipped: not worth a
 * request of its own).
 *
 * Minifier: Vite 8's default, oxc. It mangles every local binding but has no
 * property mangling (terser's `mangle.properties`); the banner therefore keeps
 * its internals in module-level bindings, not object properties, so nothing is
 * left unmangled (terser measured 0.2 % smaller: not worth a dependency).
 * Debug output sits behind `import.meta.env.DEV`, defined false here, and is
 * dropped as dead code.
 */
const outDir = 'plugin/build/banner';

function iife(name: 'head' | 'banner' | 'display', entry: string, global: string, first: boolean, dir = outDir): EnvironmentOptions {
  return {
    consumer: 'client',
    build: {
      outDir: dir,
      emptyOutDir: first,
      copyPublicDir: false,
      target: 'es2020',
      minify: 'oxc',
      sourcemap: false,
      lib: { entry, name: global, formats: ['iife'], fileName: () => `${name}.js` },
      // No `Symbol.toStringTag` 'Module' on window.Consentry / ConsentryDisplay (Vite's library default): bytes for nothing.
      rolldownOptions: { output: { generatedCode: { symbols: false } } },
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
      await builder.build(builder.environments.display!);
    },
  },
  environments: {
    head: iife('head', 'src/banner/head.ts', 'ConsentryHead', true),
    banner: iife('banner', 'src/banner/index.ts', 'Consentry', false),
    display: iife('display', 'src/banner/display/index.ts', 'ConsentryDisplay', true, 'plugin/build/display'),
  },
});
