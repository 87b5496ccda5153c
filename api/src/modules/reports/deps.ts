import type { Db } from '@qihub/db';

/**
 * Test reports and calibration certificates: the lab drafts one from the order for some or all of
 * its lines (an order may have several reports, a line in at most one live report), submits it for
 * review (the order goes in_progress → report_review once every line not yet reported is with the
 * reviewer), a reviewer who did not test approves or returns it, an authorised signatory who neither
 * tested nor reviewed issues it (number, scope re-marked on the issue date; when issued reports then
 * cover every line, order → report_issued, on-time and expedite waiver, objection window), then the
 * PDF is rendered after commit. An issued report may be replaced (the replacement covers the same
 * lines; the old one stays verifiable as "replaced") or revoked. See coverage.ts.
 */
export interface ReportDeps {
  db: Db;
  clock: () => Date;
  webUrl: string;
}
