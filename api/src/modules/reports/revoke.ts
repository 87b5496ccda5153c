import { requireActor, type Actor } from '../../lib/actor.ts';
import { conflict } from '../../lib/errors.ts';
import { assertSide, notifySide, recordOrderEvent } from '../orders/index.ts';
import { loadReportFor } from './access.ts';
import type { ReportDeps } from './deps.ts';
import { updateReport } from './repository.ts';
import { viewOne } from './view.ts';

/** Revokes an issued report (lab managers): verification shows it revoked from then on. */
export async function revokeReport(deps: ReportDeps, actor: Actor | null, reportId: string, reason: string) {
  return deps.db.transaction(async (tx) => {
    const { report, access } = await loadReportFor(tx, actor, reportId, { forUpdate: true });
    assertSide(access, 'lab', ['manager']);
    const a = requireActor(actor);
    if (report.status !== 'issued') {
      throw conflict('illegal_transition', `The report is ${report.status}; only an issued report is revoked.`);
    }
    const now = deps.clock();
    const updated = await updateReport(
      tx,
      report.id,
      { status: 'revoked', revokedAt: now, revokeReason: reason, updatedAt: now },
      'issued',
    );
    await recordOrderEvent(
      tx,
      access.order,
      {
        actor: a,
        side: 'lab',
        action: 'report.revoked',
        data: { reportId: report.id, number: report.number, reason },
      },
      now,
    );
    await notifySide(tx, access.order, 'customer', {
      at: now,
      kind: 'report_revoked',
      occurrence: report.id,
      titleZh: `报告已撤销：${report.number}`,
      titleEn: `Report revoked: ${report.number}`,
      bodyZh: `撤销原因：${reason}`,
      bodyEn: `Reason: ${reason}`,
    });
    return viewOne(tx, updated!, deps.webUrl);
  });
}
