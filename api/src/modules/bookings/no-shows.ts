import type { Db, DbOrTx } from '@qihub/db';
import { DEFAULT_POLICY } from '../availability/index.ts';
import { noShowText } from './booking-messages.ts';
import { markNoShow } from './lifecycle.ts';
import { factsOf } from './reminders.ts';
import * as repo from './repository.ts';
import { notifyEach } from '../../lib/notify.ts';

/**
 * No-show release: each confirmed booking nobody checked in by start + its policy's late-void time
 * becomes `no_show` (no longer active, so its unit and operator are free to book again), with a
 * violation, a system audit entry and a notification to the person who booked — one transaction
 * per booking, so one bad row cannot hold the others back. `markNoShow` re-checks everything under
 * the row lock, and the notification's dedupe key refuses a second copy, so a repeated or
 * concurrent sweep changes nothing more. Returns how many bookings were released.
 */
export async function releaseNoShows(db: Db, now: Date, batchSize = 100): Promise<number> {
  let released = 0;
  let failure: unknown;
  for (;;) {
    const ids = await repo.dueNoShows(db, now, batchSize);
    let round = 0;
    for (const id of ids) {
      try {
        const done = await db.transaction(async (tx) => {
          const after = await markNoShow(tx, id, now);
          if (!after) return false;
          await notifyNoShow(tx, id, now);
          return true;
        });
        if (done) round += 1;
      } catch (error) {
        // The others still go; the sweep reports the failure afterwards (and runs again next time).
        failure ??= error;
      }
    }
    released += round;
    // A full batch that released nothing would come back unchanged: never spin on it.
    if (ids.length < batchSize || round === 0) break;
  }
  if (failure !== undefined) throw failure;
  return released;
}

async function notifyNoShow(tx: DbOrTx, bookingId: string, now: Date) {
  const row = await repo.findBookingForNotice(tx, bookingId);
  if (!row) return;
  const policy = { ...DEFAULT_POLICY, ...row.policy };
  await notifyEach(
    tx,
    [
      {
        userId: row.user_id,
        ...noShowText(factsOf(row), policy.lateVoidMinutes),
        dedupeKey: `booking:${bookingId}:no-show`,
      },
    ],
    now,
  );
}
