import { defineConfig } from 'vite';

// The front end is bundled at build time into dist/web, which the console server serves: no CDN at run time.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 300 },
});
