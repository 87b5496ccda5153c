import { createHash } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import {
  invoiceCounters,
  invoiceLines,
  invoices,
  ledgerAccounts,
  ledgerEntries,
  ledgerTransactions,
  orders,
  payments,
} from '../schema/index.ts';
import { LAB_BILLING } from './data/billing.ts';
import { ORDERS } from './data/orders.ts';
import { at } from './data/dates.ts';
import { orgId, stableId } from './ids.ts';

/**
 * The demo orders' money, as the API would have written it (issue 11): each accepted order was
 * invoiced when accepted (the Suzhou institute's terms: pay on delivery), with its accrual, invoice
 * and — where the customer has paid by bank transfer — payment journals in the lab's book. The
 * order in progress still owes its invoice, so 我的账单 shows one to pay.
 */
const PAID: Record<string, Date> = {
  'order:hinge-salt-2026-0052': at('2026-06-02 10:30'),
  'order:hinge-tensile-2026-0137': at('2026-09-18 15:10'),
  'order:plate-salt-2026-0201': at('2026-11-20 09:45'),
};
const TAX_BP = 600;
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A stable payment reference per order ("QH" + 8 characters of the reference alphabet). */
function reference(key: string): string {
  const digest = createHash('sha256').update(`payment-reference:${key}`).digest();
  let ref = 'QH';
  for (let i = 0; i < 8; i++) ref += ALPHABET[digest[i]! % ALPHABET.length];
  return ref;
}

const vat = (amount: number) => Math.round((amount * TAX_BP) / (10_000 + TAX_BP));

export async function seedDemoInvoices(tx: DbOrTx): Promise<number> {
  const billed = ORDERS.filter((o) => o.accepted && o.status !== 'cancelled').sort(
    (a, b) => a.accepted!.at.getTime() - b.accepted!.at.getTime(),
  );
  const rows = await tx
    .select({ id: orders.id, totalFen: orders.totalFen, customerOrgId: orders.customerOrgId, labId: orders.labId })
    .from(orders)
    .where(
      inArray(
        orders.id,
        billed.map((o) => stableId(o.key)),
      ),
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const seqByLab = new Map<string, number>();
  let inserted = 0;
  for (const o of billed) {
    const order = byId.get(stableId(o.key));
    if (!order) continue;
    const lab = order.labId;
    const customer = order.customerOrgId;
    const seq = (seqByLab.get(lab) ?? 0) + 1;
    seqByLab.set(lab, seq);
    const issued = o.accepted!.at;
    const paidAt = PAID[o.key] ?? null;
    const invoiceId = stableId(`${o.key}:invoice`);
    const billing = LAB_BILLING.find((b) => orgId(`lab:${b.lab}`) === lab);
    const due = new Date(issued.getTime() + (billing?.dueDays ?? 15) * 86_400_000 + 8 * 3_600_000)
      .toISOString()
      .slice(0, 10);
    const fresh = await tx
      .insert(invoices)
      .values({
        id: invoiceId,
        labId: lab,
        customerOrgId: customer,
        kind: 'invoice',
        number: `ZD-2026-${String(seq).padStart(6, '0')}`,
        year: 2026,
        seq,
        status: paidAt ? 'paid' : 'open',
        totalFen: order.totalFen,
        amountPaidFen: paidAt ? order.totalFen : 0,
        issuedAt: issued,
        dueDate: due,
        paymentReference: reference(o.key),
        payee: {
          accountName: billing?.accountName ?? '',
          bankName: billing?.bankName ?? '',
          accountNumber: billing?.accountNumber ?? '',
        },
        terms: billing?.terms ?? 'on_delivery',
        paidAt,
        createdAt: issued,
        updatedAt: paidAt ?? issued,
      })
      .onConflictDoNothing()
      .returning({ id: invoices.id });
    if (fresh.length === 0) continue;
    inserted++;
    await tx.insert(invoiceLines).values({
      id: stableId(`${o.key}:invoice-line`),
      labId: lab,
      customerOrgId: customer,
      invoiceId,
      sourceKind: 'order',
      sourceId: order.id,
      charge: 'order',
      descriptionZh: `订单 ${o.number}：${o.titleZh}`,
      descriptionEn: `Order ${o.number}: ${o.titleZh}`,
      amountFen: order.totalFen,
      taxRateBp: TAX_BP,
      occurredAt: issued,
      createdAt: issued,
    });
    const account = async (code: string, counterparty: string | null) => {
      const id = stableId(`ledger-account:${lab}:${code}:${counterparty ?? ''}`);
      await tx
        .insert(ledgerAccounts)
        .values({ id, bookOrgId: lab, code, counterpartyOrgId: counterparty })
        .onConflictDoNothing();
      const [row] = await tx
        .select({ id: ledgerAccounts.id })
        .from(ledgerAccounts)
        .where(
          sql`${ledgerAccounts.bookOrgId} = ${lab} AND ${ledgerAccounts.code} = ${code} AND ${ledgerAccounts.counterpartyOrgId} IS NOT DISTINCT FROM ${counterparty}::uuid`,
        );
      return row!.id;
    };
    const journal = async (
      key: string,
      kind: string,
      source: { kind: string; id: string },
      when: Date,
      entries: { code: string; counterparty: string | null; amount: number; invoice?: boolean }[],
    ) => {
      const id = stableId(`${o.key}:journal:${key}`);
      await tx.insert(ledgerTransactions).values({
        id,
        bookOrgId: lab,
        kind,
        sourceKind: source.kind,
        sourceId: source.id,
        memo: o.number,
        postedAt: when,
        createdAt: when,
      });
      for (const e of entries) {
        await tx.insert(ledgerEntries).values({
          transactionId: id,
          accountId: await account(e.code, e.counterparty),
          amountFen: e.amount,
          invoiceId: e.invoice ? invoiceId : null,
        });
      }
    };
    const total = order.totalFen;
    await journal('charge', 'charge', { kind: 'order:order', id: order.id }, issued, [
      { code: 'unbilled', counterparty: customer, amount: total },
      { code: 'revenue', counterparty: null, amount: -(total - vat(total)) },
      { code: 'vat_output', counterparty: null, amount: -vat(total) },
    ]);
    await journal('invoice', 'invoice', { kind: 'invoice', id: invoiceId }, issued, [
      { code: 'receivable', counterparty: customer, amount: total, invoice: true },
      { code: 'unbilled', counterparty: customer, amount: -total },
    ]);
    if (paidAt) {
      const paymentId = stableId(`${o.key}:payment`);
      await tx.insert(payments).values({
        id: paymentId,
        labId: lab,
        customerOrgId: customer,
        invoiceId,
        channel: 'bank_transfer',
        amountFen: total,
        receivedOn: new Date(paidAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10),
        note: `对公转账 ${reference(o.key)}`,
        createdAt: paidAt,
      });
      await journal('payment', 'payment', { kind: 'payment', id: paymentId }, paidAt, [
        { code: 'bank', counterparty: null, amount: total },
        { code: 'receivable', counterparty: customer, amount: -total, invoice: true },
      ]);
    }
  }
  for (const [lab, last] of seqByLab) {
    await tx
      .insert(invoiceCounters)
      .values({ orgId: lab, year: 2026, last })
      .onConflictDoUpdate({
        target: [invoiceCounters.orgId, invoiceCounters.year],
        set: { last: sql`GREATEST(${invoiceCounters.last}, ${last})` },
      });
  }
  return inserted;
}
