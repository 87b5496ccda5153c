import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db, DbOrTx, Report } from '@qihub/db';
import { findOrganisationNames } from '../../lib/repository/organisation-names.ts';
import { localDate } from '../../lib/time.ts';
import { instrumentsOnCertificate } from '../calibration/index.ts';
import { renderReportPdf, verificationUrl, type ReportPdfData } from './pdf.ts';
import { findOrder, lockReport, qualificationsValidOn, reportNumberOf, setReportPdf, userNames } from './repository.ts';

/**
 * Rendering and storing an issued report's PDF: written to `<filesDir>/reports/<lab>/<number>.pdf`
 * through a temporary file and a rename (a reader never sees half a file), with its SHA-256 kept on
 * the report. Done once: the report row is locked while rendering and a report that already has a
 * PDF is left as it is, so the job, the sweep and an on-demand download can race safely.
 */
export interface StoreDeps {
  db: Db;
  filesDir: string;
  webUrl: string;
}

export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const RENDERABLE: Report['status'][] = ['issued', 'replaced', 'revoked'];

/** Gathers everything the PDF prints, as of the report's issue date. */
export async function reportPdfData(db: DbOrTx, report: Report, webUrl: string): Promise<ReportPdfData> {
  if (!report.number || !report.issuedAt) throw new Error(`report ${report.id} is not issued`);
  const issueDate = localDate(report.issuedAt);
  const order = await findOrder(db, report.orderId);
  const orgs = await findOrganisationNames(db, [report.labId, order!.customerOrgId]);
  const lab = orgs.find((o) => o.id === report.labId)!;
  const customer = orgs.find((o) => o.id === order!.customerOrgId)!;
  const names = await userNames(
    db,
    [report.testerId, report.reviewerId, report.signatoryId].filter((x): x is string => !!x),
  );
  const nameOf = (id: string | null) => (id ? names.get(id) : undefined) ?? '';
  // The certificate numbers printed with the marks: those valid on the issue date.
  const quals = await qualificationsValidOn(db, report.labId, issueDate);
  const replacesNumber = report.replacesReportId ? await reportNumberOf(db, report.replacesReportId) : null;
  const instruments: ReportPdfData['instruments'] =
    report.kind === 'certificate'
      ? await instrumentsOnCertificate(db, { reportId: report.id, orderId: report.orderId })
      : [];
  const s = report.sampleSummary;
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const cma = quals.find((q) => q.kind === 'cma');
  const cnas = quals.find((q) => q.kind === 'cnas');
  return {
    kind: report.kind as ReportPdfData['kind'],
    language: report.language as ReportPdfData['language'],
    number: report.number,
    labNameZh: lab.nameZh,
    labNameEn: lab.nameEn,
    customerNameZh: customer.nameZh,
    orderNumber: order!.number,
    cmaMark: report.cmaMark && cma ? { number: cma.number } : null,
    cnasMark: report.cnasMark && cnas ? { number: cnas.number } : null,
    sample: {
      sampleName: text(s.sampleName),
      specification: text(s.specification),
      manufacturer: text(s.manufacturer),
      batch: text(s.batch),
      quantity: text(s.quantity),
      receiptDate: text(s.receiptDate),
      testBasis: text(s.testBasis),
      evaluationBasis: text(s.evaluationBasis),
      purpose: text(s.purpose),
    },
    results: report.results,
    instruments,
    conclusionZh: report.conclusionZh,
    conclusionEn: report.conclusionEn,
    testerName: nameOf(report.testerId),
    reviewerName: nameOf(report.reviewerId),
    signatoryName: nameOf(report.signatoryId),
    issueDate,
    issuedAt: report.issuedAt,
    verificationUrl: verificationUrl(webUrl, report.verificationCode),
    verificationCode: report.verificationCode,
    replacesNumber,
  };
}

/** Relative path of a report's PDF under the files folder. Numbers are [A-Z0-9-] only. */
export function reportPdfPath(report: Pick<Report, 'labId' | 'number'>): string {
  const safe = (report.number ?? '').replace(/[^A-Za-z0-9-]/g, '_');
  return path.posix.join('reports', report.labId, `${safe}.pdf`);
}

/**
 * Renders and stores the PDF unless the report already has one (or is not issued). Returns the
 * stored path and hash, or null when there is nothing to render.
 */
export async function renderAndStore(
  deps: StoreDeps,
  reportId: string,
): Promise<{ pdfPath: string; pdfSha256: string } | null> {
  return deps.db.transaction(async (tx) => {
    const report = await lockReport(tx, reportId);
    if (!report || !RENDERABLE.includes(report.status) || !report.number) return null;
    if (report.pdfPath && report.pdfSha256) return { pdfPath: report.pdfPath, pdfSha256: report.pdfSha256 };
    const bytes = await renderReportPdf(await reportPdfData(tx, report, deps.webUrl));
    const rel = reportPdfPath(report);
    const abs = path.join(deps.filesDir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    const tmp = `${abs}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, abs);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const hash = sha256Hex(bytes);
    await setReportPdf(tx, report.id, rel, hash);
    return { pdfPath: rel, pdfSha256: hash };
  });
}

/** The stored PDF's bytes, checked against the stored hash (a tampered or damaged file is not served). */
export async function readStoredPdf(
  filesDir: string,
  report: Pick<Report, 'pdfPath' | 'pdfSha256'>,
): Promise<Buffer | null> {
  if (!report.pdfPath || !report.pdfSha256) return null;
  const abs = path.resolve(filesDir, report.pdfPath);
  if (!abs.startsWith(path.resolve(filesDir) + path.sep)) return null;
  const bytes = await readFile(abs).catch(() => null);
  if (!bytes || sha256Hex(bytes) !== report.pdfSha256) return null;
  return bytes;
}
