import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  // Vite reads decorator settings only from a tsconfig.json next to the sources, and this project has
  // none; without these, files with Nest decorators fail to parse.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['src/**/*.spec.ts'],
  },
});
