import { and, asc, eq, gt, inArray, or } from 'drizzle-orm';
import {
  bankStatementLines,
  invoices,
  organisations,
  payments,
  type BankLineStatus,
  type BankStatementLine,
  type DbOrTx,
  type Invoice,
  type Tx,
} from '@qihub/db';

export interface LineFilter {
  labId: string;
  statuses: BankLineStatus[];
  after?: { txnDate: string; id: string };
  limit: number;
}

/** A lab's statement lines in the given states, oldest transfer first. */
export async function listLines(tx: DbOrTx, f: LineFilter) {
  const where = [eq(bankStatementLines.labId, f.labId), inArray(bankStatementLines.status, f.statuses)];
  if (f.after) {
    where.push(
      or(
        gt(bankStatementLines.txnDate, f.after.txnDate),
        and(eq(bankStatementLines.txnDate, f.after.txnDate), gt(bankStatementLines.id, f.after.id)),
      )!,
    );
  }
  return tx
    .select()
    .from(bankStatementLines)
    .where(and(...where))
    .orderBy(asc(bankStatementLines.txnDate), asc(bankStatementLines.id))
    .limit(f.limit);
}

/** The suggested invoices of some lines, with their customers. */
export async function suggestedInvoices(tx: DbOrTx, ids: string[]) {
  if (ids.length === 0) return [];
  return tx
    .select({ invoice: invoices, customerNameZh: organisations.nameZh })
    .from(invoices)
    .innerJoin(organisations, eq(organisations.id, invoices.customerOrgId))
    .where(inArray(invoices.id, ids));
}

/** The payments made from some lines, with their invoices' numbers. */
export async function paymentsOfLines(tx: DbOrTx, lineIds: string[]) {
  if (lineIds.length === 0) return [];
  return tx
    .select({
      bankLineId: payments.bankLineId,
      invoiceId: payments.invoiceId,
      number: invoices.number,
      amountFen: payments.amountFen,
      currency: payments.currency,
    })
    .from(payments)
    .innerJoin(invoices, eq(invoices.id, payments.invoiceId))
    .where(inArray(payments.bankLineId, lineIds))
    .orderBy(payments.createdAt, payments.id);
}

/** One line of the lab, under its row lock. */
export async function lockLine(tx: Tx, labId: string, lineId: string): Promise<BankStatementLine | undefined> {
  const [row] = await tx
    .select()
    .from(bankStatementLines)
    .where(and(eq(bankStatementLines.id, lineId), eq(bankStatementLines.labId, labId)))
    .for('update');
  return row;
}

/** An invoice under its row lock (what `recordPayment` expects of its caller). */
export async function lockInvoice(tx: Tx, id: string): Promise<Invoice | undefined> {
  const [row] = await tx.select().from(invoices).where(eq(invoices.id, id)).for('update');
  return row;
}

export async function resolveLine(
  tx: Tx,
  lineId: string,
  patch: { resolvedBy: string | null; resolvedAt: Date; note?: string },
): Promise<BankStatementLine> {
  const [row] = await tx
    .update(bankStatementLines)
    .set({ status: 'resolved', ...patch })
    .where(eq(bankStatementLines.id, lineId))
    .returning();
  return row!;
}
