import type { DbOrTx, Report } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { AppError, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { orderPaid } from '../invoices/index.ts';
import { loadOrderFor } from '../orders/index.ts';
import { ISSUED_LIKE, loadReportFor } from './access.ts';
import type { ReportDeps } from './deps.ts';
import { reportsOfLab, reportsOfOrder } from './repository.ts';
import { reportViews, viewOne } from './view.ts';

export async function getReport(deps: ReportDeps, actor: Actor | null, reportId: string) {
  const { report } = await loadReportFor(deps.db, actor, reportId);
  return viewOne(deps.db, report, deps.webUrl);
}

export async function listOrderReports(deps: ReportDeps, actor: Actor | null, orderId: string) {
  const access = await loadOrderFor(deps.db, actor, orderId);
  if (access.side !== 'lab' && access.side !== 'customer') throw notFound('order');
  const rows = await reportsOfOrder(deps.db, orderId, access.side === 'customer' ? ISSUED_LIKE : undefined);
  return { items: await reportViews(deps.db, rows, deps.webUrl) };
}

/** The lab's reports, newest first, optionally of one status (members of the lab). */
export async function listLabReports(
  deps: ReportDeps,
  actor: Actor | null,
  labId: string,
  query: { status?: Report['status']; limit?: number },
) {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw forbidden('Only members of this lab may list its reports.');
  const rows = await reportsOfLab(deps.db, labId, query.status, query.limit ?? 50);
  return { items: await reportViews(deps.db, rows, deps.webUrl) };
}

/**
 * The report for a PDF download: members of the customer organisation and of the lab only. Under
 * pay on delivery the customer gets the PDF once the order's invoice is paid (402 until then); the
 * lab always has it, and the public verification page never depends on payment.
 */
export async function reportForDownload(db: DbOrTx, actor: Actor | null, reportId: string): Promise<Report> {
  const { report, access } = await loadReportFor(db, actor, reportId);
  if (!ISSUED_LIKE.includes(report.status)) {
    throw conflict('pdf_not_ready', 'A PDF exists once the report is issued.');
  }
  if (access.side === 'customer' && !(await orderPaid(db, report.orderId))) {
    throw new AppError(
      402,
      'payment_required',
      'The report is released when the order’s invoice is paid (报告在账单付清后发放).',
    );
  }
  return report;
}
