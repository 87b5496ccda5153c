import type { Db, Order, Tx } from '@qihub/db';
import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import { AppError } from '../../lib/errors.ts';
import { localDate } from '../../lib/time.ts';
import { paidInvoiceOrders } from '../invoices/index.ts';
import { continueAccepted } from './acceptance.ts';
import { notifySide } from './notify.ts';
import { closeIssuedOrder } from './objections.ts';
import { findOpenObjection } from './repository/objections.ts';
import {
  endedObjectionWindowIds,
  findOrder,
  lapsedQuoteIds,
  ordersMayBeDue,
  stampAlertOnce,
} from './repository/orders.ts';
import { transitionOrder } from './transition.ts';
import { dueReminderFrom } from './workingdays.ts';
import { refreshHolidayCalendar } from '../availability/index.ts';

/** Runs one sweep step per order in its own transaction; an order another worker already moved is skipped. */
async function each(db: Db, ids: string[], step: (tx: Tx, order: Order) => Promise<boolean>) {
  let done = 0;
  for (const id of ids) {
    try {
      const changed = await db.transaction(async (tx) => {
        const order = await findOrder(tx, id, { forUpdate: true });
        return order ? step(tx, order) : false;
      });
      if (changed) done += 1;
    } catch (error) {
      // Lost the race to another sweep (or a person): nothing to do for this order.
      if (error instanceof AppError && error.status === 409) continue;
      throw error;
    }
  }
  return done;
}

/** How many orders a sweep reads at a time; it loops until none is left. */
export const ORDER_SWEEP_BATCH = 200;

/**
 * Due orders, `batchSize` at a time in id order, each batch handed to `handle`; the next batch
 * starts after the last id seen, so an order that stays due (another worker holds it, or its step
 * refused) is not read again in this run and the loop always ends.
 */
async function inBatches<T extends { id: string }>(
  batchSize: number,
  next: (afterId: string | null, limit: number) => Promise<T[]>,
  handle: (batch: T[]) => Promise<number>,
): Promise<number> {
  let done = 0;
  let after: string | null = null;
  for (;;) {
    const batch = await next(after, batchSize);
    done += await handle(batch);
    if (batch.length < batchSize) return done;
    after = batch[batch.length - 1]!.id;
  }
}

/** Quotes past their validity date (China date) expire; the customer is told. */
export async function expireQuotes(db: Db, now: Date, batchSize = ORDER_SWEEP_BATCH): Promise<number> {
  const today = localDate(now);
  return inBatches(
    batchSize,
    (after, limit) => lapsedQuoteIds(db, today, after, limit),
    (batch) =>
      each(
        db,
        batch.map((r) => r.id),
        async (tx, order) => {
          if (order.status !== 'quoted' || !order.quoteValidUntil || order.quoteValidUntil >= today) return false;
          const updated = await transitionOrder(
            tx,
            order,
            ['quoted'],
            'expired',
            { actor: null, side: 'system', action: 'order.quote_expired', data: { validUntil: order.quoteValidUntil } },
            {},
            now,
          );
          await notifySide(tx, updated, 'customer', {
            at: now,
            kind: 'order_quote_expired',
            titleZh: `订单 ${order.number} 的报价已过期`,
            titleEn: `The quote for order ${order.number} has expired`,
            bodyZh: `报价有效期至 ${order.quoteValidUntil}；如仍需服务，请重新提交申请。`,
            bodyEn: `It was valid until ${order.quoteValidUntil}; request the service again if you still need it.`,
          });
          return true;
        },
      ),
  );
}

const OPEN: Order['status'][] = ['accepted', 'samples_received', 'in_progress', 'report_review'];

/**
 * Due-date reminders to the lab's managers and staff: once from the working day before the due day,
 * and an overdue alert once the due time has passed with no report issued. Each is stamped on the
 * order with a guarded UPDATE, so two sweeps never send one twice.
 */
export async function sendDueAlerts(
  db: Db,
  now: Date,
  batchSize = ORDER_SWEEP_BATCH,
): Promise<{ reminders: number; overdue: number }> {
  // Only orders that may be due for one of the two: overdue and not yet alerted, or not yet
  // reminded and due within REMINDER_HORIZON_DAYS (the working day before the due day is never
  // that far back, not even across the Spring Festival), so an order due in months is not read.
  const horizon = new Date(now.getTime() + REMINDER_HORIZON_DAYS * 86_400_000);
  // The reminder day is a working day of the calendar as entered, wherever it was entered.
  await refreshHolidayCalendar(db);
  let reminders = 0;
  let overdue = 0;
  await inBatches(
    batchSize,
    (after, limit) => ordersMayBeDue(db, OPEN, now, horizon, after, limit),
    async (batch) => {
      for (const order of batch) {
        const sent = await alertOrder(db, order, now);
        if (sent === 'overdue') overdue += 1;
        if (sent === 'reminder') reminders += 1;
      }
      return batch.length;
    },
  );
  return { reminders, overdue };
}

/** The overdue alert or the due reminder for one order, if either is due and not yet sent. */
async function alertOrder(db: Db, order: Order, now: Date): Promise<'overdue' | 'reminder' | null> {
  const dueAt = order.dueAt!;
  if (now.getTime() > dueAt.getTime() && order.overdueAlertAt === null) {
    return db.transaction(async (tx) => {
      if (!(await stampAlertOnce(tx, order.id, 'overdueAlertAt', OPEN, now))) return null;
      await notifySide(tx, order, 'lab', {
        at: now,
        kind: 'order_overdue',
        titleZh: `订单 ${order.number} 已超期`,
        titleEn: `Order ${order.number} is overdue`,
        bodyZh: `约定完成时间 ${localDate(dueAt)} 已过，报告尚未签发。${order.surchargeFen > 0 ? '加急费将自动减免。' : ''}`,
        bodyEn: `It was due on ${localDate(dueAt)} and no report is issued yet.${order.surchargeFen > 0 ? ' The expedite surcharge will be waived.' : ''}`,
      });
      return 'overdue';
    });
  }
  if (
    order.dueReminderAt === null &&
    now.getTime() <= dueAt.getTime() &&
    now.getTime() >= dueReminderFrom(dueAt).getTime()
  ) {
    return db.transaction(async (tx) => {
      if (!(await stampAlertOnce(tx, order.id, 'dueReminderAt', OPEN, now))) return null;
      await notifySide(tx, order, 'lab', {
        at: now,
        kind: 'order_due_soon',
        titleZh: `订单 ${order.number} 即将到期`,
        titleEn: `Order ${order.number} is due soon`,
        bodyZh: `约定完成时间：${localDate(dueAt)}。`,
        bodyEn: `Due on ${localDate(dueAt)}.`,
      });
      return 'reminder';
    });
  }
  return null;
}

/** How far ahead of its due time an order can be due for its reminder (see sendDueAlerts). */
const REMINDER_HORIZON_DAYS = 30;

/** Issued reports whose objection window has passed with no open objection: the order closes. */
export async function closeObjectionWindows(db: Db, now: Date, batchSize = ORDER_SWEEP_BATCH): Promise<number> {
  return inBatches(
    batchSize,
    (after, limit) => endedObjectionWindowIds(db, now, after, limit),
    (batch) =>
      each(
        db,
        batch.map((r) => r.id),
        async (tx, order) => {
          if (order.status !== 'report_issued' || !order.objectionUntil || order.objectionUntil >= now) return false;
          if (await findOpenObjection(tx, order.id)) return false;
          await closeIssuedOrder(
            tx,
            order,
            { actor: null, side: 'system', data: { objectionWindowEnded: true } },
            now,
            'customer',
            {
              bodyZh: '异议期已结束，欢迎对本次服务进行评价。',
              bodyEn: 'The objection period has ended; you may now rate the service.',
            },
          );
          return true;
        },
      ),
  );
}

/**
 * `invoices.paid`: the orders charged on the invoice that still wait in `accepted` under prepay go
 * on as acceptance would have (to awaiting_samples, or in_progress with the clock started now).
 * Idempotent: an order already moved on (a replay, a second worker) is left alone.
 */
export async function continuePaidOrders(db: Db, invoiceId: string, now: Date): Promise<number> {
  const paid = await paidInvoiceOrders(db, invoiceId);
  if (!paid || paid.invoice.terms !== 'prepay') return 0;
  return each(db, paid.orderIds, async (tx, order) => {
    if (order.status !== 'accepted') return false;
    await continueAccepted(tx, order, { actor: null, side: 'system' }, now);
    await notifySide(tx, order, 'lab', {
      at: now,
      kind: 'order_paid',
      titleZh: `订单 ${order.number} 已付款，可开始`,
      titleEn: `Order ${order.number} is paid: work can start`,
      bodyZh: order.needsSamples ? '预付款已到账，等待送样。' : '预付款已到账，可开始工作。',
      bodyEn: order.needsSamples
        ? 'The prepayment has arrived; samples are on their way.'
        : 'The prepayment has arrived; work can start.',
    });
    return true;
  });
}

/**
 * `invoices.prepay-released`: the lab voided the prepay invoice these orders waited for and billed
 * them without prepayment; those still in `accepted` go on as a payment would have moved them.
 * Idempotent like `continuePaidOrders`.
 */
export async function continueReleasedOrders(db: Db, orderIds: string[], now: Date): Promise<number> {
  return each(db, orderIds, async (tx, order) => {
    if (order.status !== 'accepted') return false;
    await continueAccepted(tx, order, { actor: null, side: 'system' }, now);
    await notifySide(tx, order, 'lab', {
      at: now,
      kind: 'order_released',
      titleZh: `订单 ${order.number} 已免预付，可开始`,
      titleEn: `Order ${order.number} released from prepayment: work can start`,
      bodyZh: order.needsSamples
        ? '预付款已免除，费用另行结算；等待送样。'
        : '预付款已免除，费用另行结算；可开始工作。',
      bodyEn: order.needsSamples
        ? 'Prepayment released; the amount is billed on delivery or monthly. Samples are on their way.'
        : 'Prepayment released; the amount is billed on delivery or monthly. Work can start.',
    });
    return true;
  });
}

/** Order sweeps: quote expiry, due-date reminders and overdue alerts, objection-window close. */
export function orderJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  return [
    { name: 'orders.expire-quotes', handle: async () => void (await expireQuotes(deps.db, clock())) },
    { name: 'orders.due-alerts', handle: async () => void (await sendDueAlerts(deps.db, clock())) },
    {
      name: 'orders.close-objection-windows',
      handle: async () => void (await closeObjectionWindows(deps.db, clock())),
    },
    {
      name: 'invoices.paid',
      handle: async (payload) =>
        void (await continuePaidOrders(deps.db, (payload as { invoiceId: string }).invoiceId, clock())),
    },
    {
      name: 'invoices.prepay-released',
      handle: async (payload) =>
        void (await continueReleasedOrders(deps.db, (payload as { orderIds: string[] }).orderIds, clock())),
    },
  ];
}
