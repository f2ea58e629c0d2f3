import { defineConfig } from 'vitest/config';

export interface ProjectTestOptions {
  include?: string[];
  /**
   * For suites that start processes (broker, Postgres, services): per-test deadline, and one file at a
   * time, since two cores cannot run several such files at once.
   */
  processTimeoutMs?: number;
}

/**
 * The vitest config every project shares. Decorators are set here because Vite reads decorator
 * settings only from a tsconfig.json, which the projects do not have; without them files with Nest
 * or TypeORM decorators fail to parse.
 */
export function projectConfig(root: string, options: ProjectTestOptions = {}) {
  const { include = ['src/**/*.spec.ts', 'test/**/*.spec.ts'], processTimeoutMs } = options;
  return defineConfig({
    root,
    oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
    test: {
      include,
      ...(processTimeoutMs ? { testTimeout: processTimeoutMs, hookTimeout: processTimeoutMs, fileParallelism: false } : {}),
    },
  });
}
