import type { OrderStatus } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { conflict, unprocessable } from '../../lib/errors.ts';
import { assertSide, LAB_ORDER_MANAGERS, notifySide, recordOrderEvent } from '../orders/index.ts';
import { loadReportFor, userIdOf } from './access.ts';
import type { ReportDeps } from './deps.ts';
import { followLines, isSubmitted, WORKING } from './coverage.ts';
import { updateReport } from './repository.ts';
import { viewOne } from './view.ts';

/** Order statuses a replacement report may run its review in without moving the order. */
export const SETTLED: readonly OrderStatus[] = ['report_issued', 'closed'];

export async function submitReport(deps: ReportDeps, actor: Actor | null, reportId: string) {
  return deps.db.transaction(async (tx) => {
    const { report, access } = await loadReportFor(tx, actor, reportId, { forUpdate: true });
    assertSide(access, 'lab', LAB_ORDER_MANAGERS);
    const a = requireActor(actor);
    if (report.status !== 'draft' || (await isSubmitted(tx, report, access.order))) {
      throw conflict(
        'illegal_transition',
        `The report is ${report.status}${report.status === 'draft' ? ' and already submitted' : ''}.`,
      );
    }
    if (!report.testerId) {
      throw unprocessable('tester_required', 'Name the tester before submitting the report.', [
        { path: '/testerId', code: 'tester_required', message: 'Required' },
      ]);
    }
    if (report.kind !== 'deliverable') {
      const empty = report.results.findIndex((r) => r.result.trim() === '');
      if (report.results.length === 0 || empty >= 0) {
        throw unprocessable('results_incomplete', 'Every result row needs a result before review.', [
          { path: `/results/${Math.max(empty, 0)}/result`, code: 'results_incomplete', message: 'Required' },
        ]);
      }
    }
    const now = deps.clock();
    const order = access.order;
    const event = { actor: a, side: 'lab' as const, action: 'report.submitted', data: { reportId: report.id } };
    if (WORKING.includes(order.status)) {
      // The order goes to report_review once every line not yet reported is with the reviewer.
      await followLines(tx, order, event, now, { reportId: report.id, reviewing: true });
    } else if (report.replacesReportId && SETTLED.includes(order.status)) {
      await recordOrderEvent(tx, order, event, now);
    } else {
      throw conflict(
        'illegal_transition',
        `The order is ${order.status}; a report is submitted while it is in_progress.`,
      );
    }
    const updated = await updateReport(tx, report.id, { updatedAt: now });
    await notifySide(tx, order, 'lab', {
      at: now,
      kind: 'report_submitted',
      occurrence: `${report.id}:${now.getTime()}`,
      titleZh: `报告待审核：${order.number}`,
      titleEn: `Report waiting for review: ${order.number}`,
    });
    return viewOne(tx, updated!, deps.webUrl);
  });
}

export async function reviewReport(
  deps: ReportDeps,
  actor: Actor | null,
  reportId: string,
  input: { decision: 'approve' | 'return'; comment?: string },
) {
  return deps.db.transaction(async (tx) => {
    const { report, access } = await loadReportFor(tx, actor, reportId, { forUpdate: true });
    assertSide(access, 'lab', LAB_ORDER_MANAGERS);
    const a = requireActor(actor);
    const me = userIdOf(a);
    const order = access.order;
    if (report.status !== 'draft' || !(await isSubmitted(tx, report, order))) {
      throw conflict('illegal_transition', `The report is ${report.status}; only a submitted draft is reviewed.`);
    }
    if (report.testerId === me) {
      throw unprocessable('reviewer_is_tester', 'The tester may not review their own report.');
    }
    const comment = input.comment?.trim() ?? '';
    const now = deps.clock();
    if (input.decision === 'approve') {
      const updated = await updateReport(
        tx,
        report.id,
        { status: 'reviewed', reviewerId: me, reviewedAt: now, updatedAt: now },
        'draft',
      );
      await recordOrderEvent(
        tx,
        order,
        {
          actor: a,
          side: 'lab',
          action: 'report.reviewed',
          data: { reportId: report.id, comment },
        },
        now,
      );
      return viewOne(tx, updated!, deps.webUrl);
    }
    if (comment.length < 2) {
      throw unprocessable('comment_required', 'Say why the report goes back.', [
        { path: '/comment', code: 'comment_required', message: 'Required when returning' },
      ]);
    }
    const event = { actor: a, side: 'lab' as const, action: 'report.returned', data: { reportId: report.id, comment } };
    // Its lines go back to work: the order follows them back to in_progress.
    await followLines(tx, order, event, now, { reportId: report.id, reviewing: false });
    const updated = await updateReport(tx, report.id, { reviewerId: null, reviewedAt: null, updatedAt: now });
    return viewOne(tx, updated!, deps.webUrl);
  });
}
