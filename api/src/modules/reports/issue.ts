import type { Order, Report, Tx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { enqueueAfterCommit } from '../../lib/audit.ts';
import { AppError, conflict, unprocessable } from '../../lib/errors.ts';
import { localDate } from '../../lib/time.ts';
import { recordCertificateCalibrations } from '../calibration/index.ts';
import {
  assertSide,
  issueStamps,
  creditWaivedSurcharge,
  claimReportPrefix,
  DEFAULT_ORDER_SETTINGS,
  notifySide,
  recordOrderEvent,
  termsOfOrder,
  transitionOrder,
} from '../orders/index.ts';
import { loadReportFor, userIdOf } from './access.ts';
import { coverageOf, followLines, fullyReported, WORKING } from './coverage.ts';
import type { ReportDeps } from './deps.ts';
import { scoped } from './marks.ts';
import { takeReportNumber } from './numbering.ts';
import { isActiveSignatory, markReportReplaced, setOrderObjectionUntil, updateReport } from './repository.ts';
import { SETTLED } from './review.ts';
import { viewOne } from './view.ts';

/**
 * Issues a reviewed report: an authorised signatory who neither tested nor reviewed it signs; it
 * takes the lab's next number and is re-marked for scope on the issue date; a report it replaces
 * is marked replaced; once issued reports cover every line of the order it is stamped
 * (report_issued, on time or late, objection window) — a report of some lines leaves it in work; a
 * certificate writes its calibration records; the customer is told and the PDF rendered after commit.
 */
export async function issueReport(deps: ReportDeps, actor: Actor | null, reportId: string) {
  return deps.db.transaction(async (tx) => {
    const { report, access } = await loadReportFor(tx, actor, reportId, { forUpdate: true });
    const a = requireActor(actor);
    assertSide(access, 'lab');
    const me = userIdOf(a);
    const order = access.order;
    const working = await assertMayIssue(tx, report, order, me);

    const now = deps.clock();
    const issueDate = localDate(now);
    const { number, marked } = await numberAndMark(tx, report, issueDate, now);
    const issued = await updateReport(
      tx,
      report.id,
      {
        status: 'issued',
        number,
        signatoryId: me,
        issuedAt: now,
        results: marked.results,
        cmaMark: marked.cmaMark,
        cnasMark: marked.cnasMark,
        updatedAt: now,
      },
      'reviewed',
    );
    const replacedNumber = report.replacesReportId
      ? await markReportReplaced(tx, report.replacesReportId, report.id, now)
      : null;

    const data = { reportId: report.id, number, ...(replacedNumber ? { replaces: replacedNumber } : {}) };
    const settled = await stampOrder(tx, order, working, { actor: a, side: 'lab', action: 'report.issued', data }, now);
    await recordCertificateCalibrations(tx, {
      reportId: report.id,
      replacesReportId: report.replacesReportId,
      isCertificate: report.kind === 'certificate',
      order,
      issueDate,
    });
    await announceIssue(tx, order, report, number, !settled, now);
    return viewOne(tx, issued!, deps.webUrl);
  });
}

/**
 * The signatory rules and the states a report issues from. Returns whether this is an issue on an
 * order still in work (in_progress with other lines open, or report_review) rather than a
 * replacement's on an order already settled.
 */
async function assertMayIssue(tx: Tx, report: Report, order: Order, me: string): Promise<boolean> {
  if (!(await isActiveSignatory(tx, report.labId, me))) {
    throw new AppError(403, 'not_a_signatory', 'Only an authorised signatory of the lab may issue reports.');
  }
  if (report.status !== 'reviewed') {
    throw conflict('illegal_transition', `The report is ${report.status}; only a reviewed report is issued.`);
  }
  // Tester, reviewer and signatory are three different people (the reviewer rule sits in review).
  if (report.testerId === me) {
    throw unprocessable('signatory_is_tester', 'The signatory may not be the tester of the same report.');
  }
  if (report.reviewerId === me) {
    throw unprocessable('signatory_is_reviewer', 'The signatory may not be the reviewer of the same report.');
  }
  const working = WORKING.includes(order.status);
  if (!working && !(report.replacesReportId && SETTLED.includes(order.status))) {
    throw conflict('illegal_transition', `The order is ${order.status}; a report is issued from report_review.`);
  }
  return working;
}

/** The report's number for the issue year, and its results re-marked for scope on the issue date. */
async function numberAndMark(tx: Tx, report: Report, issueDate: string, now: Date) {
  const year = Number(issueDate.slice(0, 4));
  // A lab that never chose a prefix is given its default now, held against every other lab.
  const prefix = await claimReportPrefix(tx, report.labId, DEFAULT_ORDER_SETTINGS, now);
  const number = await takeReportNumber(tx, report.labId, prefix, year);
  const marked = await scoped(tx, report.labId, report.results, issueDate);
  return { number, marked };
}

type IssueEvent = Parameters<typeof recordOrderEvent>[2] & { data: Record<string, unknown> };

/**
 * Moves the order to report_issued when issued reports now cover all its lines; a report of some
 * lines leaves the order with its other lines (in_progress or report_review). For a replacement on
 * a settled order, records the event and renews an open objection window.
 */
async function stampOrder(tx: Tx, order: Order, working: boolean, event: IssueEvent, now: Date): Promise<boolean> {
  if (working && !fullyReported(await coverageOf(tx, order))) {
    Object.assign(event.data, { partial: true });
    await followLines(tx, order, event, now);
    return false;
  }
  // The objection window is the one shown with the quote the customer accepted.
  const stamps = issueStamps(order, await termsOfOrder(tx, order), now);
  if (working) {
    if (stamps.onTime === false) Object.assign(event.data, { late: true });
    await transitionOrder(tx, order, WORKING, 'report_issued', event, stamps, now);
    await creditWaivedSurcharge(tx, order, stamps, now);
    return true;
  }
  if (order.status === 'report_issued') await setOrderObjectionUntil(tx, order.id, stamps.objectionUntil!, now);
  await recordOrderEvent(tx, order, event, now);
  return true;
}

/** Tells the customer, and queues the PDF once the issue commits. */
async function announceIssue(tx: Tx, order: Order, report: Report, number: string, partial: boolean, now: Date) {
  const certificate = report.kind === 'certificate';
  await notifySide(tx, order, 'customer', {
    at: now,
    kind: 'report_issued',
    occurrence: report.id,
    titleZh: `${certificate ? '校准证书' : '检验检测报告'}已签发：${number}`,
    titleEn: `${certificate ? 'Calibration certificate' : 'Report'} issued: ${number}`,
    bodyZh: partial
      ? `订单 ${order.number} 的部分项目报告已签发，可在订单页面下载；其余项目仍在检测中。`
      : `订单 ${order.number} 的报告已签发，可在订单页面下载。`,
    bodyEn: partial
      ? `A report covering part of order ${order.number} is issued; download it from the order page. The other lines are still in work.`
      : `The report for order ${order.number} is issued; download it from the order page.`,
  });
  await enqueueAfterCommit(tx, 'reports.render-pdf', { reportId: report.id }, `reports.render-pdf:${report.id}`);
}
