import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  // Vite reads decorator settings only from a tsconfig.json next to the sources, and this project has
  // none; without these, files with Nest or TypeORM decorators fail to parse.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files boot Nest apps and one starts Postgres; two cores cannot run many at once.
    fileParallelism: false,
  },
});
