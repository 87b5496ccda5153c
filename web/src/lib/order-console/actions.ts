import { ORDER_STATUSES, type OrderStatus } from './queue';

/**
 * What the console offers on an order, by its status and the member's role in the lab. It mirrors
 * the API's flow (api/src/modules/orders/flow.ts) so the page only shows buttons that can work;
 * the API still decides, and its refusal is shown when the page guessed wrong.
 */

export type LabRole = 'manager' | 'staff' | 'operator';

export type ConsoleAction =
  | 'quote'
  | 'receiveSample'
  | 'start'
  | 'schedule'
  | 'createReport'
  | 'editReport'
  | 'submitReport'
  | 'reviewReport'
  | 'issueReport'
  | 'replaceReport'
  | 'revokeReport'
  | 'deliver'
  | 'cancel'
  | 'resolveObjection';

/** Managers and staff run orders; operators follow along. */
const RUNNERS: readonly LabRole[] = ['manager', 'staff'];

/** The lab may cancel any time before a report is issued (its manager, with a reason). */
export const LAB_CANCEL_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.slice(
  0,
  ORDER_STATUSES.indexOf('report_issued'),
);

/** Orders whose report is out: a replacement report is drafted, reviewed and issued without moving them. */
const SETTLED: readonly OrderStatus[] = ['report_issued', 'closed'];

export interface ActionContext {
  status: OrderStatus;
  role: LabRole;
  needsSamples: boolean;
  /** Samples still expected (not yet received or rejected). */
  expectedSamples: number;
  /** Reports of the order, oldest first; `submitted` marks a draft that is with the reviewer. */
  reports: readonly ReportBrief[];
  openObjections: number;
  /**
   * The order's lines (not withdrawn). An order may have several reports, each covering some lines:
   * with the lines known, a new report is offered while a line is in no live report.
   */
  lineIds?: readonly string[];
  /** The open report the page shows (`?report=`), when the order has several. */
  chosen?: string | null;
}

interface ReportBrief {
  id?: string;
  status: string;
  submitted?: boolean;
  lineIds?: readonly string[];
  replacesReportId?: string | null;
}

const LIVE = ['draft', 'reviewed', 'issued'];

/** The order's lines no live report covers yet, in order. */
export function uncoveredLines(lineIds: readonly string[], reports: readonly ReportBrief[]): string[] {
  const taken = new Set(reports.filter((r) => LIVE.includes(r.status)).flatMap((r) => r.lineIds ?? []));
  return lineIds.filter((l) => !taken.has(l));
}

export function isLabRole(value: unknown): value is LabRole {
  return value === 'manager' || value === 'staff' || value === 'operator';
}

/**
 * The report being worked on: a draft or a reviewed one waiting for its signature — the one chosen
 * (an order may have several), else the latest.
 */
export function workingReport<T extends { status: string; id?: string }>(
  reports: readonly T[],
  chosen?: string | null,
): T | null {
  const open = [...reports].reverse().filter((r) => r.status === 'draft' || r.status === 'reviewed');
  return open.find((r) => chosen && r.id === chosen) ?? open[0] ?? null;
}

/** The report currently in force (issued, not replaced or revoked). */
export function issuedReport<T extends { status: string }>(reports: readonly T[]): T | null {
  return [...reports].reverse().find((r) => r.status === 'issued') ?? null;
}

export function allowedActions(ctx: ActionContext): Set<ConsoleAction> {
  const out = new Set<ConsoleAction>();
  const runner = RUNNERS.includes(ctx.role);
  const manager = ctx.role === 'manager';
  const s = ctx.status;
  const working = workingReport(ctx.reports, ctx.chosen);
  const issued = issuedReport(ctx.reports);
  if (runner) {
    if (s === 'requested' || s === 'quoted') out.add('quote');
    if (s === 'awaiting_samples' && ctx.expectedSamples > 0) out.add('receiveSample');
    if (s === 'samples_received') out.add('start');
    if (s === 'samples_received' || s === 'in_progress') out.add('schedule');
    // A draft is written while the order is in work, or (a replacement) after its report was issued.
    const drafting = s === 'in_progress' || SETTLED.includes(s);
    if (
      s === 'in_progress' &&
      (ctx.lineIds ? uncoveredLines(ctx.lineIds, ctx.reports).length > 0 : !working && !issued)
    ) {
      out.add('createReport');
    }
    if ((drafting || s === 'report_review') && working?.status === 'draft' && !working.submitted) {
      out.add('editReport');
      out.add('submitReport');
    }
    // With several reports, one is reviewed and signed while the order waits for another's lines.
    const signing = s === 'report_review' || SETTLED.includes(s) || (s === 'in_progress' && !!ctx.lineIds);
    if (signing && working?.status === 'draft' && working.submitted) out.add('reviewReport');
    if (signing && working?.status === 'reviewed') out.add('issueReport');
    if (s === 'in_progress' && !ctx.needsSamples && !working && !issued) out.add('deliver');
  }
  if (manager) {
    if (LAB_CANCEL_STATUSES.includes(s)) out.add('cancel');
    if (s === 'report_issued' && ctx.openObjections > 0) out.add('resolveObjection');
    // One replacement at a time (on a settled order every open report is one); a revocation may come
    // meanwhile: the lines go back to work and the replacement, when it issues, becomes their report.
    const replacing = !!working && (SETTLED.includes(s) || !!working.replacesReportId);
    if (issued && s !== 'cancelled' && s !== 'expired') {
      if (!replacing) out.add('replaceReport');
      out.add('revokeReport');
    }
  }
  return out;
}

export interface Person {
  id: string;
}

/**
 * Why the signed-in member may or may not review or sign the working report, in the API's own
 * codes: tester, reviewer and signatory are three different people, and the signatory is authorised.
 */
export function signOffBlockers(
  report: { tester: Person | null; reviewer: Person | null },
  me: string,
  activeSignatories: readonly string[],
): { review: string | null; issue: string | null } {
  const review = report.tester?.id === me ? 'reviewer_is_tester' : null;
  let issue: string | null = null;
  if (!activeSignatories.includes(me)) issue = 'not_a_signatory';
  else if (report.tester?.id === me) issue = 'signatory_is_tester';
  else if (report.reviewer?.id === me) issue = 'signatory_is_reviewer';
  return { review, issue };
}

/**
 * Whether a draft is with the reviewer, read from the order's timeline the way the API reads it:
 * the latest of drafted / submitted / returned for that report decides.
 */
export function isSubmittedDraft(
  timeline: readonly { action: string; data: Record<string, unknown> }[],
  reportId: string,
): boolean {
  const acts = timeline.filter(
    (e) =>
      e.data.reportId === reportId &&
      (e.action === 'report.drafted' || e.action === 'report.submitted' || e.action === 'report.returned'),
  );
  return acts[acts.length - 1]?.action === 'report.submitted';
}
