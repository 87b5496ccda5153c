import { DateTime } from 'luxon';
import type { Db } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { notFound } from '../../lib/errors.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { addWorkingDays } from '../orders/index.ts';
import { isSignatory, MONEY_SECTIONS, TODAY_SECTIONS, todayFigures, type TodayWindow } from './repository.ts';
import type { Today } from './schema.ts';

export interface TodayDeps {
  db: Db;
  clock: () => Date;
}

/** Rows listed per section: the page shows the first few and links to the whole queue. */
export const TODAY_LIST_LIMIT = 5;

/**
 * The lab's day on the app clock, in China time (the labs' zone and the one working days are counted
 * in): today's date and its bounds, and the end of the next working day for "due" orders — the
 * same horizon as the orders module's due reminder (sent from the working day before the due day).
 */
export function todayWindow(now: Date): TodayWindow {
  const local = DateTime.fromJSDate(now, { zone: PLATFORM_TIME_ZONE });
  return {
    now,
    dayStart: local.startOf('day').toJSDate(),
    dayEnd: local.startOf('day').plus({ days: 1 }).toJSDate(),
    dueBy: addWorkingDays(now, 1),
    today: local.toISODate()!,
  };
}

/**
 * What needs doing today at a lab, for one of its members: every section's count and its first
 * rows. Anyone outside the lab gets 404 (whether the lab exists is not revealed). The money sections
 * are for the members who keep the books (managers and staff); operators see the rest. A staff
 * member is the lab's reviewer (tester, reviewer and signatory are three people; the manager signs):
 * their console opens on the review queue.
 */
export async function labToday(deps: TodayDeps, actor: Actor | null, labId: string): Promise<Today> {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw notFound('lab');
  const books = m.role === 'manager' || m.role === 'staff';
  const wanted = TODAY_SECTIONS.filter((k) => books || !MONEY_SECTIONS.includes(k));
  const w = todayWindow(deps.clock());
  const [{ counts, rows }, signatory] = await Promise.all([
    todayFigures(deps.db, labId, w, wanted, TODAY_LIST_LIMIT),
    a.userId ? isSignatory(deps.db, labId, a.userId) : Promise.resolve(false),
  ]);
  return {
    labId,
    date: w.today,
    timeZone: PLATFORM_TIME_ZONE,
    dueBy: w.dueBy.toISOString(),
    role: m.role,
    signatory,
    landing: m.role === 'staff' ? 'reviews' : 'today',
    sections: wanted.map((key) => ({
      key,
      count: counts.get(key) ?? 0,
      items: rows
        .filter((r) => r.section === key)
        .map((r) => ({
          id: r.id,
          orderId: r.orderId,
          ref: r.ref,
          titleZh: r.titleZh,
          titleEn: r.titleEn,
          customerZh: r.customerZh,
          customerEn: r.customerEn,
          person: r.person,
          at: r.at?.toISOString() ?? null,
          until: r.until?.toISOString() ?? null,
          date: r.date,
          amount: r.amount === null ? null : { amount: r.amount, currency: 'CNY' },
          status: r.status,
        })),
    })),
  };
}
