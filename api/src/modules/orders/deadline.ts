import type { DbOrTx, Order, QuoteTerms } from '@qihub/db';
import { refreshHolidayCalendar } from '../availability/index.ts';
import { addWorkingDays } from './workingdays.ts';

const EXPEDITE_HOURS = { h72: 72, h24: 24, h8: 8 } as const;
export type Expedite = keyof typeof EXPEDITE_HOURS;

/** Due instant from the clock start: expedite hours, or a tier of working days. */
function dueAtFor(order: Pick<Order, 'expedite' | 'deadlineTierDays'>, clockStart: Date): Date | null {
  if (order.expedite !== 'none') return new Date(clockStart.getTime() + EXPEDITE_HOURS[order.expedite] * 3_600_000);
  if (order.deadlineTierDays) return addWorkingDays(clockStart, order.deadlineTierDays);
  return null;
}

/**
 * The due instant promised when the clock starts, counted on the holiday calendar in force now
 * (re-checked against the database, so a year just entered through another process counts).
 */
export async function promiseDueAt(
  tx: DbOrTx,
  order: Pick<Order, 'expedite' | 'deadlineTierDays'>,
  clockStart: Date,
): Promise<Date | null> {
  if (order.expedite === 'none' && order.deadlineTierDays) await refreshHolidayCalendar(tx);
  return dueAtFor(order, clockStart);
}

/** Completion stamps when a deliverable (or report) is issued: on time or late, waiver, objection window. */
export function issueStamps(order: Order, terms: Pick<QuoteTerms, 'objectionDays'>, now: Date): Partial<Order> {
  const objectionUntil = new Date(now.getTime() + terms.objectionDays * 86_400_000);
  // Only the first issue decides on time and the waiver (as for reports): a redelivery after an
  // upheld objection is rework, not the deadline the customer paid an expedite surcharge for.
  if (order.reportIssuedAt !== null) return { objectionUntil };
  const onTime = order.dueAt === null ? null : now.getTime() <= order.dueAt.getTime();
  const waive = onTime === false && order.surchargeFen > 0;
  return {
    reportIssuedAt: now,
    onTime,
    ...(waive ? { surchargeWaived: true, totalFen: order.subtotalFen } : {}),
    objectionUntil,
  };
}
