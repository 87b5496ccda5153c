import type { DbOrTx, Report } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { AppError, forbidden, notFound, unprocessable, type ProblemCode } from '../../lib/errors.ts';
import { loadOrderFor, type OrderAccess } from '../orders/index.ts';
import { findReport, isLabMember, lockReport } from './repository.ts';

/** Reports being drafted or reviewed: an order has at most one. */
export const OPEN_REPORT: Report['status'][] = ['draft', 'reviewed'];
/** Reports the customer sees and verification knows. */
export const ISSUED_LIKE: Report['status'][] = ['issued', 'replaced', 'revoked'];

export interface ReportAccess {
  report: Report;
  access: OrderAccess;
}

/**
 * The report and how the caller stands to its order. Only the two parties see reports: the lab
 * all of them, the customer only issued ones (drafts are the lab's working papers); anyone else 404.
 * With `forUpdate` the order and then the report are locked (always in that order).
 */
export async function loadReportFor(
  tx: DbOrTx,
  actor: Actor | null,
  reportId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ReportAccess> {
  requireActor(actor);
  const first = await findReport(tx, reportId);
  if (!first) throw notFound('report');
  const access = await loadOrderFor(tx, actor, first.orderId, { forUpdate: options.forUpdate }).catch(
    (error: unknown) => {
      throw error instanceof AppError && error.status === 404 ? notFound('report') : error;
    },
  );
  if (access.side !== 'lab' && access.side !== 'customer') throw notFound('report');
  if (access.side === 'customer' && !ISSUED_LIKE.includes(first.status)) throw notFound('report');
  if (!options.forUpdate) return { report: first, access };
  const locked = await lockReport(tx, reportId);
  return { report: locked!, access };
}

export function userIdOf(actor: Actor): string {
  if (!actor.userId) throw forbidden('Reports are written and signed by people, not API tokens.');
  return actor.userId;
}

/** The tester must be a member of the lab (operators included: they do the testing). */
export async function assertLabMember(db: DbOrTx, labId: string, userId: string, code: ProblemCode) {
  if (!(await isLabMember(db, labId, userId))) {
    throw unprocessable(code, 'That person is not a member of the lab.', [
      { path: '/testerId', code, message: 'Not a member of the lab' },
    ]);
  }
}

/** Lab manager check for lab-level routes (signatories). */
export function assertLabManagerOf(actor: Actor | null, labId: string): Actor {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab' || m.orgStatus === 'suspended' || m.role !== 'manager') {
    throw forbidden('Only a manager of this lab may do this.');
  }
  return a;
}
