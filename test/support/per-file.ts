import { afterAll, vi } from 'vitest';

// The in-process project's files share their worker's modules and globals (vitest.config.ts: `isolate: false`), so
// what one file leaves switched on would reach the next file in the same worker. Vitest itself restores mocks
// between files; this restores the rest a test may change.
afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});
