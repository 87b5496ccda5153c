import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['integration/**/*.test.ts'],
    globalSetup: ['./support/global-setup.ts'],
    environment: 'node',
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database cloned from the template, so files may run in parallel.
    pool: 'forks',
    maxWorkers: 2,
  },
});
