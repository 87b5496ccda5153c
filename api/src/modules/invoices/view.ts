import type { DbOrTx, Invoice } from '@qihub/db';
import { localDate } from '../../lib/time.ts';
import { money } from '../../lib/money.ts';
import { findOrganisationNames } from '../../lib/repository/organisation-names.ts';
import { amountDue, vatOf } from './billing.ts';
import * as repo from './repository.ts';

/** Full views of invoices (lines, payments, names), in the order given. */
export async function invoiceViews(db: DbOrTx, invoices: Invoice[], now: Date) {
  const lines = await repo.linesOf(
    db,
    invoices.map((i) => i.id),
  );
  const names = new Map(
    (await findOrganisationNames(db, [...new Set(invoices.flatMap((i) => [i.labId, i.customerOrgId]))])).map((o) => [
      o.id,
      o,
    ]),
  );
  const paid = await repo.paymentsOf(
    db,
    invoices.map((i) => i.id),
  );
  const today = localDate(now);
  return invoices.map((inv) => {
    const own = lines.filter((l) => l.invoiceId === inv.id);
    const c = inv.currency;
    const due = amountDue(inv);
    const named = (id: string) => ({ id, nameZh: names.get(id)?.nameZh ?? '', nameEn: names.get(id)?.nameEn ?? '' });
    return {
      id: inv.id,
      number: inv.number,
      kind: inv.kind,
      creditsInvoiceId: inv.creditsInvoiceId,
      status: inv.status,
      labId: inv.labId,
      customerOrgId: inv.customerOrgId,
      lab: named(inv.labId),
      customer: named(inv.customerOrgId),
      terms: inv.terms,
      lines: own.map((l) => ({
        description: l.descriptionZh,
        descriptionEn: l.descriptionEn,
        amount: money(l.amountFen, c),
        taxRate: l.taxRateBp / 10_000,
        source: { kind: l.sourceKind, id: l.sourceId, charge: l.charge },
      })),
      total: money(inv.totalFen, c),
      tax: money(
        own.reduce((s, l) => s + vatOf(l.amountFen, l.taxRateBp), 0),
        c,
      ),
      voucherShare: money(inv.voucherShareFen, c),
      amountPaid: money(inv.amountPaidFen, c),
      amountCredited: money(inv.amountCreditedFen, c),
      amountDue: money(due, c),
      issuedAt: inv.issuedAt.toISOString(),
      dueDate: inv.dueDate,
      paidAt: inv.paidAt?.toISOString() ?? null,
      overdue: due > 0 && inv.dueDate < today,
      paymentReference: inv.paymentReference,
      payee: inv.payee,
      reason: inv.reason,
      payments: paid
        .filter((p) => p.invoiceId === inv.id)
        .map((p) => ({
          id: p.id,
          channel: p.channel,
          amount: money(p.amountFen, p.currency),
          receivedOn: p.receivedOn,
          note: p.note,
        })),
    };
  });
}
