import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import {
  calibrationRecords,
  labSignatories,
  memberships,
  orderLines,
  orderSamples,
  orders,
  reports,
  users,
  type Db,
  type DbOrTx,
  type Order,
  type OrderStatus,
  type Report,
  type ReportResultItem,
  type Tx,
} from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { enqueueAfterCommit } from '../../lib/audit.ts';
import { AppError, conflict, forbidden, notFound, unprocessable, type ProblemCode } from '../../lib/errors.ts';
import { localDate, PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { assertSide, LAB_ORDER_MANAGERS, loadOrderFor, type OrderAccess } from '../orders/index.ts';
import { notifySide } from '../orders/index.ts';
import { markScope } from '../orders/index.ts';
import { claimReportPrefix } from '../orders/index.ts';
import { DEFAULT_ORDER_SETTINGS, termsOfOrder } from '../orders/index.ts';
import { nextSequence, recordOrderEvent, transitionOrder } from '../orders/index.ts';
import { verificationUrl } from './pdf.ts';

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

export type ReportKind = 'test' | 'certificate' | 'deliverable';
type Language = 'zh' | 'en' | 'both';

/** Kinds of order line that produce nothing to test: their orders get a "deliverable" report. */
const CONSULTING_KINDS = new Set([
  'standards',
  'certification',
  'quality_management',
  'technical_assistance',
  'training',
  'ip',
  'brand',
]);
const OPEN_REPORT: Report['status'][] = ['draft', 'reviewed'];
const ISSUED_LIKE: Report['status'][] = ['issued', 'replaced', 'revoked'];

export function newVerificationCode(): string {
  // 18 random bytes → 24 URL-safe characters.
  return randomBytes(18).toString('base64url');
}

export function formatReportNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(6, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Loading and views

interface ReportAccess {
  report: Report;
  access: OrderAccess;
}

/**
 * The report and how the caller stands to its order. Only the two parties see reports: the lab
 * all of them, the customer only issued ones (drafts are the lab's working papers); anyone else 404.
 * With `forUpdate` the order and then the report are locked (always in that order).
 */
async function loadReportFor(
  tx: DbOrTx,
  actor: Actor | null,
  reportId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ReportAccess> {
  requireActor(actor);
  const [first] = await tx.select().from(reports).where(eq(reports.id, reportId)).limit(1);
  if (!first) throw notFound('report');
  const access = await loadOrderFor(tx, actor, first.orderId, { forUpdate: options.forUpdate }).catch(
    (error: unknown) => {
      throw error instanceof AppError && error.status === 404 ? notFound('report') : error;
    },
  );
  if (access.side !== 'lab' && access.side !== 'customer') throw notFound('report');
  if (access.side === 'customer' && !ISSUED_LIKE.includes(first.status)) throw notFound('report');
  if (!options.forUpdate) return { report: first, access };
  const [locked] = await tx.select().from(reports).where(eq(reports.id, reportId)).for('update');
  return { report: locked!, access };
}

async function namesOf(db: DbOrTx, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function reportViews(db: DbOrTx, rows: Report[], webUrl: string) {
  const names = await namesOf(
    db,
    rows.flatMap((r) => [r.testerId, r.reviewerId, r.signatoryId]),
  );
  const orderIds = [...new Set(rows.map((r) => r.orderId))];
  const numbers = new Map(
    orderIds.length === 0
      ? []
      : (
          await db.select({ id: orders.id, number: orders.number }).from(orders).where(inArray(orders.id, orderIds))
        ).map((o) => [o.id, o.number]),
  );
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
  return rows.map((r) => ({
    id: r.id,
    orderId: r.orderId,
    orderNumber: numbers.get(r.orderId) ?? '',
    labId: r.labId,
    number: r.number,
    status: r.status,
    kind: r.kind as ReportKind,
    language: r.language as Language,
    verificationCode: r.verificationCode,
    verificationUrl: verificationUrl(webUrl, r.verificationCode),
    sampleSummary: r.sampleSummary,
    results: r.results,
    conclusionZh: r.conclusionZh,
    conclusionEn: r.conclusionEn,
    cmaMark: r.cmaMark,
    cnasMark: r.cnasMark,
    tester: person(r.testerId),
    reviewer: person(r.reviewerId),
    reviewedAt: r.reviewedAt?.toISOString() ?? null,
    signatory: person(r.signatoryId),
    issuedAt: r.issuedAt?.toISOString() ?? null,
    pdfSha256: r.pdfSha256,
    pdfReady: r.pdfSha256 !== null,
    replacesReportId: r.replacesReportId,
    replacedByReportId: r.replacedByReportId,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    revokeReason: r.revokeReason,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

async function viewOne(db: DbOrTx, report: Report, webUrl: string) {
  return (await reportViews(db, [report], webUrl))[0]!;
}

export async function getReport(deps: ReportDeps, actor: Actor | null, reportId: string) {
  const { report } = await loadReportFor(deps.db, actor, reportId);
  return viewOne(deps.db, report, deps.webUrl);
}

export async function listOrderReports(deps: ReportDeps, actor: Actor | null, orderId: string) {
  const access = await loadOrderFor(deps.db, actor, orderId);
  if (access.side !== 'lab' && access.side !== 'customer') throw notFound('order');
  const rows = await deps.db
    .select()
    .from(reports)
    .where(
      and(eq(reports.orderId, orderId), access.side === 'customer' ? inArray(reports.status, ISSUED_LIKE) : undefined),
    )
    .orderBy(asc(reports.createdAt));
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
  const rows = await deps.db
    .select()
    .from(reports)
    .where(and(eq(reports.labId, labId), query.status ? eq(reports.status, query.status) : undefined))
    .orderBy(desc(reports.updatedAt))
    .limit(query.limit ?? 50);
  return { items: await reportViews(deps.db, rows, deps.webUrl) };
}

// ---------------------------------------------------------------------------------------------
// Drafting

function userIdOf(actor: Actor): string {
  if (!actor.userId) throw forbidden('Reports are written and signed by people, not API tokens.');
  return actor.userId;
}

/** The tester must be a member of the lab (operators included: they do the testing). */
async function assertLabMember(db: DbOrTx, labId: string, userId: string, code: ProblemCode) {
  const [m] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, labId), eq(memberships.userId, userId)))
    .limit(1);
  if (!m) {
    throw unprocessable(code, 'That person is not a member of the lab.', [
      { path: '/testerId', code, message: 'Not a member of the lab' },
    ]);
  }
}

interface ScopeInput {
  parameterZh: string;
  standardCode: string;
}

/** Marks each item inside/outside a valid CMA/CNAS scope on `onDate`, and the report marks with it. */
async function scoped<T extends ScopeInput>(db: DbOrTx, labId: string, items: T[], onDate: string) {
  const marks = await markScope(db, labId, items, onDate);
  const out = items.map((item, i) => ({
    ...item,
    inCmaScope: marks[i]!.inCmaScope,
    inCnasScope: marks[i]!.inCnasScope,
  }));
  return {
    results: out,
    cmaMark: out.some((r) => r.inCmaScope),
    cnasMark: out.some((r) => r.inCnasScope),
  };
}

async function sampleSummaryFor(db: DbOrTx, order: Order): Promise<Record<string, unknown>> {
  const c = order.commission;
  const samples = await db
    .select()
    .from(orderSamples)
    .where(eq(orderSamples.orderId, order.id))
    .orderBy(asc(orderSamples.code));
  const received = samples.filter((s) => s.receivedAt !== null);
  const first = received.map((s) => s.receivedAt!).sort((a, b) => a.getTime() - b.getTime())[0];
  const quantity =
    received.length > 0
      ? received.map((s) => `${s.quantity} ${s.unit}`).join('，')
      : c?.quantity
        ? String(c.quantity)
        : '';
  return {
    sampleName: c?.sampleName || samples[0]?.nameZh || '',
    specification: c?.specification ?? '',
    manufacturer: c?.manufacturer ?? '',
    batch: c?.batch ?? '',
    quantity,
    receiptDate: first ? localDate(first) : '',
    testBasis: c?.testBasis ?? '',
    evaluationBasis: c?.evaluationBasis ?? '',
    purpose: c?.purpose ?? '',
    sampleCodes: received.map((s) => s.code),
  };
}

async function openReportOf(tx: DbOrTx, orderId: string) {
  const [row] = await tx
    .select({ id: reports.id, status: reports.status })
    .from(reports)
    .where(and(eq(reports.orderId, orderId), inArray(reports.status, [...OPEN_REPORT, 'issued'])))
    .limit(1);
  return row ?? null;
}

export async function createDraft(
  deps: ReportDeps,
  actor: Actor | null,
  orderId: string,
  input: { kind?: ReportKind; language?: Language; testerId?: string | null },
) {
  return deps.db.transaction(async (tx) => {
    const access = await loadOrderFor(tx, actor, orderId, { forUpdate: true });
    assertSide(access, 'lab', LAB_ORDER_MANAGERS);
    const a = requireActor(actor);
    const me = userIdOf(a);
    const order = access.order;
    if (order.status !== 'in_progress') {
      throw conflict(
        'illegal_transition',
        `The order is ${order.status}; a report is drafted while it is in_progress.`,
      );
    }
    const existing = await openReportOf(tx, order.id);
    if (existing) {
      throw conflict(
        'report_exists',
        existing.status === 'issued'
          ? 'This order already has an issued report: replace it instead.'
          : 'This order already has a report being drafted or reviewed.',
      );
    }
    const lines = await tx
      .select()
      .from(orderLines)
      .where(and(eq(orderLines.orderId, order.id), isNull(orderLines.removedAt)))
      .orderBy(asc(orderLines.position));
    const hasCalibration = lines.some((l) => l.kind === 'calibration');
    const kind: ReportKind =
      input.kind ??
      (hasCalibration
        ? 'certificate'
        : lines.length > 0 && lines.every((l) => CONSULTING_KINDS.has(l.kind))
          ? 'deliverable'
          : 'test');
    if (kind === 'certificate' && !hasCalibration) {
      throw unprocessable('not_a_calibration_order', 'A calibration certificate needs calibration lines on the order.');
    }
    if (input.testerId) await assertLabMember(tx, order.labId, input.testerId, 'tester_not_member');
    const now = deps.clock();
    const items: ReportResultItem[] = lines.map((l) => ({
      lineId: l.id,
      parameterZh: l.parameterZh || l.descriptionZh,
      parameterEn: l.parameterZh ? '' : l.descriptionEn,
      standardCode: l.standardCode,
      requirement: '',
      result: '',
      unit: '',
      verdict: 'info',
      inCmaScope: false,
      inCnasScope: false,
    }));
    const marked = await scoped(tx, order.labId, items, localDate(now));
    const [report] = await tx
      .insert(reports)
      .values({
        orderId: order.id,
        labId: order.labId,
        kind,
        language: input.language ?? order.commission?.reportLanguage ?? 'zh',
        verificationCode: newVerificationCode(),
        sampleSummary: await sampleSummaryFor(tx, order),
        results: marked.results,
        cmaMark: marked.cmaMark,
        cnasMark: marked.cnasMark,
        testerId: input.testerId ?? null,
        createdBy: me,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordOrderEvent(tx, order, {
      actor: a,
      side: 'lab',
      action: 'report.drafted',
      data: { reportId: report!.id, kind },
    });
    return viewOne(tx, report!, deps.webUrl);
  });
}

export interface ReportPatchInput {
  results?: {
    lineId?: string | null;
    parameterZh: string;
    parameterEn?: string;
    standardCode?: string;
    requirement?: string;
    result?: string;
    unit?: string;
    verdict?: 'pass' | 'fail' | 'info';
  }[];
  conclusionZh?: string;
  conclusionEn?: string;
  testerId?: string | null;
  language?: Language;
  sampleSummary?: Record<string, unknown>;
}

export async function updateDraft(deps: ReportDeps, actor: Actor | null, reportId: string, input: ReportPatchInput) {
  return deps.db.transaction(async (tx) => {
    const { report, access } = await loadReportFor(tx, actor, reportId, { forUpdate: true });
    assertSide(access, 'lab', LAB_ORDER_MANAGERS);
    if (report.status !== 'draft') {
      throw conflict('illegal_transition', `The report is ${report.status}; only a draft can be edited.`);
    }
    if (await isSubmitted(tx, report, access.order)) {
      throw conflict('report_under_review', 'The report is with the reviewer: return it before editing.');
    }
    const set: Partial<typeof reports.$inferInsert> = { updatedAt: deps.clock() };
    if (input.results) {
      const lineIds = new Set(
        (await tx.select({ id: orderLines.id }).from(orderLines).where(eq(orderLines.orderId, report.orderId))).map(
          (l) => l.id,
        ),
      );
      const items: ReportResultItem[] = input.results.map((r, i) => {
        if (r.lineId && !lineIds.has(r.lineId)) {
          throw unprocessable('unknown_line', 'A result refers to a line of another order.', [
            { path: `/results/${i}/lineId`, code: 'unknown_line', message: 'Not a line of this order' },
          ]);
        }
        return {
          lineId: r.lineId ?? null,
          parameterZh: r.parameterZh,
          parameterEn: r.parameterEn ?? '',
          standardCode: r.standardCode ?? '',
          requirement: r.requirement ?? '',
          result: r.result ?? '',
          unit: r.unit ?? '',
          verdict: r.verdict ?? 'info',
          inCmaScope: false,
          inCnasScope: false,
        };
      });
      const marked = await scoped(tx, report.labId, items, localDate(deps.clock()));
      set.results = marked.results;
      set.cmaMark = marked.cmaMark;
      set.cnasMark = marked.cnasMark;
    }
    if (input.conclusionZh !== undefined) set.conclusionZh = input.conclusionZh;
    if (input.conclusionEn !== undefined) set.conclusionEn = input.conclusionEn;
    if (input.language !== undefined) set.language = input.language;
    if (input.sampleSummary !== undefined) set.sampleSummary = { ...report.sampleSummary, ...input.sampleSummary };
    if (input.testerId !== undefined) {
      if (input.testerId) await assertLabMember(tx, report.labId, input.testerId, 'tester_not_member');
      set.testerId = input.testerId;
    }
    const [updated] = await tx.update(reports).set(set).where(eq(reports.id, report.id)).returning();
    return viewOne(tx, updated!, deps.webUrl);
  });
}

// ---------------------------------------------------------------------------------------------
// Submit, review, issue

/**
 * Whether the draft is with the reviewer: its latest submit/return/draft event on the order's
 * timeline is a submit. (The order's status says so too in the ordinary flow; a replacement of a
 * report on an already-issued order moves no order status, so the timeline is what tells.)
 */
async function isSubmitted(tx: DbOrTx, report: Report, order: Order): Promise<boolean> {
  if (report.status !== 'draft') return false;
  const { rows } = await tx.execute<{ action: string }>(sql`
    SELECT action FROM order_events
    WHERE order_id = ${order.id}::uuid AND data->>'reportId' = ${report.id}
      AND action IN ('report.drafted', 'report.submitted', 'report.returned')
    ORDER BY id DESC LIMIT 1`);
  return rows[0]?.action === 'report.submitted';
}

/** Order statuses a replacement report may run its review in without moving the order. */
const SETTLED: readonly OrderStatus[] = ['report_issued', 'closed'];

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
    if (order.status === 'in_progress') {
      await transitionOrder(tx, order, ['in_progress'], 'report_review', event, {}, now);
    } else if (report.replacesReportId && SETTLED.includes(order.status)) {
      await recordOrderEvent(tx, order, event);
    } else {
      throw conflict(
        'illegal_transition',
        `The order is ${order.status}; a report is submitted while it is in_progress.`,
      );
    }
    const [updated] = await tx.update(reports).set({ updatedAt: now }).where(eq(reports.id, report.id)).returning();
    await notifySide(tx, order, 'lab', {
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
      const [updated] = await tx
        .update(reports)
        .set({ status: 'reviewed', reviewerId: me, reviewedAt: now, updatedAt: now })
        .where(and(eq(reports.id, report.id), eq(reports.status, 'draft')))
        .returning();
      await recordOrderEvent(tx, order, {
        actor: a,
        side: 'lab',
        action: 'report.reviewed',
        data: { reportId: report.id, comment },
      });
      return viewOne(tx, updated!, deps.webUrl);
    }
    if (comment.length < 2) {
      throw unprocessable('comment_required', 'Say why the report goes back.', [
        { path: '/comment', code: 'comment_required', message: 'Required when returning' },
      ]);
    }
    const event = { actor: a, side: 'lab' as const, action: 'report.returned', data: { reportId: report.id, comment } };
    if (order.status === 'report_review') {
      await transitionOrder(tx, order, ['report_review'], 'in_progress', event, {}, now);
    } else {
      await recordOrderEvent(tx, order, event);
    }
    const [updated] = await tx
      .update(reports)
      .set({ reviewerId: null, reviewedAt: null, updatedAt: now })
      .where(eq(reports.id, report.id))
      .returning();
    return viewOne(tx, updated!, deps.webUrl);
  });
}

/**
 * The next report number of the lab for the year, from its sequence row (taken under the row lock,
 * so never handed out twice). A number that already exists — imported or seeded history under the
 * same prefix — is skipped rather than reused.
 */
async function takeReportNumber(tx: Tx, labId: string, prefix: string, year: number): Promise<string> {
  for (;;) {
    const number = formatReportNumber(prefix, year, await nextSequence(tx, 'report_sequences', { labId, year }));
    const [taken] = await tx.select({ id: reports.id }).from(reports).where(eq(reports.number, number)).limit(1);
    if (!taken) return number;
  }
}

/** "YYYY-MM-DD" + whole months, in China dates. */
export function addMonths(isoDate: string, months: number): string {
  return DateTime.fromISO(isoDate, { zone: PLATFORM_TIME_ZONE }).plus({ months }).toISODate()!;
}

function intervalMonthsOf(details: Record<string, unknown>): number {
  const v = Number(details.intervalMonths);
  return Number.isInteger(v) && v >= 1 && v <= 120 ? v : 12;
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export async function issueReport(deps: ReportDeps, actor: Actor | null, reportId: string) {
  return deps.db.transaction(async (tx) => {
    const { report, access } = await loadReportFor(tx, actor, reportId, { forUpdate: true });
    const a = requireActor(actor);
    assertSide(access, 'lab');
    const me = userIdOf(a);
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
    const order = access.order;
    const normal = order.status === 'report_review';
    if (!normal && !(report.replacesReportId && SETTLED.includes(order.status))) {
      throw conflict('illegal_transition', `The order is ${order.status}; a report is issued from report_review.`);
    }

    const now = deps.clock();
    const issueDate = localDate(now);
    const year = Number(issueDate.slice(0, 4));
    // A lab that never chose a prefix is given its default now, held against every other lab.
    const prefix = await claimReportPrefix(tx, report.labId, DEFAULT_ORDER_SETTINGS);
    const number = await takeReportNumber(tx, report.labId, prefix, year);
    const marked = await scoped(tx, report.labId, report.results, issueDate);

    const [issued] = await tx
      .update(reports)
      .set({
        status: 'issued',
        number,
        signatoryId: me,
        issuedAt: now,
        results: marked.results,
        cmaMark: marked.cmaMark,
        cnasMark: marked.cnasMark,
        updatedAt: now,
      })
      .where(and(eq(reports.id, report.id), eq(reports.status, 'reviewed')))
      .returning();

    let replacedNumber: string | null = null;
    let replacedRecords: (typeof calibrationRecords.$inferSelect)[] = [];
    if (report.replacesReportId) {
      const [old] = await tx
        .update(reports)
        .set({
          status: sql`CASE WHEN ${reports.status} = 'issued' THEN 'replaced'::report_status ELSE ${reports.status} END`,
          replacedByReportId: report.id,
          updatedAt: now,
        })
        .where(eq(reports.id, report.replacesReportId))
        .returning({ number: reports.number });
      replacedNumber = old?.number ?? null;
      // The replaced certificate's calibration records give way to the new one's, which keep their
      // calibration and due dates (a corrected certificate does not recalibrate the instrument).
      replacedRecords = await tx
        .delete(calibrationRecords)
        .where(eq(calibrationRecords.reportId, report.replacesReportId))
        .returning();
    }

    // The objection window is the one shown with the quote the customer accepted.
    const { objectionDays } = await termsOfOrder(tx, order);
    const objectionUntil = DateTime.fromJSDate(now)
      .setZone(PLATFORM_TIME_ZONE)
      .plus({ days: objectionDays })
      .toJSDate();
    const data = { reportId: report.id, number, ...(replacedNumber ? { replaces: replacedNumber } : {}) };
    const event = { actor: a, side: 'lab' as const, action: 'report.issued', data };
    if (normal) {
      const set: Partial<typeof orders.$inferInsert> = { objectionUntil };
      if (!order.reportIssuedAt) {
        // The first issue decides the turnaround figures; a late lab forfeits the expedite surcharge.
        const onTime = order.dueAt ? now.getTime() <= order.dueAt.getTime() : null;
        set.reportIssuedAt = now;
        set.onTime = onTime;
        if (onTime === false && order.surchargeFen > 0) {
          set.surchargeWaived = true;
          set.totalFen = order.subtotalFen;
        }
        if (onTime === false) Object.assign(data, { late: true });
      }
      await transitionOrder(tx, order, ['report_review'], 'report_issued', event, set, now);
    } else {
      if (order.status === 'report_issued') {
        await tx.update(orders).set({ objectionUntil, updatedAt: now }).where(eq(orders.id, order.id));
      }
      await recordOrderEvent(tx, order, event);
    }

    if (report.kind === 'certificate') {
      const lines = await tx
        .select()
        .from(orderLines)
        .where(and(eq(orderLines.orderId, order.id), isNull(orderLines.removedAt), eq(orderLines.kind, 'calibration')))
        .orderBy(asc(orderLines.position));
      if (lines.length > 0) {
        const unmatched = [...replacedRecords];
        await tx.insert(calibrationRecords).values(
          lines.map((l) => {
            const d = l.details;
            const instrumentName = str(d.instrumentName) || l.descriptionZh;
            const model = str(d.model);
            const serialNumber = str(d.serialNumber);
            const previous = takeReplacedRecord(unmatched, { instrumentName, model, serialNumber });
            return {
              customerOrgId: order.customerOrgId,
              labId: order.labId,
              orderId: order.id,
              reportId: report.id,
              instrumentName,
              model,
              serialNumber,
              measuringRange: str(d.measuringRange),
              accuracyClass: str(d.accuracyClass),
              method: d.method === 'verification' ? 'verification' : 'calibration',
              calibratedOn: previous?.calibratedOn ?? issueDate,
              nextDueOn: previous?.nextDueOn ?? addMonths(issueDate, intervalMonthsOf(d)),
              recallRemindedAt: previous?.recallRemindedAt ?? null,
            };
          }),
        );
      }
    }

    await notifySide(tx, order, 'customer', {
      kind: 'report_issued',
      occurrence: report.id,
      titleZh: `${report.kind === 'certificate' ? '校准证书' : '检验检测报告'}已签发：${number}`,
      titleEn: `${report.kind === 'certificate' ? 'Calibration certificate' : 'Report'} issued: ${number}`,
      bodyZh: `订单 ${order.number} 的报告已签发，可在订单页面下载。`,
      bodyEn: `The report for order ${order.number} is issued; download it from the order page.`,
    });
    await enqueueAfterCommit(tx, 'reports.render-pdf', { reportId: report.id }, `reports.render-pdf:${report.id}`);
    return viewOne(tx, issued!, deps.webUrl);
  });
}

/**
 * The replaced certificate's record of the same instrument (taken out of `records`): the same
 * non-empty serial number, or for an instrument without one the next record of the same name and
 * model without one (those came from the same issue with the same dates, so any pairing will do).
 */
function takeReplacedRecord(
  records: (typeof calibrationRecords.$inferSelect)[],
  line: { instrumentName: string; model: string; serialNumber: string },
) {
  const i = line.serialNumber
    ? records.findIndex((r) => r.serialNumber === line.serialNumber)
    : records.findIndex(
        (r) => r.serialNumber === '' && r.instrumentName === line.instrumentName && r.model === line.model,
      );
  return i < 0 ? undefined : records.splice(i, 1)[0];
}

async function isActiveSignatory(tx: DbOrTx, labId: string, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ userId: labSignatories.userId })
    .from(labSignatories)
    .where(and(eq(labSignatories.labId, labId), eq(labSignatories.userId, userId), isNull(labSignatories.revokedAt)))
    .limit(1);
  return !!row;
}

// ---------------------------------------------------------------------------------------------
// Replace and revoke

function assertLabManager(access: OrderAccess) {
  assertSide(access, 'lab', ['manager']);
}

export async function replaceReport(deps: ReportDeps, actor: Actor | null, reportId: string, reason: string) {
  return deps.db.transaction(async (tx) => {
    const { report, access } = await loadReportFor(tx, actor, reportId, { forUpdate: true });
    assertLabManager(access);
    const a = requireActor(actor);
    const me = userIdOf(a);
    if (report.status !== 'issued') {
      throw conflict('illegal_transition', `The report is ${report.status}; only an issued report is replaced.`);
    }
    const order = access.order;
    if (order.status === 'cancelled' || order.status === 'expired') {
      throw conflict('illegal_transition', `The order is ${order.status}.`);
    }
    const open = await tx
      .select({ id: reports.id, replaces: reports.replacesReportId })
      .from(reports)
      .where(and(eq(reports.orderId, order.id), inArray(reports.status, OPEN_REPORT)))
      .limit(1);
    if (open[0]) {
      throw conflict(
        open[0].replaces === report.id ? 'replacement_exists' : 'report_exists',
        'A report of this order is already being drafted or reviewed.',
      );
    }
    const now = deps.clock();
    const [draft] = await tx
      .insert(reports)
      .values({
        orderId: order.id,
        labId: report.labId,
        kind: report.kind,
        language: report.language,
        verificationCode: newVerificationCode(),
        sampleSummary: report.sampleSummary,
        results: report.results,
        conclusionZh: report.conclusionZh,
        conclusionEn: report.conclusionEn,
        cmaMark: report.cmaMark,
        cnasMark: report.cnasMark,
        testerId: report.testerId,
        replacesReportId: report.id,
        createdBy: me,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordOrderEvent(tx, order, {
      actor: a,
      side: 'lab',
      action: 'report.drafted',
      data: { reportId: draft!.id, replaces: report.number, reason },
    });
    return viewOne(tx, draft!, deps.webUrl);
  });
}

export async function revokeReport(deps: ReportDeps, actor: Actor | null, reportId: string, reason: string) {
  return deps.db.transaction(async (tx) => {
    const { report, access } = await loadReportFor(tx, actor, reportId, { forUpdate: true });
    assertLabManager(access);
    const a = requireActor(actor);
    if (report.status !== 'issued') {
      throw conflict('illegal_transition', `The report is ${report.status}; only an issued report is revoked.`);
    }
    const now = deps.clock();
    const [updated] = await tx
      .update(reports)
      .set({ status: 'revoked', revokedAt: now, revokeReason: reason, updatedAt: now })
      .where(and(eq(reports.id, report.id), eq(reports.status, 'issued')))
      .returning();
    await recordOrderEvent(tx, access.order, {
      actor: a,
      side: 'lab',
      action: 'report.revoked',
      data: { reportId: report.id, number: report.number, reason },
    });
    await notifySide(tx, access.order, 'customer', {
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

// ---------------------------------------------------------------------------------------------
// Public verification

export async function verifyReport(db: DbOrTx, code: string) {
  const { rows } = await db.execute<{
    number: string | null;
    kind: string;
    status: Report['status'];
    issued_at: string | Date | null;
    revoked_at: string | Date | null;
    pdf_sha256: string | null;
    name_zh: string;
    name_en: string;
    replaced_by: string | null;
  }>(sql`
    SELECT r.number, r.kind, r.status, r.issued_at, r.revoked_at, r.pdf_sha256, o.name_zh, o.name_en,
           nr.number AS replaced_by
    FROM reports r JOIN organisations o ON o.id = r.lab_id
      LEFT JOIN reports nr ON nr.id = r.replaced_by_report_id AND nr.status IN ('issued', 'replaced', 'revoked')
    WHERE r.verification_code = ${code} AND r.status IN ('issued', 'replaced', 'revoked')
    LIMIT 1`);
  const r = rows[0];
  if (!r || !r.number || !r.issued_at) throw notFound('report');
  const issuedAt = new Date(r.issued_at);
  return {
    number: r.number,
    kind: r.kind as ReportKind,
    labNameZh: r.name_zh,
    labNameEn: r.name_en,
    issuedOn: localDate(issuedAt),
    issuedAt: issuedAt.toISOString(),
    status: r.status === 'issued' ? ('valid' as const) : (r.status as 'replaced' | 'revoked'),
    replacedByNumber: r.status === 'replaced' ? r.replaced_by : null,
    revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    pdfSha256: r.pdf_sha256,
  };
}

// ---------------------------------------------------------------------------------------------
// Loading for the PDF download

/** The report for a PDF download: members of the customer organisation and of the lab only. */
export async function reportForDownload(db: DbOrTx, actor: Actor | null, reportId: string): Promise<Report> {
  const { report } = await loadReportFor(db, actor, reportId);
  if (!ISSUED_LIKE.includes(report.status)) {
    throw conflict('pdf_not_ready', 'A PDF exists once the report is issued.');
  }
  return report;
}

export { ISSUED_LIKE };

/** Lab manager check for lab-level routes (signatories). */
export function assertLabManagerOf(actor: Actor | null, labId: string): Actor {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab' || m.orgStatus === 'suspended' || m.role !== 'manager') {
    throw forbidden('Only a manager of this lab may do this.');
  }
  return a;
}
