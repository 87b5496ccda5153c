import { and, eq, inArray, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { eventRegistrations, type Db } from '@qihub/db';
import type { JobDeps } from '../../jobs/registry.ts';
import type { JobHandler } from '../../jobs/registry.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { notifyUsers } from '../../lib/notify.ts';

/** How long before a session its registrants are reminded. */
export const EVENT_REMINDER_HOURS = 24;

interface DueSession extends Record<string, unknown> {
  id: string;
  event_id: string;
  starts_at: Date | string;
  title_zh: string;
  title_en: string;
  venue_zh: string;
}

/**
 * The day before a session (within EVENT_REMINDER_HOURS of its start), everyone registered is
 * reminded once. The session is stamped by a guarded UPDATE … RETURNING, so a concurrent sweep
 * waits on the row lock and then skips it; per-user dedupe keys make a replay harmless.
 */
export async function sendEventReminders(db: Db, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() + EVENT_REMINDER_HOURS * 3_600_000);
  return db.transaction(async (tx) => {
    const due = await tx.execute<DueSession>(sql`
      UPDATE event_sessions s SET reminder_sent_at = ${now.toISOString()}::timestamptz
      FROM events e
      WHERE e.id = s.event_id AND e.status = 'published' AND s.reminder_sent_at IS NULL
        AND s.starts_at > ${now.toISOString()}::timestamptz AND s.starts_at <= ${horizon.toISOString()}::timestamptz
      RETURNING s.id, s.event_id, s.starts_at, e.title_zh, e.title_en, e.venue_zh`);
    for (const session of due.rows) {
      const registered = await tx
        .select({ userId: eventRegistrations.userId })
        .from(eventRegistrations)
        .where(and(eq(eventRegistrations.sessionId, session.id), inArray(eventRegistrations.status, ['registered'])));
      const when = DateTime.fromJSDate(new Date(session.starts_at), { zone: PLATFORM_TIME_ZONE }).toFormat(
        'yyyy-MM-dd HH:mm',
      );
      await notifyUsers(
        tx,
        registered.map((r) => r.userId),
        {
          kind: 'event_reminder',
          titleZh: `活动提醒：${session.title_zh}将于 ${when} 开始`,
          titleEn: `Reminder: ${session.title_en || session.title_zh} starts ${when} (Beijing time)`,
          bodyZh: session.venue_zh ? `地点：${session.venue_zh}` : '',
          bodyEn: session.venue_zh ? `Venue: ${session.venue_zh}` : '',
          link: `/events/${session.event_id}`,
        },
        `event-reminder:${session.id}`,
      );
    }
    return due.rows.length;
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
