import { money } from '../../lib/money.ts';

/** Where in the web a discrepancy's subject is worked on. */
const LINKS: Record<string, (id: string) => string> = {
  booking: (id) => `/console/bookings/${id}`,
  invoice: (id) => `/console/finance/invoices/${id}`,
  bank_line: (id) => `/console/finance/bank?line=${id}`,
  // The platform's own claims review (the programme's administrators decide and record payments there).
  voucher_claim: (id) => `/admin/vouchers/claims?claim=${id}`,
};

export interface DiscrepancyRow {
  id: string;
  kind: string;
  labId: string;
  subjectKind: string;
  subjectId: string;
  detectedAt: Date;
  resolvedAt: Date | null;
  resolvedBy: { id: string; name: string } | null;
  note: string | null;
  facts: { amount: number | null; date: string | null; reference: string | null };
}

export function discrepancyView(d: DiscrepancyRow) {
  return {
    id: d.id,
    kind: d.kind,
    labId: d.labId,
    subject: { kind: d.subjectKind, id: d.subjectId },
    link: (LINKS[d.subjectKind] ?? (() => '/console'))(d.subjectId),
    detectedAt: d.detectedAt.toISOString(),
    resolvedAt: d.resolvedAt?.toISOString() ?? null,
    resolvedBy: d.resolvedBy,
    note: d.note,
    amount: d.facts.amount === null ? null : money(d.facts.amount),
    date: d.facts.date,
    reference: d.facts.reference,
  };
}
