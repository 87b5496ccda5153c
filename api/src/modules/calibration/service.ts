import type { Db } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { decodeCursor, encodeCursor, invalidCursor } from '../../lib/cursor.ts';
import { forbidden, unprocessable } from '../../lib/errors.ts';
import { localDate } from '../../lib/time.ts';
import {
  countRecordsByStatus,
  findRecord,
  findRecords,
  hasOrderWithLab,
  insertRecord,
  organisationKindOf,
  type CalibrationRecordRow,
  type RecordOwner,
} from './repository.ts';
import { calibrationStatus, daysBetween, type CalibrationStatus } from './rules.ts';

/**
 * Calibration / verification certificates of customers' own instruments, with their next due
 * dates: the customer sees its instruments' status, the lab what it issued.
 */
export interface CalibrationDeps {
  db: Db;
  clock: () => Date;
}

function view(row: CalibrationRecordRow, today: string) {
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
async function listRecords(deps: CalibrationDeps, owner: RecordOwner, query: ListQuery) {
  const today = localDate(deps.clock());
  const limit = query.limit ?? 20;
  const after = query.cursor ? decodeAfter(query.cursor) : undefined;
  const filter = { owner, history: query.history, serialNumber: query.serialNumber };
  const [rows, counts] = await Promise.all([
    findRecords(deps.db, { ...filter, status: query.status, today }, { limit: limit + 1, after }),
    countRecordsByStatus(deps.db, filter, today),
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
  return listRecords(deps, { customerOrgIds: enterpriseIds }, query);
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
  return listRecords(deps, { labId }, query);
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
  if ((await organisationKindOf(deps.db, input.customerOrgId)) !== 'enterprise') {
    throw unprocessable('unknown_customer', 'The customer must be an enterprise on the platform.', [
      { path: '/customerOrgId', code: 'unknown_customer', message: 'Not an enterprise.' },
    ]);
  }
  // A lab records certificates only for its own customers: an enterprise with an order at this lab.
  if (!(await hasOrderWithLab(deps.db, labId, input.customerOrgId))) {
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
    const id = await insertRecord(tx, {
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
    });
    const out = view((await findRecord(tx, id))!, today);
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'calibration_record.create',
      entityType: 'calibration_record',
      entityId: out.id,
      orgId: labId,
      after: out,
    });
    return out;
  });
}
