import type { Db } from '@qihub/db';

/**
 * Test reports and calibration certificates: the lab drafts one from the order, submits it for
 * review (order in_progress → report_review), a reviewer who did not test approves or returns it, an
 * authorised signatory who neither tested nor reviewed issues it (number, scope re-marked on the issue date, order
 * → report_issued, on-time and expedite waiver, objection window), then the PDF is rendered after
 * commit. An issued report may be replaced (the old one stays verifiable as "replaced") or revoked.
 */
export interface ReportDeps {
  db: Db;
  clock: () => Date;
  webUrl: string;
}
