import { defineConfig } from 'vitest/config';

/** What every browser file runs with, alone or beside another. */
const journey = {
  environment: 'node',
  env: { TZ: 'UTC' },
  // Generous: a journey waits for conditions, never for a time, and a loaded machine is slow.
  testTimeout: 300_000,
  hookTimeout: 240_000,
  // expect.poll waits for a page to get there; vitest's default of one second is a speed test.
  expect: { poll: { timeout: 60_000, interval: 250 } },
  // A worker runs its files one after another in one module graph: the API, Playwright and the rest
  // are imported once per worker, not once per file (seconds each). Each file still has its own
  // database, servers on free ports and browser (support/browser.ts), and the support modules keep no
  // state between files.
  isolate: false,
  // No retries: the journeys run on a clock of their own (support/journey-clock.ts), so a failure
  // is a failure on any day, and a retry would only hide it.
} as const;

// The README's start command takes fixed ports (3000, 3001, 5433) and builds the web app itself.
const FRONT_DOOR = 'e2e/front-door.test.ts';

export default defineConfig({
  test: {
    // Once for the whole run (both groups below): the template database every file clones.
    globalSetup: ['./support/global-setup.ts'],
    projects: [
      {
        test: {
          ...journey,
          name: 'journeys',
          include: ['e2e/**/*.test.ts'],
          exclude: [FRONT_DOOR],
          // Two files side by side: a journey waits on its browser, its web server and PostgreSQL much
          // of the time, so a second one fills the other core. Each file has its own ports and database.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...journey,
          name: 'front-door',
          include: [FRONT_DOOR],
          // After the journeys, alone: it builds the web app and starts a PostgreSQL of its own.
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
