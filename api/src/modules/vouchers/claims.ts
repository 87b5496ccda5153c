import type { Tx, VoucherClaim, VoucherClaimStatus, VoucherProgramme } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { localDate } from '../../lib/time.ts';
import { amountDue, billVoucherShareBack, lockInvoiceForVoucher, recordVoucherReceipt } from '../invoices/index.ts';
import { assertRuns, isLabBiller, requireAdmin } from './access.ts';
import type { VoucherDeps } from './programmes.ts';
import * as apps from './repository/applications.ts';
import * as claims from './repository/claims.ts';
import * as progs from './repository/programmes.ts';
import { afterCursor, claimView, page } from './view.ts';

const yuan = (fen: number) => (fen / 100).toFixed(2);
const DONE_ORDER = ['report_issued', 'closed'];

/**
 * The lab redeems a voucher share (兑付): only after the work is done (bookings checked out, orders
 * reported) and the customer's own part has arrived (nothing left due). One claim per use.
 */
export async function fileClaim(deps: VoucherDeps, actor: Actor | null, labId: string, invoiceId: string) {
  const a = requireActor(actor);
  if (!isLabBiller(a, labId)) throw notFound('lab');
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const invoice = await lockInvoiceForVoucher(tx, invoiceId);
    if (!invoice || invoice.labId !== labId) throw notFound('invoice');
    const use = await apps.findAppliedUse(tx, invoice.id);
    if (!use) throw conflict('voucher_not_used', 'No innovation voucher was used on this invoice.');
    if (amountDue(invoice) > 0) {
      throw conflict('voucher_self_paid_missing', 'The customer’s own part of the invoice has not been paid yet.');
    }
    const src = await claims.sourcesOfInvoice(tx, invoice.id);
    const undone =
      src.bookings.some((b) => b.status !== 'completed') || src.orders.some((o) => !DONE_ORDER.includes(o.status));
    if (undone) throw conflict('voucher_work_not_done', 'The work on this invoice is not finished yet.');
    const claim = await claims.insertClaimOnce(tx, {
      useId: use.id,
      programmeId: use.programmeId,
      labId,
      invoiceId: invoice.id,
      amountFen: use.amountFen,
      submittedBy: a.userId,
      submittedAt: now,
      updatedAt: now,
    });
    if (!claim) throw conflict('voucher_claim_exists', 'A claim for this voucher share was already filed.');
    const p = (await progs.findProgramme(tx, use.programmeId))!;
    await recordAudit(tx, a, {
      at: now,
      action: 'voucher_claim.submitted',
      entityType: 'voucher_claim',
      entityId: claim.id,
      orgId: labId,
      after: claim,
    });
    return claimView(claim, p);
  });
}

export async function listLabClaims(
  deps: VoucherDeps,
  actor: Actor | null,
  labId: string,
  q: { limit?: number; cursor?: string; status?: VoucherClaimStatus },
) {
  const a = requireActor(actor);
  if (!isLabBiller(a, labId)) throw notFound('lab');
  const limit = q.limit ?? 20;
  const rows = await claims.listClaims(deps.db, {
    labId,
    status: q.status,
    after: afterCursor(q.cursor, 'voucher_claims'),
    limit: limit + 1,
  });
  return page(
    rows,
    limit,
    'voucher_claims',
    (r) => ({ at: r.claim.submittedAt, id: r.claim.id }),
    (r) => claimView(r.claim, r.programme),
  );
}

export async function listAdminClaims(
  deps: VoucherDeps,
  actor: Actor | null,
  q: { limit?: number; cursor?: string; status?: VoucherClaimStatus },
) {
  const { platforms } = requireAdmin(actor);
  const limit = q.limit ?? 20;
  const rows = await claims.listClaims(deps.db, {
    issuers: platforms,
    status: q.status,
    after: afterCursor(q.cursor, 'voucher_claims'),
    limit: limit + 1,
  });
  return page(
    rows,
    limit,
    'voucher_claims',
    (r) => ({ at: r.claim.submittedAt, id: r.claim.id }),
    (r) => claimView(r.claim, r.programme),
  );
}

/** A claim of a programme the admin runs, locked; 404 for anyone else's. */
async function lockRunClaim(tx: Tx, platforms: string[], id: string) {
  const claim = await claims.findClaim(tx, id, true);
  if (!claim) throw notFound('voucher claim');
  const p = assertRuns(platforms, await progs.findProgramme(tx, claim.programmeId));
  return { claim, p };
}

async function tellLab(
  tx: Tx,
  claim: VoucherClaim,
  p: VoucherProgramme,
  what: 'approved' | 'rejected' | 'void' | 'paid',
  at: Date,
) {
  const zh = { approved: '已审核通过', rejected: '未通过审核', void: '已作废', paid: '已兑付' }[what];
  const users = await membersOf(tx, claim.labId, { roles: ['manager', 'staff'], activeOnly: true });
  await notifyUsers(
    tx,
    users,
    {
      kind: `voucher_claim_${what}`,
      titleZh: `创新券兑付申请${zh}：${p.nameZh} ¥${yuan(claim.amountFen)}`,
      titleEn: `Voucher claim ${what}: ${p.nameEn || p.nameZh} ¥${yuan(claim.amountFen)}`,
      bodyZh: claim.reason ?? '',
      bodyEn: claim.reason ?? '',
      link: `/console/finance/vouchers?lab=${claim.labId}`,
    },
    `voucher_claim:${claim.id}:${what}`,
    at,
  );
}

export async function approveClaim(deps: VoucherDeps, actor: Actor | null, id: string) {
  const { actor: a, platforms } = requireAdmin(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { claim, p } = await lockRunClaim(tx, platforms, id);
    const after = await claims.transitionClaim(tx, id, ['submitted'], {
      status: 'approved',
      decidedBy: a.userId,
      decidedAt: now,
      updatedAt: now,
    });
    if (!after) throw conflict('illegal_transition', `The claim is ${claim.status}.`);
    await recordAudit(tx, a, {
      at: now,
      action: 'voucher_claim.approved',
      entityType: 'voucher_claim',
      entityId: id,
      orgId: p.issuerOrgId,
      before: claim,
      after,
    });
    await tellLab(tx, after, p, 'approved', now);
    return claimView(after, p);
  });
}

/**
 * Rejecting (from submitted) or voiding (fraud; from submitted or approved, before any payment)
 * bills the voucher share back to the customer on the same invoice and restores the quota.
 */
export async function refuseClaim(
  deps: VoucherDeps,
  actor: Actor | null,
  id: string,
  how: 'rejected' | 'void',
  reason: string,
) {
  const { actor: a, platforms } = requireAdmin(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { claim, p } = await lockRunClaim(tx, platforms, id);
    const from: VoucherClaimStatus[] = how === 'rejected' ? ['submitted'] : ['submitted', 'approved'];
    if (!from.includes(claim.status) || claim.paidFen > 0) {
      throw conflict(
        'illegal_transition',
        `The claim is ${claim.status}${claim.paidFen > 0 ? ' and partly paid' : ''}.`,
      );
    }
    const invoice = (await lockInvoiceForVoucher(tx, claim.invoiceId))!;
    const use = (await apps.findUse(tx, claim.useId))!;
    await billVoucherShareBack(tx, invoice, {
      amount: claim.amountFen,
      issuerOrgId: p.issuerOrgId,
      at: now,
      sourceId: claim.id,
      memo: `创新券兑付${how === 'void' ? '作废' : '未通过'}，转由客户支付`,
    });
    await apps.restoreQuota(tx, use.applicationId, claim.amountFen, now);
    await apps.markUseRestored(tx, use.id, now);
    const after = await claims.transitionClaim(tx, id, from, {
      status: how,
      reason,
      decidedBy: a.userId,
      decidedAt: now,
      updatedAt: now,
    });
    if (!after) throw conflict('illegal_transition', `The claim is ${claim.status}.`);
    await recordAudit(tx, a, {
      at: now,
      action: how === 'void' ? 'voucher_claim.voided' : 'voucher_claim.rejected',
      entityType: 'voucher_claim',
      entityId: id,
      orgId: p.issuerOrgId,
      before: claim,
      after,
    });
    await tellLab(tx, after, p, how, now);
    const customers = await membersOf(tx, invoice.customerOrgId, { activeOnly: true });
    await notifyUsers(
      tx,
      customers,
      {
        kind: 'voucher_share_billed_back',
        titleZh: `创新券支付部分 ¥${yuan(claim.amountFen)} 需由贵单位支付：${invoice.number}`,
        titleEn: `The voucher share of ¥${yuan(claim.amountFen)} is now due from you: ${invoice.number}`,
        bodyZh: reason,
        bodyEn: reason,
        link: `/invoices/${invoice.id}`,
      },
      `voucher_claim:${id}:billed_back`,
      now,
    );
    return claimView(after, p);
  });
}

/** The programme's payment to the lab, recorded by its admin: Dr bank / Cr voucher receivable. */
export async function recordClaimPayment(
  deps: VoucherDeps,
  actor: Actor | null,
  id: string,
  body: { amount: { amount: number }; receivedOn: string; note?: string },
) {
  const { actor: a, platforms } = requireAdmin(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { claim, p } = await lockRunClaim(tx, platforms, id);
    if (claim.status !== 'approved') {
      throw conflict('illegal_transition', `Only an approved claim is paid; this one is ${claim.status}.`);
    }
    if (body.receivedOn > localDate(now)) {
      throw unprocessable('voucher_received_in_future', 'A payment is recorded once it has arrived.', [
        { path: '/receivedOn', code: 'voucher_received_in_future', message: `On or before ${localDate(now)}.` },
      ]);
    }
    const open = claim.amountFen - claim.paidFen;
    if (body.amount.amount > open) {
      throw unprocessable('amount_exceeds_due', `At most ¥${yuan(open)} is still owed on this claim.`, [
        { path: '/amount/amount', code: 'amount_exceeds_due', message: `At most ${open} fen.` },
      ]);
    }
    const payment = await claims.insertClaimPayment(tx, {
      claimId: id,
      amountFen: body.amount.amount,
      receivedOn: body.receivedOn,
      note: body.note ?? '',
      recordedBy: a.userId,
      createdAt: now,
    });
    await recordVoucherReceipt(tx, {
      labId: claim.labId,
      issuerOrgId: p.issuerOrgId,
      amount: body.amount.amount,
      at: now,
      sourceId: payment.id,
      memo: `创新券兑付 ${p.nameZh} ${body.note ?? ''}`.trim(),
    });
    const paid = claim.paidFen + body.amount.amount;
    const after = (await claims.transitionClaim(tx, id, ['approved'], {
      paidFen: paid,
      status: paid === claim.amountFen ? 'paid' : 'approved',
      paidAt: paid === claim.amountFen ? now : null,
      updatedAt: now,
    }))!;
    await recordAudit(tx, a, {
      at: now,
      action: 'voucher_claim.payment_recorded',
      entityType: 'voucher_claim',
      entityId: id,
      orgId: p.issuerOrgId,
      before: claim,
      after: { ...after, payment },
    });
    if (after.status === 'paid') await tellLab(tx, after, p, 'paid', now);
    return claimView(after, p);
  });
}
