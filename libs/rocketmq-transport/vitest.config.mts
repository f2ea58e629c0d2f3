import { projectConfig } from '../../vitest.shared.mjs';

// Specs live in test/ (unit specs in test/unit/), never in src/: src is what users copy and compile.
export default projectConfig(import.meta.dirname, { include: ['test/**/*.spec.ts'], processTimeoutMs: 60_000 });
