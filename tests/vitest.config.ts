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
    // A worker keeps its imported modules from one file to the next: each file has its own database,
    // app and servers, made in its hooks, and nothing is kept in module state between files. Importing
    // the API afresh for each of the ~95 files cost some 540 s of the workers' time (22 s this way).
    isolate: false,
  },
});
