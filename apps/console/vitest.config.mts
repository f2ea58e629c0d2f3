import { projectConfig } from '../../vitest.shared.mjs';

export default projectConfig(import.meta.dirname, { include: ['web/**/*.spec.ts', 'test/**/*.spec.ts'], processTimeoutMs: 120_000 });
