import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { enterpriseOfficers, orderObjections, orders, type DbOrTx, type Order, type OrderStatus } from '@qihub/db';

export type OrderChanges = Partial<typeof orders.$inferInsert>;

/** The order, optionally under a row lock (SELECT … FOR UPDATE) for the transaction that changes it. */
export async function findOrder(db: DbOrTx, orderId: string, options: { forUpdate?: boolean } = {}) {
  const q = db.select().from(orders).where(eq(orders.id, orderId)).limit(1);
  const [order] = options.forUpdate ? await q.for('update') : await q;
  return order;
}

export async function insertOrder(tx: DbOrTx, values: typeof orders.$inferInsert): Promise<Order> {
  const [order] = await tx.insert(orders).values(values).returning();
  return order!;
}

/**
 * Moves the order to `to` only while it is still in one of `from`: the state is re-checked in the
 * statement itself, so of two racing requests one gets no row back.
 */
export async function updateOrderStatusIfIn(
  tx: DbOrTx,
  orderId: string,
  from: readonly OrderStatus[],
  to: OrderStatus,
  set: OrderChanges,
  now: Date,
): Promise<Order | undefined> {
  const [updated] = await tx
    .update(orders)
    .set({ ...set, status: to, updatedAt: now })
    .where(and(eq(orders.id, orderId), inArray(orders.status, [...from])))
    .returning();
  return updated;
}

/** Next value of a per-key counter row, taken under the row lock (numbers are never reused). */
export async function nextSequence(
  tx: DbOrTx,
  table: 'order_sequences' | 'report_sequences',
  key: { year: number; labId?: string },
) {
  if (table === 'order_sequences') {
    const { rows } = await tx.execute<{ v: number }>(sql`
      INSERT INTO order_sequences (year, last_value) VALUES (${key.year}, 1)
      ON CONFLICT (year) DO UPDATE SET last_value = order_sequences.last_value + 1
      RETURNING last_value AS v`);
    return Number(rows[0]!.v);
  }
  const { rows } = await tx.execute<{ v: number }>(sql`
    INSERT INTO report_sequences (lab_id, year, last_value) VALUES (${key.labId!}::uuid, ${key.year}, 1)
    ON CONFLICT (lab_id, year) DO UPDATE SET last_value = report_sequences.last_value + 1
    RETURNING last_value AS v`);
  return Number(rows[0]!.v);
}

/** Whose orders a list shows: some enterprises', some labs', or those of the enterprises an officer serves. */
export type OrderListScope = { customerOrgIds: string[] } | { labIds: string[] } | { officerUserId: string };

function scopeCondition(db: DbOrTx, scope: OrderListScope): SQL {
  if ('customerOrgIds' in scope) return inArray(orders.customerOrgId, scope.customerOrgIds);
  if ('labIds' in scope) return inArray(orders.labId, scope.labIds);
  return inArray(
    orders.customerOrgId,
    db
      .select({ id: enterpriseOfficers.enterpriseId })
      .from(enterpriseOfficers)
      .where(eq(enterpriseOfficers.officerUserId, scope.officerUserId)),
  );
}

/** Up to `limit` orders, newest first, after the keyset position `after` when given. */
export async function findOrdersPage(
  db: DbOrTx,
  scope: OrderListScope,
  filter: { labId?: string; status?: OrderStatus },
  after: { createdAt: Date; id: string } | undefined,
  limit: number,
): Promise<Order[]> {
  const page = after
    ? or(lt(orders.createdAt, after.createdAt), and(eq(orders.createdAt, after.createdAt), lt(orders.id, after.id)))
    : undefined;
  return db
    .select()
    .from(orders)
    .where(
      and(
        scopeCondition(db, scope),
        filter.labId ? eq(orders.labId, filter.labId) : undefined,
        filter.status ? eq(orders.status, filter.status) : undefined,
        page,
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit);
}

/* Sweeps read due orders in id order, `limit` at a time, after the last id seen. */

const afterId = (id: string | null) => (id ? gt(orders.id, id) : undefined);

function dueOrderIds(db: DbOrTx, where: SQL | undefined, after: string | null, limit: number) {
  return db
    .select({ id: orders.id })
    .from(orders)
    .where(and(where, afterId(after)))
    .orderBy(asc(orders.id))
    .limit(limit);
}

/** Quoted orders whose quote was valid until a date before `today`. */
export function lapsedQuoteIds(db: DbOrTx, today: string, after: string | null, limit: number) {
  return dueOrderIds(db, and(eq(orders.status, 'quoted'), lt(orders.quoteValidUntil, today)), after, limit);
}

/** Issued orders whose objection window ended before `now` with no open objection. */
export function endedObjectionWindowIds(db: DbOrTx, now: Date, after: string | null, limit: number) {
  const ended = and(
    eq(orders.status, 'report_issued'),
    lt(orders.objectionUntil, now),
    sql`NOT EXISTS (SELECT 1 FROM ${orderObjections} WHERE ${orderObjections.orderId} = ${orders.id} AND ${orderObjections.status} = 'open')`,
  );
  return dueOrderIds(db, ended, after, limit);
}

/**
 * Orders in `statuses` with a due time that may want an alert: overdue and not yet alerted, or not
 * yet reminded and due between `now` and `horizon`.
 */
export function ordersMayBeDue(
  db: DbOrTx,
  statuses: readonly OrderStatus[],
  now: Date,
  horizon: Date,
  after: string | null,
  limit: number,
): Promise<Order[]> {
  const mayBeDue = and(
    inArray(orders.status, [...statuses]),
    isNotNull(orders.dueAt),
    or(
      and(isNull(orders.overdueAlertAt), lt(orders.dueAt, now)),
      and(isNull(orders.dueReminderAt), gte(orders.dueAt, now), lte(orders.dueAt, horizon)),
    ),
  );
  return db
    .select()
    .from(orders)
    .where(and(mayBeDue, afterId(after)))
    .orderBy(asc(orders.id))
    .limit(limit);
}

/**
 * Stamps the overdue alert or the due reminder on the order, once: only while the stamp is empty
 * and the order is still in `statuses`. False when another sweep stamped it first (or it moved on).
 */
export async function stampAlertOnce(
  tx: DbOrTx,
  orderId: string,
  stamp: 'overdueAlertAt' | 'dueReminderAt',
  statuses: readonly OrderStatus[],
  now: Date,
): Promise<boolean> {
  const [stamped] = await tx
    .update(orders)
    .set({ [stamp]: now })
    .where(and(eq(orders.id, orderId), isNull(orders[stamp]), inArray(orders.status, [...statuses])))
    .returning();
  return stamped !== undefined;
}
