import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['./support/global-setup.ts'],
    environment: 'node',
    env: { TZ: 'UTC' },
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    // One retry for a browser journey that trips on a loaded shared CI machine; a real failure
    // fails twice, and the retry is reported.
    retry: 1,
  },
});
