import type { DbOrTx, Report } from '@qihub/db';
import { verificationUrl } from './pdf.ts';
import { orderNumbers, userNames } from './repository.ts';

export type ReportKind = 'test' | 'certificate' | 'deliverable';
export type ReportLanguage = 'zh' | 'en' | 'both';

/** Reports as the API shows them, with the order number and the names of the people who signed. */
export async function reportViews(db: DbOrTx, rows: Report[], webUrl: string) {
  const names = await userNames(db, [
    ...new Set(rows.flatMap((r) => [r.testerId, r.reviewerId, r.signatoryId]).filter((i): i is string => !!i)),
  ]);
  const numbers = await orderNumbers(db, [...new Set(rows.map((r) => r.orderId))]);
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
  return rows.map((r) => ({
    id: r.id,
    orderId: r.orderId,
    orderNumber: numbers.get(r.orderId) ?? '',
    labId: r.labId,
    number: r.number,
    status: r.status,
    kind: r.kind as ReportKind,
    language: r.language as ReportLanguage,
    verificationCode: r.verificationCode,
    verificationUrl: verificationUrl(webUrl, r.verificationCode),
    sampleSummary: r.sampleSummary,
    lineIds: r.lineIds,
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

export async function viewOne(db: DbOrTx, report: Report, webUrl: string) {
  return (await reportViews(db, [report], webUrl))[0]!;
}
