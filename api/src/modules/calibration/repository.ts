import { and, asc, eq, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  calibrationRecords,
  memberships,
  orderLines,
  orders,
  organisations,
  type CalibrationRecord,
  type DbOrTx,
} from '@qihub/db';
import { addDays, RECALL_WINDOW_DAYS, type CalibrationStatus } from './rules.ts';

const customer = alias(organisations, 'customer');
const lab = alias(organisations, 'lab');

export type NewCalibrationRecord = typeof calibrationRecords.$inferInsert;

/**
 * A newer certificate for the same instrument (same customer, same lab and the same non-empty
 * serial number, calibrated later) supersedes a record: it is history, no longer due, and never
 * recalled. Another lab's record never hides a certificate (it could not vouch for it), and
 * instruments without a serial number are told apart by nothing, so they never supersede each other.
 */
const supersededBy = sql<string | null>`(SELECT n.id FROM calibration_records n
  WHERE calibration_records.serial_number <> ''
    AND n.customer_org_id = calibration_records.customer_org_id
    AND n.lab_id = calibration_records.lab_id
    AND n.serial_number = calibration_records.serial_number
    AND (n.calibrated_on, n.created_at, n.id) > (calibration_records.calibrated_on, calibration_records.created_at, calibration_records.id)
  ORDER BY n.calibrated_on DESC, n.created_at DESC, n.id DESC LIMIT 1)`;

/**
 * The due dates that make a status on `today` (China date), as SQL over next_due_on: the same
 * bounds as `calibrationStatus`, so the filter and the status shown cannot disagree.
 */
function statusIs(status: CalibrationStatus, today: string): SQL {
  const horizon = addDays(today, RECALL_WINDOW_DAYS);
  const due = calibrationRecords.nextDueOn;
  if (status === 'overdue') return sql`${due} < ${today}::date`;
  if (status === 'due_soon') return sql`${due} >= ${today}::date AND ${due} <= ${horizon}::date`;
  return sql`${due} > ${horizon}::date`;
}

/** Whose records a list shows: the caller's enterprises', or one lab's. */
export type RecordOwner = { customerOrgIds: string[] } | { labId: string };

export interface RecordFilter {
  owner: RecordOwner;
  /** The superseded records too. */
  history?: boolean;
  serialNumber?: string;
}

/** The sort key of the last row shown (next due date, instrument name, id). */
export interface RecordPosition {
  due: string;
  name: string;
  id: string;
}

function scopeOf(filter: RecordFilter): SQL | undefined {
  return and(
    'labId' in filter.owner
      ? eq(calibrationRecords.labId, filter.owner.labId)
      : inArray(calibrationRecords.customerOrgId, filter.owner.customerOrgIds),
    filter.history ? undefined : sql`${supersededBy} IS NULL`,
    filter.serialNumber ? eq(calibrationRecords.serialNumber, filter.serialNumber) : undefined,
  );
}

async function selectRecords(tx: DbOrTx, where: SQL | undefined, page: { limit: number; after?: RecordPosition }) {
  return tx
    .select({
      r: calibrationRecords,
      supersededBy,
      customer: { id: customer.id, nameZh: customer.nameZh, nameEn: customer.nameEn },
      lab: { id: lab.id, nameZh: lab.nameZh, nameEn: lab.nameEn },
    })
    .from(calibrationRecords)
    .innerJoin(customer, eq(customer.id, calibrationRecords.customerOrgId))
    .innerJoin(lab, eq(lab.id, calibrationRecords.labId))
    .where(
      and(
        where,
        page.after
          ? sql`(${calibrationRecords.nextDueOn}, ${calibrationRecords.instrumentName}, ${calibrationRecords.id})
              > (${page.after.due}::date, ${page.after.name}, ${page.after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(calibrationRecords.nextDueOn), asc(calibrationRecords.instrumentName), asc(calibrationRecords.id))
    .limit(page.limit);
}

export type CalibrationRecordRow = Awaited<ReturnType<typeof selectRecords>>[number];

/** Records soonest due first, with the status on `today` when one is asked for. */
export async function findRecords(
  db: DbOrTx,
  filter: RecordFilter & { status?: CalibrationStatus; today: string },
  page: { limit: number; after?: RecordPosition },
) {
  return selectRecords(
    db,
    and(scopeOf(filter), filter.status ? statusIs(filter.status, filter.today) : undefined),
    page,
  );
}

/** How many records of each status on `today` the filter holds. */
export async function countRecordsByStatus(db: DbOrTx, filter: RecordFilter, today: string) {
  const [counts] = await db
    .select({
      overdue: sql<number>`count(*) FILTER (WHERE ${statusIs('overdue', today)})::int`,
      due_soon: sql<number>`count(*) FILTER (WHERE ${statusIs('due_soon', today)})::int`,
      ok: sql<number>`count(*) FILTER (WHERE ${statusIs('ok', today)})::int`,
    })
    .from(calibrationRecords)
    .where(scopeOf(filter));
  return counts;
}

export async function findRecord(db: DbOrTx, id: string): Promise<CalibrationRecordRow | undefined> {
  const [row] = await selectRecords(db, eq(calibrationRecords.id, id), { limit: 1 });
  return row;
}

export async function organisationKindOf(db: DbOrTx, orgId: string) {
  const [org] = await db
    .select({ kind: organisations.kind })
    .from(organisations)
    .where(eq(organisations.id, orgId))
    .limit(1);
  return org?.kind;
}

export async function hasOrderWithLab(db: DbOrTx, labId: string, customerOrgId: string): Promise<boolean> {
  const [anOrder] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.labId, labId), eq(orders.customerOrgId, customerOrgId)))
    .limit(1);
  return !!anOrder;
}

export async function insertRecord(db: DbOrTx, values: NewCalibrationRecord): Promise<string> {
  const [created] = await db.insert(calibrationRecords).values(values).returning({ id: calibrationRecords.id });
  return created!.id;
}

export async function insertRecords(db: DbOrTx, values: NewCalibrationRecord[]): Promise<void> {
  await db.insert(calibrationRecords).values(values);
}

/** Deletes a certificate's records and returns them. */
export async function deleteRecordsOfReport(db: DbOrTx, reportId: string): Promise<CalibrationRecord[]> {
  return db.delete(calibrationRecords).where(eq(calibrationRecords.reportId, reportId)).returning();
}

export async function recordsOfReport(db: DbOrTx, reportId: string): Promise<CalibrationRecord[]> {
  return db
    .select()
    .from(calibrationRecords)
    .where(eq(calibrationRecords.reportId, reportId))
    .orderBy(asc(calibrationRecords.createdAt), asc(calibrationRecords.serialNumber));
}

/** The order's calibration lines that were not removed, in order. */
export async function calibrationLinesOfOrder(db: DbOrTx, orderId: string) {
  return db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.orderId, orderId), isNull(orderLines.removedAt), eq(orderLines.kind, 'calibration')))
    .orderBy(asc(orderLines.position));
}

/**
 * Locks up to `limit` records due by `horizon` whose reminder has not gone out, skipping rows
 * another sweep holds.
 */
export async function lockRecordsToRecall(db: DbOrTx, horizon: string, limit: number) {
  return db
    .select({ id: calibrationRecords.id })
    .from(calibrationRecords)
    .where(
      and(
        isNull(calibrationRecords.recallRemindedAt),
        lte(calibrationRecords.nextDueOn, horizon),
        // Recalibrated since (a newer certificate of the same instrument): nothing to recall.
        sql`${supersededBy} IS NULL`,
      ),
    )
    .orderBy(asc(calibrationRecords.id))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Stamps the reminder on those of `ids` that have none yet, and returns them. */
export async function stampRecallReminded(db: DbOrTx, ids: string[], now: Date) {
  return db
    .update(calibrationRecords)
    .set({ recallRemindedAt: now })
    .where(and(isNull(calibrationRecords.recallRemindedAt), inArray(calibrationRecords.id, ids)))
    .returning({
      id: calibrationRecords.id,
      customerOrgId: calibrationRecords.customerOrgId,
      instrumentName: calibrationRecords.instrumentName,
      model: calibrationRecords.model,
      serialNumber: calibrationRecords.serialNumber,
      nextDueOn: calibrationRecords.nextDueOn,
    });
}

export async function membersOfOrganisations(db: DbOrTx, orgIds: string[]) {
  return db
    .select({ orgId: memberships.orgId, userId: memberships.userId })
    .from(memberships)
    .where(inArray(memberships.orgId, orgIds));
}
