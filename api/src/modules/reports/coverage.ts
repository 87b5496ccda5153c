import type { DbOrTx, Order, OrderStatus, Report, Tx } from '@qihub/db';
import { recordOrderEvent, transitionOrder } from '../orders/index.ts';
import { activeLinesOfOrder, latestReviewAction, liveReportsOfOrder } from './repository.ts';

/**
 * Several reports per order: each report covers some of the order's lines (`reports.line_ids`),
 * a line is covered by at most one live report (a replacement shares the lines of the report it
 * replaces), and the order's status follows its least advanced line:
 *
 * - in_progress while some line is neither covered by an issued report nor with the reviewer
 *   (no report yet, or its report is a draft being written);
 * - report_review once every line not yet reported is in a report with the reviewer or awaiting
 *   a signature (or, with every line reported, while a replacement is in review);
 * - report_issued (stamped, objection window, notifications, efficiency facts) when issued
 *   reports cover every line: issuing the last one settles the order.
 *
 * An issued report covering only some lines settles nothing: the order stays where its other
 * lines are, and the customer already sees and downloads that report. A revoked (or replaced)
 * report holds no lines: a revoked report's lines wait for a new report, and a settled order goes
 * back to the status its least advanced line implies (revoke.ts).
 */

/** Reports that hold their lines: being drafted, reviewed, or issued. */
export const LIVE_REPORT: Report['status'][] = ['draft', 'reviewed', 'issued'];

/** Statuses of an order whose lines are still being worked on or reviewed. */
export const WORKING: readonly OrderStatus[] = ['in_progress', 'report_review'];

/**
 * Whether the draft is with the reviewer: its latest submit/return/draft event on the order's
 * timeline is a submit. (The order's status says so too in the ordinary flow; a replacement of a
 * report on an already-issued order moves no order status, so the timeline is what tells.)
 */
export async function isSubmitted(tx: DbOrTx, report: Pick<Report, 'id' | 'status'>, order: Pick<Order, 'id'>) {
  if (report.status !== 'draft') return false;
  return (await latestReviewAction(tx, order.id, report.id)) === 'report.submitted';
}

export interface Coverage {
  /** The order's lines (not removed), in order. */
  lineIds: string[];
  /** Line → the live report that holds it (the original, not its replacement draft). */
  taken: Map<string, string>;
  /** Lines covered by an issued report. */
  issued: Set<string>;
  /** Lines in a report with the reviewer or awaiting its signature. */
  inReview: Set<string>;
  /** Whether any report (a replacement too) is with the reviewer or awaiting its signature. */
  anyInReview: boolean;
}

/** A report whose review state is about to change (the step's event is not written yet). */
export interface Assume {
  reportId: string;
  reviewing: boolean;
}

export async function coverageOf(tx: DbOrTx, order: Pick<Order, 'id'>, assume?: Assume): Promise<Coverage> {
  const lines = await activeLinesOfOrder(tx, order.id);
  const live = await liveReportsOfOrder(tx, order.id);
  const c: Coverage = {
    lineIds: lines.map((l) => l.id),
    taken: new Map(),
    issued: new Set(),
    inReview: new Set(),
    anyInReview: false,
  };
  for (const r of live) {
    const reviewing =
      assume?.reportId === r.id ? assume.reviewing : r.status === 'reviewed' || (await isSubmitted(tx, r, order));
    if (reviewing) c.anyInReview = true;
    for (const line of r.lineIds) {
      if (r.status === 'issued') c.issued.add(line);
      if (reviewing) c.inReview.add(line);
      if (!r.replacesReportId || !c.taken.has(line)) c.taken.set(line, r.id);
    }
  }
  return c;
}

/** Lines no live report covers yet, in order. */
export function uncovered(c: Coverage): string[] {
  return c.lineIds.filter((l) => !c.taken.has(l));
}

/** Whether issued reports cover every line of the order. */
export function fullyReported(c: Coverage): boolean {
  return c.lineIds.every((l) => c.issued.has(l));
}

/** Where an order whose reports are not all issued stands: its least advanced line decides. */
export function workStatus(c: Coverage): 'in_progress' | 'report_review' {
  const pending = c.lineIds.filter((l) => !c.issued.has(l));
  if (pending.some((l) => !c.inReview.has(l))) return 'in_progress';
  return c.anyInReview ? 'report_review' : 'in_progress';
}

type WorkEvent = Parameters<typeof recordOrderEvent>[2];

/**
 * Records a report step on an order still being worked on, moving it between in_progress and
 * report_review when its lines say so (the guarded UPDATE re-checks the state). Returns the status.
 */
export async function followLines(
  tx: Tx,
  order: Order,
  event: WorkEvent,
  now: Date,
  assume?: Assume,
): Promise<OrderStatus> {
  const target = workStatus(await coverageOf(tx, order, assume));
  if (WORKING.includes(order.status) && target !== order.status) {
    await transitionOrder(tx, order, [order.status], target, event, {}, now);
    return target;
  }
  await recordOrderEvent(tx, order, event, now);
  return order.status;
}
