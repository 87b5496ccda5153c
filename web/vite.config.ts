import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  server: { port: 3000, strictPort: true },
  build: {
    // The timing report is about SvelteKit's own plugins and only adds noise to the build log.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Property tests run hundreds of cases; five seconds is a speed test on a loaded 2-core machine.
    testTimeout: 60_000,
  },
});
