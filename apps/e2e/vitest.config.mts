import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ['src/**/*.e2e.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Every file starts a whole stack (Postgres, broker, services): one at a time on two cores.
    fileParallelism: false,
  },
});
