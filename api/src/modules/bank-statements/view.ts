import type { BankStatementLine, DbOrTx } from '@qihub/db';
import { money } from '../../lib/money.ts';
import { amountDue } from '../invoices/index.ts';
import * as repo from './repository/lines.ts';

/** Lines as the API answers them, with their suggested invoice and the payments they made. */
export async function lineViews(tx: DbOrTx, lines: BankStatementLine[]) {
  const suggested = await repo.suggestedInvoices(
    tx,
    lines.map((l) => l.suggestedInvoiceId).filter((x): x is string => x !== null),
  );
  const byId = new Map(suggested.map((s) => [s.invoice.id, s]));
  const paid = await repo.paymentsOfLines(
    tx,
    lines.map((l) => l.id),
  );
  return lines.map((l) => {
    const s = l.suggestedInvoiceId ? byId.get(l.suggestedInvoiceId) : undefined;
    return {
      id: l.id,
      txnDate: l.txnDate,
      counterparty: l.counterparty,
      counterpartyAccount: l.counterpartyAccount,
      amount: money(l.amountFen),
      remark: l.remark,
      status: l.status,
      suggestedInvoice: s
        ? {
            id: s.invoice.id,
            number: s.invoice.number,
            customer: { id: s.invoice.customerOrgId, nameZh: s.customerNameZh },
            amountDue: money(amountDue(s.invoice), s.invoice.currency),
          }
        : null,
      payments: paid
        .filter((p) => p.bankLineId === l.id)
        .map((p) => ({ invoiceId: p.invoiceId!, number: p.number, amount: money(p.amountFen, p.currency) })),
      note: l.note,
      resolvedAt: l.resolvedAt ? l.resolvedAt.toISOString() : null,
    };
  });
}
