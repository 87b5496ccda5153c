import type { DbOrTx, Invoice } from '@qihub/db';
import { enqueueAfterCommit } from '../../lib/audit.ts';
import { formatYuan } from '../../lib/money.ts';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { amountDue } from './amounts.ts';

const link = (inv: Invoice) => `/invoices/${inv.id}`;

/** Who is told of a new invoice: the customer's active members (read before the invoice is numbered). */
export function issuedNoticeRecipients(tx: DbOrTx, customerOrgId: string) {
  return membersOf(tx, customerOrgId, { activeOnly: true });
}

/** Tells the customer's members that an invoice was issued to them, once per invoice. */
export async function noticeIssued(tx: DbOrTx, inv: Invoice, at: Date, recipients?: string[]) {
  if (inv.kind !== 'invoice') return;
  const users = recipients ?? (await issuedNoticeRecipients(tx, inv.customerOrgId));
  const due = formatYuan(amountDue(inv));
  await notifyUsers(
    tx,
    users,
    {
      kind: 'invoice_issued',
      titleZh: `新账单 ${inv.number}：应付 ¥${due}`,
      titleEn: `New invoice ${inv.number}: CNY ${due} due`,
      bodyZh: `请于 ${inv.dueDate} 前付款；转账时请在附言中填写付款识别码 ${inv.paymentReference}。`,
      bodyEn: `Please pay by ${inv.dueDate}; put the payment reference ${inv.paymentReference} in the transfer's remark.`,
      link: link(inv),
    },
    `invoice-issued:${inv.id}`,
    at,
  );
}

/**
 * An invoice just turned paid: the customer is told, and `invoices.paid` goes to the outbox so what
 * waited for the money (a prepaid order) continues after commit. The dedupe key makes it once per
 * invoice whichever path paid it (a manual payment, a matched bank line, a card).
 */
export async function noticePaid(tx: DbOrTx, inv: Invoice, at: Date) {
  await enqueueAfterCommit(tx, 'invoices.paid', { invoiceId: inv.id }, `invoices.paid:${inv.id}`);
  const users = await membersOf(tx, inv.customerOrgId, { activeOnly: true });
  await notifyUsers(
    tx,
    users,
    {
      kind: 'invoice_paid',
      titleZh: `账单 ${inv.number} 已付清`,
      titleEn: `Invoice ${inv.number} is paid`,
      bodyZh: '款项已到账，谢谢。',
      bodyEn: 'The payment has arrived. Thank you.',
      link: link(inv),
    },
    `invoice-paid:${inv.id}`,
    at,
  );
}
