import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  // Vite reads decorator settings only from a tsconfig.json, which the projects do not have.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration files start a broker process and Postgres each; two cores cannot run many at once.
    fileParallelism: false,
  },
});
