import type { JobDeps } from '../../jobs/handlers.ts';
import type { JobHandler } from '../../jobs/registry.ts';

/** Reminders the day before an event session. */
export function eventJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  void deps;
  void clock;
  return [{ name: 'events.reminders', handle: async () => {} }];
}
