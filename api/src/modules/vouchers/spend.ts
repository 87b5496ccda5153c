import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { money } from '../../lib/money.ts';
import { regionContains } from '../../lib/region.ts';
import { localDate } from '../../lib/time.ts';
import { amountDue, applyVoucherShare, lockInvoiceForVoucher } from '../invoices/index.ts';
import { enterprisesOf } from './access.ts';
import type { VoucherDeps } from './programmes.ts';
import * as apps from './repository/applications.ts';
import * as progs from './repository/programmes.ts';

/** The programme's part of an amount: share × amount, rounded down (it never pays more than its share). */
export function voucherPart(amount: number, shareBp: number): number {
  return Number((BigInt(amount) * BigInt(shareBp)) / 10_000n);
}

/**
 * The customer uses its voucher on an open invoice: the programme takes min(share × amount, quota
 * left), the rest stays due from the customer. Locks the invoice, then the quota's row (always in
 * that order), so concurrent uses of one quota queue up and the quota never goes below zero — the
 * guarded UPDATE and the table's CHECK refuse it even if this code were wrong.
 */
export async function useVoucher(deps: VoucherDeps, actor: Actor | null, invoiceId: string, applicationId: string) {
  const a = requireActor(actor);
  const now = deps.clock();
  const today = localDate(now);
  return deps.db.transaction(async (tx) => {
    const invoice = await lockInvoiceForVoucher(tx, invoiceId);
    if (!invoice || !enterprisesOf(a).includes(invoice.customerOrgId)) throw notFound('invoice');
    const seen = await apps.findApplication(tx, applicationId);
    if (!seen || seen.enterpriseOrgId !== invoice.customerOrgId) throw notFound('voucher application');
    if (seen.status !== 'approved') {
      throw conflict('voucher_application_not_approved', 'The voucher application has not been approved.');
    }
    if (
      invoice.kind !== 'invoice' ||
      invoice.status !== 'open' ||
      invoice.amountPaidFen > 0 ||
      invoice.voucherShareFen > 0 ||
      amountDue(invoice) === 0
    ) {
      throw conflict('voucher_invoice_not_open', 'A voucher applies only to an open invoice with nothing paid yet.');
    }
    const p = (await progs.findProgramme(tx, seen.programmeId))!;
    if (p.status !== 'active' || today < p.validFrom || today > p.validTo) {
      throw unprocessable('voucher_programme_closed', 'The voucher programme is not valid today.');
    }
    const lab = await progs.findOrg(tx, invoice.labId);
    if (!lab || lab.kind !== 'lab' || lab.status !== 'active' || !regionContains(p.regionCode, lab.regionCode)) {
      throw unprocessable('voucher_lab_not_admitted', 'The lab is not admitted to this voucher programme.');
    }
    const kinds = await apps.serviceKindsOfInvoice(tx, invoice.id);
    const outside = kinds.filter((k) => !(p.eligibleKinds as string[]).includes(k));
    if (kinds.length === 0 || outside.length > 0) {
      throw unprocessable(
        'voucher_kind_ineligible',
        `The programme does not cover ${outside.join(', ') || 'this invoice'}.`,
      );
    }
    if (invoice.currency !== 'CNY') throw unprocessable('voucher_kind_ineligible', 'Vouchers pay CNY invoices only.');
    const application = (await apps.findApplication(tx, applicationId, true))!;
    const share = Math.min(voucherPart(amountDue(invoice), p.shareBp), application.remainingFen);
    if (share <= 0) throw conflict('voucher_quota_exhausted', 'Nothing is left of the voucher quota.');
    const spent = await apps.spendQuota(tx, application.id, share, now);
    if (!spent) throw conflict('voucher_quota_exhausted', 'Nothing is left of the voucher quota.');
    const use = await apps.insertUse(tx, {
      applicationId: application.id,
      programmeId: p.id,
      invoiceId: invoice.id,
      labId: invoice.labId,
      customerOrgId: invoice.customerOrgId,
      amountFen: share,
      shareBp: p.shareBp,
      usedBy: a.userId,
      usedAt: now,
    });
    const after = await applyVoucherShare(tx, invoice, {
      amount: share,
      issuerOrgId: p.issuerOrgId,
      at: now,
      sourceId: use.id,
      memo: `创新券 ${p.nameZh}`,
    });
    await recordAudit(tx, a, {
      at: now,
      action: 'voucher.used',
      entityType: 'invoice',
      entityId: invoice.id,
      orgId: invoice.customerOrgId,
      before: { voucherShareFen: invoice.voucherShareFen, remainingFen: application.remainingFen },
      after: { voucherShareFen: after.voucherShareFen, remainingFen: spent.remainingFen, useId: use.id },
    });
    return {
      id: use.id,
      invoiceId: invoice.id,
      applicationId: application.id,
      voucherShare: money(share),
      selfPaid: money(amountDue(after)),
      remaining: money(spent.remainingFen),
    };
  });
}
