import { projectConfig } from '../../vitest.shared.mjs';

export default projectConfig(import.meta.dirname, { include: ['src/**/*.e2e.spec.ts'], processTimeoutMs: 120_000 });
