import type { Db } from '@qihub/db';
import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import { notifyUsers } from '../../lib/notify.ts';
import { findSessionUserIds, stampSessionsDueReminder } from './repository.ts';
import { beijingTime } from './views.ts';

/** How long before a session its registrants are reminded. */
export const EVENT_REMINDER_HOURS = 24;

/**
 * The day before a session (within EVENT_REMINDER_HOURS of its start), everyone registered is
 * reminded once. The session is stamped by a guarded UPDATE … RETURNING, so a concurrent sweep
 * waits on the row lock and then skips it; per-user dedupe keys make a replay harmless.
 */
export async function sendEventReminders(db: Db, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() + EVENT_REMINDER_HOURS * 3_600_000);
  return db.transaction(async (tx) => {
    const due = await stampSessionsDueReminder(tx, now, horizon);
    for (const session of due) {
      const when = beijingTime(new Date(session.starts_at));
      await notifyUsers(
        tx,
        await findSessionUserIds(tx, session.id, ['registered']),
        {
          kind: 'event_reminder',
          titleZh: `活动提醒：${session.title_zh}将于 ${when} 开始`,
          titleEn: `Reminder: ${session.title_en || session.title_zh} starts ${when} (Beijing time)`,
          bodyZh: session.venue_zh ? `地点：${session.venue_zh}` : '',
          bodyEn: session.venue_zh ? `Venue: ${session.venue_zh}` : '',
          link: `/events/${session.event_id}`,
        },
        `event-reminder:${session.id}`,
        now,
      );
    }
    return due.length;
  });
}

/** Reminders the day before an event session. */
export function eventJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  return [
    {
      name: 'events.reminders',
      handle: async () => {
        await sendEventReminders(deps.db, clock());
      },
    },
  ];
}
