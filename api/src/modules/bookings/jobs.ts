import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import { releaseNoShows } from './no-shows.ts';
import { sendDueReminders } from './reminders.ts';
import { expireHolds } from './repository.ts';
import { runWaitlistSweep } from './waitlist.ts';

/** The booking sweeps: hold expiry, reminders, no-show release and the waitlist hand-over. */
export function bookingJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  return [
    {
      name: 'bookings.expire-holds',
      handle: async () => {
        // Guarded by status and expiry, so running it twice (or on two workers) changes nothing more.
        await expireHolds(deps.db, clock());
      },
    },
    {
      name: 'bookings.send-reminders',
      handle: async () => {
        await sendDueReminders(deps.db, clock());
      },
    },
    {
      name: 'bookings.release-no-shows',
      handle: async () => {
        await releaseNoShows(deps.db, clock());
      },
    },
    {
      name: 'bookings.waitlist-sweep',
      // Idempotent and safe beside another worker's run (row locks, a per-instrument try-lock).
      handle: async () => {
        await runWaitlistSweep(deps.db, clock());
      },
    },
  ];
}
