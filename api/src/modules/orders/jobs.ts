import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { orderObjections, orders, type Db, type Order } from '@qihub/db';
import type { JobDeps } from '../../jobs/handlers.ts';
import type { JobHandler } from '../../jobs/registry.ts';
import { AppError } from '../../lib/errors.ts';
import { localDate } from '../../lib/time.ts';
import { notifySide } from './notify.ts';
import { transitionOrder } from './transition.ts';
import { dueReminderFrom } from './workingdays.ts';

/** Runs one sweep step per order in its own transaction; an order another worker already moved is skipped. */
async function each(
  db: Db,
  ids: string[],
  step: (tx: Parameters<Parameters<Db['transaction']>[0]>[0], order: Order) => Promise<boolean>,
) {
  let done = 0;
  for (const id of ids) {
    try {
      const changed = await db.transaction(async (tx) => {
        const [order] = await tx.select().from(orders).where(eq(orders.id, id)).limit(1).for('update');
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

/** Quotes past their validity date (China date) expire; the customer is told. */
export async function expireQuotes(db: Db, now: Date): Promise<number> {
  const today = localDate(now);
  const due = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, 'quoted'), lt(orders.quoteValidUntil, today)));
  return each(
    db,
    due.map((r) => r.id),
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
        kind: 'order_quote_expired',
        titleZh: `订单 ${order.number} 的报价已过期`,
        titleEn: `The quote for order ${order.number} has expired`,
        bodyZh: `报价有效期至 ${order.quoteValidUntil}；如仍需服务，请重新提交申请。`,
        bodyEn: `It was valid until ${order.quoteValidUntil}; request the service again if you still need it.`,
      });
      return true;
    },
  );
}

const OPEN: Order['status'][] = ['accepted', 'samples_received', 'in_progress', 'report_review'];

/**
 * Due-date reminders to the lab's managers and staff: once from the working day before the due day,
 * and an overdue alert once the due time has passed with no report issued. Each is stamped on the
 * order with a guarded UPDATE, so two sweeps never send one twice.
 */
export async function sendDueAlerts(db: Db, now: Date): Promise<{ reminders: number; overdue: number }> {
  const candidates = await db
    .select()
    .from(orders)
    .where(
      and(
        inArray(orders.status, OPEN),
        isNotNull(orders.dueAt),
        or(isNull(orders.dueReminderAt), isNull(orders.overdueAlertAt)),
      ),
    );
  let reminders = 0;
  let overdue = 0;
  for (const order of candidates) {
    const dueAt = order.dueAt!;
    if (now.getTime() > dueAt.getTime() && order.overdueAlertAt === null) {
      await db.transaction(async (tx) => {
        const [stamped] = await tx
          .update(orders)
          .set({ overdueAlertAt: now })
          .where(and(eq(orders.id, order.id), isNull(orders.overdueAlertAt), inArray(orders.status, OPEN)))
          .returning();
        if (!stamped) return;
        overdue += 1;
        await notifySide(tx, order, 'lab', {
          kind: 'order_overdue',
          titleZh: `订单 ${order.number} 已超期`,
          titleEn: `Order ${order.number} is overdue`,
          bodyZh: `约定完成时间 ${localDate(dueAt)} 已过，报告尚未签发。${order.surchargeFen > 0 ? '加急费将自动减免。' : ''}`,
          bodyEn: `It was due on ${localDate(dueAt)} and no report is issued yet.${order.surchargeFen > 0 ? ' The expedite surcharge will be waived.' : ''}`,
        });
      });
    } else if (
      order.dueReminderAt === null &&
      now.getTime() <= dueAt.getTime() &&
      now.getTime() >= dueReminderFrom(dueAt).getTime()
    ) {
      await db.transaction(async (tx) => {
        const [stamped] = await tx
          .update(orders)
          .set({ dueReminderAt: now })
          .where(and(eq(orders.id, order.id), isNull(orders.dueReminderAt), inArray(orders.status, OPEN)))
          .returning();
        if (!stamped) return;
        reminders += 1;
        await notifySide(tx, order, 'lab', {
          kind: 'order_due_soon',
          titleZh: `订单 ${order.number} 即将到期`,
          titleEn: `Order ${order.number} is due soon`,
          bodyZh: `约定完成时间：${localDate(dueAt)}。`,
          bodyEn: `Due on ${localDate(dueAt)}.`,
        });
      });
    }
  }
  return { reminders, overdue };
}

/** Issued reports whose objection window has passed with no open objection: the order closes. */
export async function closeObjectionWindows(db: Db, now: Date): Promise<number> {
  const due = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.status, 'report_issued'),
        lt(orders.objectionUntil, now),
        sql`NOT EXISTS (SELECT 1 FROM ${orderObjections} WHERE ${orderObjections.orderId} = ${orders.id} AND ${orderObjections.status} = 'open')`,
      ),
    );
  return each(
    db,
    due.map((r) => r.id),
    async (tx, order) => {
      if (order.status !== 'report_issued' || !order.objectionUntil || order.objectionUntil >= now) return false;
      const [open] = await tx
        .select({ id: orderObjections.id })
        .from(orderObjections)
        .where(and(eq(orderObjections.orderId, order.id), eq(orderObjections.status, 'open')))
        .limit(1);
      if (open) return false;
      const updated = await transitionOrder(
        tx,
        order,
        ['report_issued'],
        'closed',
        { actor: null, side: 'system', action: 'order.closed', data: { objectionWindowEnded: true } },
        { closedAt: now },
        now,
      );
      await notifySide(tx, updated, 'customer', {
        kind: 'order_closed',
        titleZh: `订单 ${order.number} 已结案`,
        titleEn: `Order ${order.number} closed`,
        bodyZh: '异议期已结束，欢迎对本次服务进行评价。',
        bodyEn: 'The objection period has ended; you may now rate the service.',
      });
      return true;
    },
  );
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
  ];
}
