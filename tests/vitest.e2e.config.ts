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
  },
});
