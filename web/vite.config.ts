import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  server: { port: 3000, strictPort: true },
  build: {
    // The timing report is about SvelteKit's own plugins and only adds noise to the build log.
    rolldownOptions: { checks: { bundlerTimings: false } },
    // ECharts (echarts/core with bar and line charts, ~540 kB) is one chunk that only the chart pages
    // load, in the browser, after the page shows (Chart.svelte imports it in onMount).
    chunkSizeWarningLimit: 600,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/test-setup.ts'],
    // Property tests run hundreds of cases; five seconds is a speed test on a loaded 2-core machine.
    testTimeout: 60_000,
  },
});
