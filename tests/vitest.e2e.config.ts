import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['./support/global-setup.ts'],
    environment: 'node',
    env: { TZ: 'UTC' },
    // Generous: a journey waits for conditions, never for a time, and a loaded machine is slow.
    testTimeout: 300_000,
    hookTimeout: 240_000,
    // expect.poll waits for a page to get there; vitest's default of one second is a speed test.
    expect: { poll: { timeout: 60_000, interval: 250 } },
    fileParallelism: false,
    // One worker runs the files one after another in one module graph: the API, Playwright and the
    // rest are imported once, not once per file (seconds each). Each file still has its own database,
    // servers and browser (support/browser.ts), and the support modules keep no state between files.
    isolate: false,
    // No retries: the journeys run on a clock of their own (support/journey-clock.ts), so a failure
    // is a failure on any day, and a retry would only hide it.
  },
});
