import type { DbOrTx, Order, Report, ReportResultItem, Tx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { conflict, unprocessable } from '../../lib/errors.ts';
import { localDate } from '../../lib/time.ts';
import { assertSide, LAB_ORDER_MANAGERS, loadOrderFor, recordOrderEvent } from '../orders/index.ts';
import { assertLabMember, loadReportFor, userIdOf } from './access.ts';
import { coverageOf, isSubmitted, uncovered } from './coverage.ts';
import type { ReportDeps } from './deps.ts';
import { scoped } from './marks.ts';
import { newVerificationCode } from './numbering.ts';
import {
  findOpenReplacementOf,
  insertReport,
  lineIdsOfOrder,
  lockActiveLinesOfOrder,
  samplesOfOrder,
  updateReport,
  type NewReport,
  type ReportChanges,
} from './repository.ts';
import { viewOne, type ReportKind, type ReportLanguage } from './view.ts';

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

async function sampleSummaryFor(db: DbOrTx, order: Order): Promise<Record<string, unknown>> {
  const c = order.commission;
  const samples = await samplesOfOrder(db, order.id);
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

type DraftContent = Omit<NewReport, 'verificationCode' | 'createdBy' | 'createdAt' | 'updatedAt'>;

/** A new draft with its own verification code, written by `userId` now. */
function insertDraft(tx: DbOrTx, content: DraftContent, userId: string, now: Date): Promise<Report> {
  return insertReport(tx, {
    ...content,
    verificationCode: newVerificationCode(),
    createdBy: userId,
    createdAt: now,
    updatedAt: now,
  });
}

/**
 * The lines a new report covers: those asked for, or every line no live report covers yet. The
 * order is locked by the caller and its lines here, so two drafts for one line cannot both pass.
 */
async function linesToCover(tx: Tx, orderId: string, asked: string[] | undefined) {
  const all = await lockActiveLinesOfOrder(tx, orderId);
  const coverage = await coverageOf(tx, { id: orderId });
  if (!asked) {
    const free = new Set(uncovered(coverage));
    if (free.size === 0) {
      throw conflict(
        'report_exists',
        coverage.lineIds.every((l) => coverage.issued.has(l))
          ? 'Every line of this order is in an issued report: replace it instead.'
          : 'Every line of this order is already in a report being drafted or reviewed.',
      );
    }
    return all.filter((l) => free.has(l.id));
  }
  const byId = new Map(all.map((l) => [l.id, l]));
  asked.forEach((id, i) => {
    if (!byId.has(id)) {
      throw unprocessable('unknown_line', 'The report would cover a line that is not on this order.', [
        { path: `/lineIds/${i}`, code: 'unknown_line', message: 'Not a line of this order' },
      ]);
    }
    if (coverage.taken.has(id)) {
      throw conflict('line_already_reported', 'A line is already covered by another report of this order.', [
        { path: `/lineIds/${i}`, code: 'line_already_reported', message: 'Already in another report' },
      ]);
    }
  });
  return all.filter((l) => asked.includes(l.id));
}

export async function createDraft(
  deps: ReportDeps,
  actor: Actor | null,
  orderId: string,
  input: { kind?: ReportKind; language?: ReportLanguage; testerId?: string | null; lineIds?: string[] },
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
    const lines = await linesToCover(tx, order.id, input.lineIds);
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
    const report = await insertDraft(
      tx,
      {
        orderId: order.id,
        labId: order.labId,
        lineIds: lines.map((l) => l.id),
        kind,
        language: input.language ?? order.commission?.reportLanguage ?? 'zh',
        sampleSummary: await sampleSummaryFor(tx, order),
        results: marked.results,
        cmaMark: marked.cmaMark,
        cnasMark: marked.cnasMark,
        testerId: input.testerId ?? null,
      },
      me,
      now,
    );
    await recordOrderEvent(
      tx,
      order,
      {
        actor: a,
        side: 'lab',
        action: 'report.drafted',
        data: { reportId: report.id, kind, lineIds: report.lineIds },
      },
      now,
    );
    return viewOne(tx, report, deps.webUrl);
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
  language?: ReportLanguage;
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
    const set: ReportChanges = { updatedAt: deps.clock() };
    if (input.results) {
      // A result row belongs to one of the lines this report covers (or to none).
      const lineIds = report.lineIds.length > 0 ? new Set(report.lineIds) : await lineIdsOfOrder(tx, report.orderId);
      const items: ReportResultItem[] = input.results.map((r, i) => {
        if (r.lineId && !lineIds.has(r.lineId)) {
          throw unprocessable('unknown_line', 'A result refers to a line this report does not cover.', [
            { path: `/results/${i}/lineId`, code: 'unknown_line', message: 'Not a line of this report' },
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
    const updated = await updateReport(tx, report.id, set);
    return viewOne(tx, updated!, deps.webUrl);
  });
}

/** Starts the replacement of an issued report: a draft copy of it; the old one is replaced when it issues. */
export async function replaceReport(deps: ReportDeps, actor: Actor | null, reportId: string, reason: string) {
  return deps.db.transaction(async (tx) => {
    const { report, access } = await loadReportFor(tx, actor, reportId, { forUpdate: true });
    assertSide(access, 'lab', ['manager']);
    const a = requireActor(actor);
    const me = userIdOf(a);
    if (report.status === 'revoked') {
      // Its lines are free again: a new report of them is drafted on the order instead.
      throw conflict('report_revoked', 'The report was revoked: draft a new report of its lines instead.');
    }
    if (report.status !== 'issued') {
      throw conflict('illegal_transition', `The report is ${report.status}; only an issued report is replaced.`);
    }
    const order = access.order;
    if (order.status === 'cancelled' || order.status === 'expired') {
      throw conflict('illegal_transition', `The order is ${order.status}.`);
    }
    // Other reports of the order may be in work meanwhile: only one replacement of this one at a time.
    if (await findOpenReplacementOf(tx, report.id)) {
      throw conflict('replacement_exists', 'A replacement of this report is already being drafted or reviewed.');
    }
    const now = deps.clock();
    const draft = await insertDraft(
      tx,
      {
        orderId: order.id,
        labId: report.labId,
        // The same lines as the report it replaces.
        lineIds: report.lineIds,
        kind: report.kind,
        language: report.language,
        sampleSummary: report.sampleSummary,
        results: report.results,
        conclusionZh: report.conclusionZh,
        conclusionEn: report.conclusionEn,
        cmaMark: report.cmaMark,
        cnasMark: report.cnasMark,
        testerId: report.testerId,
        replacesReportId: report.id,
      },
      me,
      now,
    );
    await recordOrderEvent(
      tx,
      order,
      {
        actor: a,
        side: 'lab',
        action: 'report.drafted',
        data: { reportId: draft.id, replaces: report.number, reason },
      },
      now,
    );
    return viewOne(tx, draft, deps.webUrl);
  });
}
