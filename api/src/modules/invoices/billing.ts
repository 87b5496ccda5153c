import { randomInt } from 'node:crypto';
import type { ChargeSource, Invoice, InvoiceLine, PaymentChannel, Tx } from '@qihub/db';
import { localDate } from '../../lib/time.ts';
import { balanceOf, post } from '../ledger/index.ts';
import * as repo from './repository.ts';
import { amountDue, vatOf } from './amounts.ts';
import { issuedNoticeRecipients, noticeIssued, noticePaid } from './notices.ts';
import { takeVoucherPartOfCredit } from './credit-voucher.ts';
import { termsFor, type ResolvedTerms } from './terms.ts';

export { amountDue, vatOf };

export interface ChargeInput {
  /** The issuer: the lab that did the work (or the platform that organised the event). */
  labId: string;
  customerOrgId: string;
  source: { kind: ChargeSource; id: string };
  /** What about the source is charged; (source, charge) is charged at most once. */
  charge: string;
  descriptionZh: string;
  descriptionEn: string;
  /** VAT-inclusive fen. */
  amount: number;
  currency?: string;
  /** When it became due. */
  at: Date;
}

/**
 * Records a chargeable event exactly once, in the caller's transaction: the line, its accrual in
 * the issuer's book (unbilled receivable against revenue and output VAT), and — unless the
 * customer is on a monthly account — the invoice for it. Returns undefined when this (source,
 * charge) was already charged: a retry or a second worker bills nothing.
 */
export async function charge(
  tx: Tx,
  input: ChargeInput,
): Promise<{ line: InvoiceLine; invoice: Invoice | null } | undefined> {
  if (input.amount <= 0 || input.customerOrgId === input.labId) return undefined;
  const terms = await termsFor(tx, input.labId, input.customerOrgId);
  const line = await repo.insertLineOnce(tx, {
    labId: input.labId,
    customerOrgId: input.customerOrgId,
    sourceKind: input.source.kind,
    sourceId: input.source.id,
    charge: input.charge,
    descriptionZh: input.descriptionZh,
    descriptionEn: input.descriptionEn,
    amountFen: input.amount,
    taxRateBp: terms.taxRateBp,
    currency: input.currency ?? 'CNY',
    occurredAt: input.at,
  });
  if (!line) return undefined;
  if (terms.terms === 'monthly') {
    await postAccrual(tx, line, input.at);
    return { line, invoice: null };
  }
  const invoice = await issueInvoice(tx, {
    labId: input.labId,
    customerOrgId: input.customerOrgId,
    lines: [line],
    accrued: false,
    terms,
    at: input.at,
  });
  return { line, invoice };
}

/** Revenue is earned when the charge arises: unbilled receivable against revenue and output VAT. */
export async function postAccrual(tx: Tx, line: InvoiceLine, at: Date) {
  const vat = vatOf(line.amountFen, line.taxRateBp);
  await post(tx, {
    book: line.labId,
    kind: line.amountFen >= 0 ? 'charge' : 'charge_reversal',
    source: { kind: `${line.sourceKind}:${line.charge}`, id: line.sourceId },
    memo: line.descriptionZh,
    at,
    entries: [
      { code: 'unbilled', counterparty: line.customerOrgId, amount: line.amountFen },
      { code: 'revenue', amount: -(line.amountFen - vat) },
      { code: 'vat_output', amount: -vat },
    ],
  });
}

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** 付款识别码: "QH" + 8 characters without look-alikes (0/O, 1/I/L); unique (the insert retries on a clash). */
export function newPaymentReference(): string {
  let ref = 'QH';
  for (let i = 0; i < 8; i++) ref += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return ref;
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The number an invoice takes as it is inserted: "ZD-2026-000123" (invoice) or "HZ-…" (credit
 * note), gapless per issuer and year. seq 0 asks the insert to take the next one (see
 * `repo.insertInvoice`), so the counter's row lock — which serialises every invoice of the issuer
 * until commit — is taken as late as possible: nothing is read after it that could be read before.
 */
function numberFor(kind: Invoice['kind'], at: Date) {
  const year = Number(localDate(at).slice(0, 4));
  return { year, seq: 0, number: `${kind === 'invoice' ? 'ZD' : 'HZ'}-${year}-` };
}

/**
 * Issues an invoice for charged lines (all of one issuer and customer): numbered gaplessly, the
 * accrual moved to the customer's receivable for this invoice, and any credit the customer holds
 * with the issuer applied at once.
 */
export async function issueInvoice(
  tx: Tx,
  input: {
    labId: string;
    customerOrgId: string;
    lines: InvoiceLine[];
    /** true: the lines were accrued to `unbilled` when charged (a monthly account's); false: charged just now. */
    accrued: boolean;
    terms: ResolvedTerms;
    at: Date;
  },
): Promise<Invoice> {
  const total = input.lines.reduce((s, l) => s + l.amountFen, 0);
  // Everything that can be read before the number is: from the insert on, the issuer's other
  // invoices wait for this transaction to commit.
  const recipients = await issuedNoticeRecipients(tx, input.customerOrgId);
  const { year, seq, number: prefix } = numberFor('invoice', input.at);
  const invoice = await repo.insertInvoice(
    tx,
    {
      labId: input.labId,
      customerOrgId: input.customerOrgId,
      kind: 'invoice',
      number: prefix,
      year,
      seq,
      status: total === 0 ? 'paid' : 'open',
      totalFen: total,
      currency: input.lines[0]?.currency ?? 'CNY',
      issuedAt: input.at,
      dueDate: addDays(localDate(input.at), input.terms.terms === 'prepay' ? 0 : input.terms.dueDays),
      payee: input.terms.payee,
      terms: input.terms.terms,
      paidAt: total === 0 ? input.at : null,
    },
    newPaymentReference,
  );
  await repo.attachLines(
    tx,
    invoice.id,
    input.lines.map((l) => l.id),
  );
  // Lines charged just now go straight to revenue and output VAT; accrued ones leave `unbilled`.
  const vat = input.lines.reduce((sum, l) => sum + vatOf(l.amountFen, l.taxRateBp), 0);
  await post(tx, {
    book: input.labId,
    kind: 'invoice',
    source: { kind: 'invoice', id: invoice.id },
    memo: invoice.number,
    at: input.at,
    entries: [
      { code: 'receivable', counterparty: input.customerOrgId, amount: total, invoiceId: invoice.id },
      ...(input.accrued
        ? [{ code: 'unbilled' as const, counterparty: input.customerOrgId, amount: -total }]
        : [
            { code: 'revenue' as const, amount: -(total - vat) },
            { code: 'vat_output' as const, amount: -vat },
          ]),
    ],
  });
  await noticeIssued(tx, invoice, input.at, recipients);
  return applyCustomerCredit(tx, invoice, input.at, input.terms.customerCreditFen);
}

function statusAfter(inv: Invoice): Invoice['status'] {
  if (inv.status === 'void') return 'void';
  const due = amountDue({ ...inv, status: 'open' });
  if (due > 0) return inv.amountPaidFen > 0 ? 'partially_paid' : 'open';
  return inv.amountPaidFen === 0 &&
    inv.voucherShareFen === 0 &&
    inv.amountCreditedFen >= inv.totalFen &&
    inv.totalFen > 0
    ? 'void'
    : 'paid';
}

/**
 * Applies the customer's credit with the issuer (over-payments, credited payments) to an invoice.
 * `seen`: the credit as read with the terms (before the number was taken), so an invoice of a
 * customer without credit costs no further query.
 */
async function applyCustomerCredit(tx: Tx, invoice: Invoice, at: Date, seen?: number): Promise<Invoice> {
  const due = amountDue(invoice);
  if (due === 0) return invoice;
  const account = { book: invoice.labId, code: 'customer_credit', counterparty: invoice.customerOrgId };
  if ((seen ?? -(await balanceOf(tx, account))) <= 0) return invoice;
  // Credit is spent by one invoice at a time: two issued at once must not both spend it. Under the
  // lock, read it again — a holder that spent it has committed by the time we get the lock.
  await repo.lockCustomerCredit(tx, invoice.labId, invoice.customerOrgId);
  const credit = -(await balanceOf(tx, account));
  const use = Math.min(credit, due);
  if (use <= 0) return invoice;
  return recordPayment(tx, invoice, {
    amount: use,
    channel: 'credit',
    receivedOn: localDate(at),
    at,
    note: '预收款抵扣 (credit applied)',
  });
}

export interface PaymentInput {
  amount: number;
  channel: PaymentChannel;
  receivedOn: string;
  at: Date;
  bankLineId?: string | null;
  externalId?: string | null;
  recordedBy?: string | null;
  note?: string;
}

/**
 * Records money received for an invoice (the caller holds the invoice's row lock, or just created
 * it): the payment row, the ledger (bank, processor clearing or the customer's credit against the
 * receivable; anything beyond the amount due becomes the customer's credit) and the new status.
 */
export async function recordPayment(tx: Tx, invoice: Invoice, p: PaymentInput): Promise<Invoice> {
  const due = amountDue(invoice);
  const applied = Math.min(due, p.amount);
  const over = p.amount - applied;
  const payment = await repo.insertPayment(tx, {
    labId: invoice.labId,
    customerOrgId: invoice.customerOrgId,
    invoiceId: invoice.id,
    channel: p.channel,
    amountFen: p.amount,
    currency: invoice.currency,
    receivedOn: p.receivedOn,
    bankLineId: p.bankLineId ?? null,
    externalId: p.externalId ?? null,
    recordedBy: p.recordedBy ?? null,
    note: p.note ?? '',
  });
  const from =
    p.channel === 'credit'
      ? ({ code: 'customer_credit', counterparty: invoice.customerOrgId } as const)
      : p.channel === 'card'
        ? ({ code: 'processor_clearing' } as const)
        : ({ code: 'bank' } as const);
  await post(tx, {
    book: invoice.labId,
    kind: p.channel === 'credit' ? 'credit_applied' : 'payment',
    source: { kind: 'payment', id: payment.id },
    memo: `${invoice.number} ${p.note ?? ''}`.trim(),
    at: p.at,
    entries: [
      { ...from, amount: p.amount },
      { code: 'receivable', counterparty: invoice.customerOrgId, amount: -applied, invoiceId: invoice.id },
      { code: 'customer_credit', counterparty: invoice.customerOrgId, amount: -over },
    ],
  });
  const paid = { ...invoice, amountPaidFen: invoice.amountPaidFen + applied };
  const status = statusAfter(paid);
  const updated = await repo.updateInvoice(tx, invoice.id, {
    amountPaidFen: paid.amountPaidFen,
    status,
    paidAt: status === 'paid' && invoice.status !== 'paid' ? p.at : invoice.paidAt,
    updatedAt: p.at,
  });
  if (status === 'paid' && invoice.status !== 'paid') await noticePaid(tx, updated, p.at);
  return updated;
}

/**
 * Takes back (part of) a charge — a waived surcharge, a cancelled order, a waived fee — never by
 * editing an issued invoice: a negative line, and when the original line is on an invoice, a credit
 * note (红字账单) against it. What the credit note takes off beyond what is still due on the
 * original (it was paid) becomes the customer's credit. Exactly once per (source, charge).
 */
export async function credit(
  tx: Tx,
  input: Omit<ChargeInput, 'labId' | 'customerOrgId'> & { original: string; reason: string },
): Promise<{ line: InvoiceLine; creditNote: Invoice | null } | undefined> {
  if (input.amount <= 0) return undefined;
  const original = await repo.findLine(tx, input.source.kind, input.source.id, input.original);
  if (!original) return undefined;
  const target = original.invoiceId ? await repo.findInvoice(tx, original.invoiceId, true) : undefined;
  // A void invoice's charge was taken back by the void (its reversal journal): crediting it again
  // would hand the customer a credit for money never owed.
  if (target?.status === 'void') return undefined;
  const line = await repo.insertLineOnce(tx, {
    labId: original.labId,
    customerOrgId: original.customerOrgId,
    sourceKind: input.source.kind,
    sourceId: input.source.id,
    charge: input.charge,
    descriptionZh: input.descriptionZh,
    descriptionEn: input.descriptionEn,
    amountFen: -Math.min(input.amount, original.amountFen),
    taxRateBp: original.taxRateBp,
    currency: original.currency,
    occurredAt: input.at,
  });
  if (!line) return undefined;
  // Not invoiced yet (a monthly account): the accrual is reversed and the negative line nets off
  // on the month's invoice.
  if (!target) {
    await postAccrual(tx, line, input.at);
    return { line, creditNote: null };
  }
  const amount = -line.amountFen;
  const { year, seq, number: prefix } = numberFor('credit_note', input.at);
  const note = await repo.insertInvoice(
    tx,
    {
      labId: original.labId,
      customerOrgId: original.customerOrgId,
      kind: 'credit_note',
      number: prefix,
      year,
      seq,
      creditsInvoiceId: target.id,
      status: 'paid',
      totalFen: -amount,
      currency: original.currency,
      issuedAt: input.at,
      dueDate: localDate(input.at),
      payee: target.payee,
      terms: target.terms,
      reason: input.reason,
      paidAt: input.at,
    },
    newPaymentReference,
  );
  await repo.attachLines(tx, note.id, [line.id]);
  // Revenue and VAT come back; what the invoice still owed is taken off it, the rest (it was paid)
  // becomes the customer's credit.
  // The programme's part of what is credited comes off its receivable (and the quota comes back);
  // of the customer's part, what the invoice still owed is taken off it, the rest is its credit.
  const voucher = await takeVoucherPartOfCredit(tx, target, input.reason, input.at);
  const applied = Math.min(amount - voucher.amount, amountDue(target));
  const vat = vatOf(amount, line.taxRateBp);
  await post(tx, {
    book: original.labId,
    kind: 'credit_note',
    source: { kind: 'invoice', id: note.id },
    memo: `${note.number} → ${target.number}`,
    at: input.at,
    entries: [
      { code: 'revenue', amount: amount - vat },
      { code: 'vat_output', amount: vat },
      { code: 'receivable', counterparty: original.customerOrgId, amount: -applied, invoiceId: target.id },
      { code: 'customer_credit', counterparty: original.customerOrgId, amount: -(amount - voucher.amount - applied) },
      ...(voucher.issuerOrgId && voucher.amount > 0
        ? [{ code: 'voucher_receivable' as const, counterparty: voucher.issuerOrgId, amount: -voucher.amount }]
        : []),
    ],
  });
  const after = {
    ...target,
    amountCreditedFen: target.amountCreditedFen + applied + voucher.amount,
    voucherShareFen: target.voucherShareFen - voucher.amount,
  };
  await repo.updateInvoice(tx, target.id, {
    amountCreditedFen: after.amountCreditedFen,
    voucherShareFen: after.voucherShareFen,
    status: statusAfter(after),
    reason: statusAfter(after) === 'void' ? input.reason : target.reason,
    voidedAt: statusAfter(after) === 'void' ? input.at : target.voidedAt,
    updatedAt: input.at,
  });
  return { line, creditNote: note };
}
