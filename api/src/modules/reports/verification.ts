import type { DbOrTx } from '@qihub/db';
import { notFound } from '../../lib/errors.ts';
import { localDate } from '../../lib/time.ts';
import { findVerifiableReport } from './repository.ts';
import type { ReportKind } from './view.ts';

/** Public verification by the code in the report's QR code: number, lab, date, status and hash. */
export async function verifyReport(db: DbOrTx, code: string) {
  const r = await findVerifiableReport(db, code);
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
    // A revoked report whose replacement (drafted before the revocation) issued since names it too.
    replacedByNumber: r.status === 'issued' ? null : r.replaced_by,
    revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    pdfSha256: r.pdf_sha256,
  };
}
