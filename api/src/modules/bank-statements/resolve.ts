import type { Tx } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { enqueueAfterCommit, recordAudit } from '../../lib/audit.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordPayment } from '../invoices/index.ts';
import { settleFeePayables } from '../platform-fees/index.ts';
import { assertLabFinance, type BookKind } from './access.ts';
import { lockLab } from './repository/match.ts';
import * as repo from './repository/lines.ts';
import type { BankDeps } from './upload.ts';
import { lineViews } from './view.ts';

/** The line of the queue a person decides on, locked; 409 when someone already did. */
async function openLine(tx: Tx, labId: string, id: string) {
  // With the upload's lock: a statement being matched and a person matching by hand never interleave.
  await lockLab(tx, labId);
  const line = await repo.lockLine(tx, labId, id);
  if (!line) throw notFound('bank line');
  if (line.status !== 'unmatched' && line.status !== 'suggested') {
    throw conflict('line_already_resolved', 'This line has already been matched or resolved.');
  }
  return line;
}

/**
 * A person confirms a suggestion, or matches a line by hand: the whole line pays the invoice (of
 * this lab, open; anything beyond its amount due becomes the customer's credit) and the line is
 * resolved — audited.
 */
export async function matchLine(
  deps: BankDeps,
  actor: Actor | null,
  labId: string,
  lineId: string,
  invoiceId: string,
  kind: BookKind = 'lab',
) {
  const a = assertLabFinance(actor, labId, kind);
  const at = deps.clock();
  return deps.db.transaction(async (tx) => {
    const line = await openLine(tx, labId, lineId);
    const invoice = await repo.lockInvoice(tx, invoiceId);
    if (!invoice || invoice.labId !== labId) throw notFound('invoice');
    if (invoice.kind !== 'invoice' || (invoice.status !== 'open' && invoice.status !== 'partially_paid')) {
      throw conflict('invoice_not_open', 'The invoice is not open: it is paid, void or a credit note.');
    }
    const paid = await recordPayment(tx, invoice, {
      amount: line.amountFen,
      channel: 'bank_transfer',
      receivedOn: line.txnDate,
      at,
      bankLineId: line.id,
      recordedBy: a.userId,
      note: '人工匹配 (matched by hand)',
    });
    if (kind === 'platform') await settleFeePayables(tx, at, [line.id]);
    if (paid.status === 'paid') {
      await enqueueAfterCommit(tx, 'invoices.paid', { invoiceId: paid.id }, `invoices.paid:${paid.id}`);
    }
    const after = await repo.resolveLine(tx, line.id, { resolvedBy: a.userId, resolvedAt: at });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'bank_line.matched',
      entityType: 'bank_statement_line',
      entityId: line.id,
      orgId: labId,
      before: { status: line.status, suggestedInvoiceId: line.suggestedInvoiceId },
      after: { status: after.status, invoiceId: invoice.id, amountFen: line.amountFen, invoiceStatus: paid.status },
    });
    const [view] = await lineViews(tx, [after]);
    return view!;
  });
}

/** Not a customer payment (interest, a refund from a supplier …): resolved with the note, audited. */
export async function dismissLine(
  deps: BankDeps,
  actor: Actor | null,
  labId: string,
  lineId: string,
  note: string,
  kind: BookKind = 'lab',
) {
  const a = assertLabFinance(actor, labId, kind);
  const at = deps.clock();
  return deps.db.transaction(async (tx) => {
    const line = await openLine(tx, labId, lineId);
    const after = await repo.resolveLine(tx, line.id, { resolvedBy: a.userId, resolvedAt: at, note: note.trim() });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'bank_line.dismissed',
      entityType: 'bank_statement_line',
      entityId: line.id,
      orgId: labId,
      before: { status: line.status },
      after: { status: after.status, note: after.note },
    });
    const [view] = await lineViews(tx, [after]);
    return view!;
  });
}
