import { randomUUID } from 'node:crypto';
import type { Db, Invoice, Tx } from '@qihub/db';
import { formatYuan } from '../../lib/money.ts';
import { insertLineOnce, issueInvoice, termsFor, vatOf } from '../invoices/index.ts';
import { post } from '../ledger/index.ts';
import { monthWindow, previousMonth } from '../statements/index.ts';
import * as repo from './repository.ts';

const CHANNEL_NAMES: Record<repo.FeeChannel, { zh: string; en: string }> = {
  bank_transfer: { zh: '银行转账收款', en: 'bank transfers received' },
  manual: { zh: '人工登记收款', en: 'payments recorded by hand' },
  voucher: { zh: '创新券兑付', en: 'innovation voucher payments' },
};

/** "0.50 %" of basis points. */
const percent = (bp: number) => `${(bp / 100).toFixed(2)} %`;

/**
 * The platform's monthly service fee invoices (平台服务费): for the month before `now` (China time),
 * each lab whose region's rate is positive gets one invoice from its platform for rate × its fee
 * base — one line per channel (bank transfer, recorded by hand, voucher programme), each rounded to
 * the fen; the fee is VAT-inclusive like every price here. A month whose fee comes to nothing issues
 * nothing. Safe at any time and any number of times: each (lab, month) is issued in one transaction
 * under an advisory lock with its `platform_fee_invoices` row (unique), so a rerun, a second worker
 * or a run after a worker was killed halfway issues each exactly once. The rate is the one in force
 * when the invoice is issued. Returns the invoices issued by this run.
 */
export async function issueMonthlyFees(db: Db, now: Date): Promise<Invoice[]> {
  const month = previousMonth(now);
  const window = monthWindow(month);
  const issued: Invoice[] = [];
  for (const c of await repo.labsToInvoice(db, month)) {
    const invoice = await db.transaction((tx) => issueFeeInvoice(tx, c, month, window, now));
    if (invoice) issued.push(invoice);
  }
  return issued;
}

async function issueFeeInvoice(
  tx: Tx,
  c: repo.FeeCandidate,
  month: string,
  window: { start: Date; end: Date },
  now: Date,
): Promise<Invoice | null> {
  await repo.lockLabMonth(tx, c.labId, month);
  if (await repo.findFeeInvoice(tx, c.labId, month)) return null;
  const bases = (await repo.feeBase(tx, c.labId, window.start, window.end))
    .map((b) => ({ ...b, feeFen: Math.round((b.baseFen * c.rateBp) / 10_000) }))
    .filter((b) => b.feeFen > 0);
  if (bases.length === 0) return null;
  const terms = await termsFor(tx, c.platformOrgId, c.labId);
  const feeId = randomUUID();
  const lines = [];
  for (const b of bases) {
    const name = CHANNEL_NAMES[b.channel];
    const line = await insertLineOnce(tx, {
      labId: c.platformOrgId,
      customerOrgId: c.labId,
      sourceKind: 'platform_fee',
      sourceId: feeId,
      charge: b.channel,
      descriptionZh: `平台服务费 ${month}：${name.zh} ¥${formatYuan(b.baseFen)} × ${percent(c.rateBp)}`,
      descriptionEn: `Platform service fee ${month}: ${name.en} CNY ${formatYuan(b.baseFen)} × ${percent(c.rateBp)}`,
      amountFen: b.feeFen,
      taxRateBp: terms.taxRateBp,
      currency: 'CNY',
      occurredAt: now,
    });
    lines.push(line!);
  }
  const total = lines.reduce((s, l) => s + l.amountFen, 0);
  const vat = lines.reduce((s, l) => s + vatOf(l.amountFen, l.taxRateBp), 0);
  // The platform earns the fee (its own revenue, with output VAT) — accrued first, so the invoice
  // moves it to the lab's receivable like any monthly invoice.
  await post(tx, {
    book: c.platformOrgId,
    kind: 'platform_fee',
    source: { kind: 'platform_fee', id: feeId },
    memo: `平台服务费 ${month}`,
    at: now,
    entries: [
      { code: 'unbilled', counterparty: c.labId, amount: total },
      { code: 'fee_revenue', amount: -(total - vat) },
      { code: 'vat_output', amount: -vat },
    ],
  });
  const invoice = await issueInvoice(tx, {
    labId: c.platformOrgId,
    customerOrgId: c.labId,
    lines,
    accrued: true,
    terms: { ...terms, terms: 'monthly' },
    at: now,
  });
  // The lab's side: the fee is its expense and its debt to the platform.
  await post(tx, {
    book: c.labId,
    kind: 'platform_fee_invoice',
    source: { kind: 'invoice', id: invoice.id },
    memo: `${invoice.number} 平台服务费 ${month}`,
    at: now,
    entries: [
      { code: 'platform_fee_expense', amount: total },
      { code: 'platform_fee_payable', counterparty: c.platformOrgId, amount: -total },
    ],
  });
  await repo.insertFeeInvoice(tx, {
    id: feeId,
    labId: c.labId,
    platformOrgId: c.platformOrgId,
    month,
    regionCode: c.regionCode,
    rateBp: c.rateBp,
    baseFen: bases.reduce((s, b) => s + b.baseFen, 0),
    invoiceId: invoice.id,
    createdAt: now,
  });
  return invoice;
}
