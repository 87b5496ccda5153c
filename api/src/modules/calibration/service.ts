import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { calibrationRecords, orders, organisations, type Db, type DbOrTx } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { decodeCursor, encodeCursor, invalidCursor } from '../../lib/cursor.ts';
import { forbidden, unprocessable } from '../../lib/errors.ts';
import { localDate } from '../../lib/time.ts';
import { addDays, calibrationStatus, daysBetween, RECALL_WINDOW_DAYS, type CalibrationStatus } from './rules.ts';

/**
 * Calibration / verification certificates of customers' own instruments, with their next due
 * dates: the customer sees its instruments' status, the lab what it issued.
 */
export interface CalibrationDeps {
  db: Db;
  clock: () => Date;
}

const customer = alias(organisations, 'customer');
const lab = alias(organisations, 'lab');

/**
 * A newer certificate for the same instrument (same customer, same lab and the same non-empty
 * serial number, calibrated later) supersedes a record: it is history, no longer due, and never
 * recalled. Another lab's record never hides a certificate (it could not vouch for it), and
 * instruments without a serial number are told apart by nothing, so they never supersede each other.
 */
export const supersededBy = sql<string | null>`(SELECT n.id FROM calibration_records n
  WHERE calibration_records.serial_number <> ''
    AND n.customer_org_id = calibration_records.customer_org_id
    AND n.lab_id = calibration_records.lab_id
    AND n.serial_number = calibration_records.serial_number
    AND (n.calibrated_on, n.created_at, n.id) > (calibration_records.calibrated_on, calibration_records.created_at, calibration_records.id)
  ORDER BY n.calibrated_on DESC, n.created_at DESC, n.id DESC LIMIT 1)`;

async function selectRecords(
  tx: DbOrTx,
  where: SQL | undefined,
  page: { limit: number; after?: { due: string; name: string; id: string } } = { limit: 1 },
) {
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

type Row = Awaited<ReturnType<typeof selectRecords>>[number];

function view(row: Row, today: string) {
  const r = row.r;
  const daysLeft = daysBetween(today, r.nextDueOn);
  return {
    id: r.id,
    customer: row.customer,
    lab: row.lab,
    orderId: r.orderId,
    reportId: r.reportId,
    instrumentName: r.instrumentName,
    model: r.model,
    serialNumber: r.serialNumber,
    measuringRange: r.measuringRange,
    accuracyClass: r.accuracyClass,
    method: r.method as 'calibration' | 'verification',
    calibratedOn: r.calibratedOn,
    nextDueOn: r.nextDueOn,
    daysLeft,
    status: calibrationStatus(daysLeft),
    recallRemindedAt: r.recallRemindedAt?.toISOString() ?? null,
    supersededBy: row.supersededBy ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

interface ListQuery {
  status?: CalibrationStatus;
  serialNumber?: string;
  history?: boolean;
  limit?: number;
  cursor?: string;
}

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

const CALIBRATION_CURSOR = 'calibration';

/** The sort key of the last row shown (next due date, instrument name) as one cursor key. */
function decodeAfter(cursor: string) {
  const { key, id } = decodeCursor(cursor, CALIBRATION_CURSOR, 'text');
  try {
    const parsed: unknown = JSON.parse(String(key));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(parsed[0]) &&
      !Number.isNaN(Date.parse(parsed[0])) &&
      typeof parsed[1] === 'string'
    ) {
      return { due: parsed[0], name: parsed[1], id };
    }
  } catch {
    // refused below
  }
  throw invalidCursor();
}

/**
 * One page of records, soonest due first: the current certificate of each instrument (with
 * `history` the superseded ones too), filtered in SQL before the page is cut, and how many records
 * of each status the list holds whatever the status filter (for a summary).
 */
async function listRecords(deps: CalibrationDeps, owner: SQL, query: ListQuery) {
  const today = localDate(deps.clock());
  const limit = query.limit ?? 20;
  const after = query.cursor ? decodeAfter(query.cursor) : undefined;
  const scope = and(
    owner,
    query.history ? undefined : sql`${supersededBy} IS NULL`,
    query.serialNumber ? eq(calibrationRecords.serialNumber, query.serialNumber) : undefined,
  );
  const [rows, [counts]] = await Promise.all([
    selectRecords(deps.db, and(scope, query.status ? statusIs(query.status, today) : undefined), {
      limit: limit + 1,
      after,
    }),
    deps.db
      .select({
        overdue: sql<number>`count(*) FILTER (WHERE ${statusIs('overdue', today)})::int`,
        due_soon: sql<number>`count(*) FILTER (WHERE ${statusIs('due_soon', today)})::int`,
        ok: sql<number>`count(*) FILTER (WHERE ${statusIs('ok', today)})::int`,
      })
      .from(calibrationRecords)
      .where(scope),
  ]);
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map((r) => view(r, today)),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor(CALIBRATION_CURSOR, JSON.stringify([last.r.nextDueOn, last.r.instrumentName]), last.r.id)
        : null,
    counts: counts ?? { overdue: 0, due_soon: 0, ok: 0 },
  };
}

/** The caller's enterprises' instruments, soonest due first. */
export async function myCalibrationRecords(deps: CalibrationDeps, actor: Actor | null, query: ListQuery) {
  const a = requireActor(actor);
  const enterpriseIds = a.memberships.filter((m) => m.orgKind === 'enterprise').map((m) => m.orgId);
  if (enterpriseIds.length === 0) throw forbidden('Calibration records belong to enterprises.');
  return listRecords(deps, inArray(calibrationRecords.customerOrgId, enterpriseIds), query);
}

function assertLabMember(actor: Actor | null, labId: string, roles?: readonly string[]) {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab' || (roles && (m.orgStatus === 'suspended' || !roles.includes(m.role)))) {
    throw forbidden(roles ? 'Only managers and staff of this lab may do this.' : 'Only members of this lab may look.');
  }
  return a;
}

/** What the lab issued (any member of the lab). */
export async function labCalibrationRecords(
  deps: CalibrationDeps,
  actor: Actor | null,
  labId: string,
  query: ListQuery,
) {
  assertLabMember(actor, labId);
  return listRecords(deps, eq(calibrationRecords.labId, labId), query);
}

export interface CalibrationRecordInput {
  customerOrgId: string;
  instrumentName: string;
  model?: string;
  serialNumber: string;
  measuringRange?: string;
  accuracyClass?: string;
  method?: 'calibration' | 'verification';
  calibratedOn: string;
  nextDueOn: string;
}

/** A certificate the lab issued outside the platform (managers and staff). */
export async function createCalibrationRecord(
  deps: CalibrationDeps,
  actor: Actor | null,
  labId: string,
  input: CalibrationRecordInput,
) {
  const a = assertLabMember(actor, labId, ['manager', 'staff']);
  const today = localDate(deps.clock());
  if (input.calibratedOn > today) {
    throw unprocessable('calibrated_in_future', 'The calibration date cannot be in the future.', [
      { path: '/calibratedOn', code: 'calibrated_in_future', message: 'Must be today or earlier.' },
    ]);
  }
  if (input.nextDueOn <= input.calibratedOn) {
    throw unprocessable('invalid_due_date', 'The next due date must come after the calibration date.', [
      { path: '/nextDueOn', code: 'invalid_due_date', message: 'Must be after calibratedOn.' },
    ]);
  }
  const [org] = await deps.db
    .select({ kind: organisations.kind })
    .from(organisations)
    .where(eq(organisations.id, input.customerOrgId))
    .limit(1);
  if (!org || org.kind !== 'enterprise') {
    throw unprocessable('unknown_customer', 'The customer must be an enterprise on the platform.', [
      { path: '/customerOrgId', code: 'unknown_customer', message: 'Not an enterprise.' },
    ]);
  }
  // A lab records certificates only for its own customers: an enterprise with an order at this lab.
  const [anOrder] = await deps.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.labId, labId), eq(orders.customerOrgId, input.customerOrgId)))
    .limit(1);
  if (!anOrder) {
    throw unprocessable('not_a_customer', 'This enterprise has never ordered from this lab.', [
      { path: '/customerOrgId', code: 'not_a_customer', message: 'No order of this enterprise with this lab.' },
    ]);
  }
  if (input.serialNumber.trim() === '') {
    throw unprocessable('invalid_serial_number', 'The serial number identifies the instrument; it cannot be blank.', [
      { path: '/serialNumber', code: 'invalid_serial_number', message: 'Must not be blank.' },
    ]);
  }
  return deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(calibrationRecords)
      .values({
        customerOrgId: input.customerOrgId,
        labId,
        instrumentName: input.instrumentName.trim(),
        model: input.model?.trim() ?? '',
        serialNumber: input.serialNumber.trim(),
        measuringRange: input.measuringRange?.trim() ?? '',
        accuracyClass: input.accuracyClass?.trim() ?? '',
        method: input.method ?? 'calibration',
        calibratedOn: input.calibratedOn,
        nextDueOn: input.nextDueOn,
      })
      .returning({ id: calibrationRecords.id });
    const [row] = await selectRecords(tx, eq(calibrationRecords.id, created!.id));
    const out = view(row!, today);
    await recordAudit(tx, a, {
      action: 'calibration_record.create',
      entityType: 'calibration_record',
      entityId: out.id,
      orgId: labId,
      after: out,
    });
    return out;
  });
}
