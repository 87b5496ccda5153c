import type { JobDeps } from '../../jobs/handlers.ts';
import type { JobHandler } from '../../jobs/registry.ts';

/** Order sweeps: quote expiry, due-date reminders and overdue alerts, objection-window close. */
export function orderJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  void deps;
  void clock;
  return [
    { name: 'orders.expire-quotes', handle: async () => {} },
    { name: 'orders.due-alerts', handle: async () => {} },
    { name: 'orders.close-objection-windows', handle: async () => {} },
  ];
}
