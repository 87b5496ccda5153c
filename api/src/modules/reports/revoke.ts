import type { Order, Report, Tx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { conflict } from '../../lib/errors.ts';
import {
  assertSide,
  notifySide,
  recordOrderEvent,
  transitionOrder,
  upholdObjectionOnRevokedReport,
} from '../orders/index.ts';
import { loadReportFor } from './access.ts';
import { coverageOf, followLines, fullyReported, workStatus, WORKING } from './coverage.ts';
import type { ReportDeps } from './deps.ts';
import { updateReport } from './repository.ts';
import { SETTLED } from './review.ts';
import { viewOne } from './view.ts';

/**
 * Revokes an issued report (lab managers): verification shows it revoked from then on, and the lines
 * it covered are no longer reported — a new report of them is drafted in the ordinary way (a
 * replacement already being drafted keeps them and becomes their report when it issues). The order
 * follows its least advanced line again: an order that was settled (report_issued, or closed) goes
 * back to work, its issue stamps cleared (the next issue covering every line stamps it afresh); an
 * order still in work moves between in_progress and report_review as its lines say. The customer
 * is told why, in both languages.
 */
export async function revokeReport(deps: ReportDeps, actor: Actor | null, reportId: string, reason: string) {
  return deps.db.transaction(async (tx) => {
    // The order's row lock (taken first) serialises this with drafting, issuing and replacing on the order.
    const { report, access } = await loadReportFor(tx, actor, reportId, { forUpdate: true });
    assertSide(access, 'lab', ['manager']);
    const a = requireActor(actor);
    assertRevocable(report);
    const order = access.order;
    const now = deps.clock();
    const updated = await updateReport(
      tx,
      report.id,
      { status: 'revoked', revokedAt: now, revokeReason: reason, updatedAt: now },
      'issued',
    );
    const event = {
      actor: a,
      side: 'lab' as const,
      action: 'report.revoked',
      data: { reportId: report.id, number: report.number, reason, lineIds: report.lineIds } as Record<string, unknown>,
    };
    // Before the event is recorded: it names the objection the revocation resolved.
    const objectionId = await upholdObjectionOnRevokedReport(tx, order, report, {
      userId: a.userId,
      reason,
      at: now,
    });
    if (objectionId) event.data.objectionId = objectionId;
    const reopened = await reopenLines(tx, order, event, now);
    await notifySide(tx, order, 'customer', {
      at: now,
      kind: 'report_revoked',
      occurrence: report.id,
      titleZh: `报告已撤销：${report.number}`,
      titleEn: `Report revoked: ${report.number}`,
      bodyZh:
        `订单 ${order.number} 的报告 ${report.number} 已被实验室撤销，不再有效，请勿继续使用。撤销原因：${reason}` +
        (reopened ? '。实验室将为相关项目重新出具报告，届时另行通知。' : '。') +
        (objectionId ? '您对该报告提出的异议已成立。' : ''),
      bodyEn:
        `The lab has revoked report ${report.number} of order ${order.number}: it is no longer valid and must not be used. Reason: ${reason}.` +
        (reopened ? ' The lab will issue a new report for the lines it covered; you will be told when it does.' : '') +
        (objectionId ? ' Your objection to this report is upheld.' : ''),
    });
    return viewOne(tx, updated!, deps.webUrl);
  });
}

/** Only an issued report is revoked; a replaced or already revoked one says so (a stale page, a double click). */
function assertRevocable(report: Report) {
  if (report.status === 'revoked') {
    throw conflict('report_revoked', 'The report was already revoked.');
  }
  if (report.status === 'replaced') {
    throw conflict('report_replaced', 'The report was replaced by a newer one: revoke that one instead.');
  }
  if (report.status !== 'issued') {
    throw conflict('illegal_transition', `The report is ${report.status}; only an issued report is revoked.`);
  }
}

type RevokeEvent = Parameters<typeof recordOrderEvent>[2] & { data: Record<string, unknown> };

/**
 * Records the revocation and moves the order where its lines now say (the revoked report holds none
 * of them any more). Returns whether the order's lines wait for a report again (the order is, or went
 * back, in work); a cancelled or expired order only records the event.
 */
async function reopenLines(tx: Tx, order: Order, event: RevokeEvent, now: Date): Promise<boolean> {
  if (WORKING.includes(order.status)) {
    await followLines(tx, order, event, now);
    return true;
  }
  if (!SETTLED.includes(order.status)) {
    await recordOrderEvent(tx, order, event, now);
    return false;
  }
  const coverage = await coverageOf(tx, order);
  // Other live reports still cover every line (the revoked one held only removed lines): nothing reopens.
  if (fullyReported(coverage)) {
    await recordOrderEvent(tx, order, event, now);
    return false;
  }
  // The order was stamped by an issue that no longer stands: completion (and with it the on-time
  // judgement, the efficiency facts and the objection window) waits for the next issue covering every
  // line. A waived expedite surcharge stays waived (surchargeWaived is kept; its credit note is once
  // per order), and what was charged at acceptance is untouched: reissuing charges nothing.
  Object.assign(event.data, { reopened: true });
  await transitionOrder(
    tx,
    order,
    [order.status],
    workStatus(coverage),
    event,
    { reportIssuedAt: null, onTime: null, objectionUntil: null, closedAt: null },
    now,
  );
  return true;
}
