import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    env: { TZ: 'UTC' },
    // Property tests run hundreds of cases; five seconds is a speed test on a loaded 2-core machine.
    testTimeout: 60_000,
  },
});
