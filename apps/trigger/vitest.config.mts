import { projectConfig } from '../../vitest.shared.mjs';

export default projectConfig(import.meta.dirname, { processTimeoutMs: 60_000 });
