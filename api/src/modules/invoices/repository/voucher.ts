import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';

/**
 * The voucher side of an invoice as a credit note sees it (创新券): the use applied on it, its
 * programme's issuer, and its redemption claim if one was filed — each locked, in the order every
 * voucher change takes them (invoice, then use, then claim, then quota).
 */
export async function lockAppliedUse(tx: DbOrTx, invoiceId: string) {
  const { rows } = await tx.execute<{
    id: string;
    amount_fen: string;
    share_bp: number;
    application_id: string;
    issuer_org_id: string;
  }>(sql`
    SELECT u.id, u.amount_fen, u.share_bp, u.application_id, p.issuer_org_id
      FROM voucher_uses u JOIN voucher_programmes p ON p.id = u.programme_id
     WHERE u.invoice_id = ${invoiceId}::uuid AND u.status = 'applied'
       FOR UPDATE OF u`);
  const r = rows[0];
  return r
    ? {
        id: r.id,
        amountFen: Number(r.amount_fen),
        shareBp: r.share_bp,
        applicationId: r.application_id,
        issuerOrgId: r.issuer_org_id,
      }
    : undefined;
}

export async function lockClaimOfUse(tx: DbOrTx, useId: string) {
  const { rows } = await tx.execute<{ id: string; status: string; amount_fen: string; paid_fen: string }>(sql`
    SELECT id, status::text AS status, amount_fen, paid_fen FROM voucher_claims WHERE use_id = ${useId}::uuid FOR UPDATE`);
  const r = rows[0];
  return r ? { id: r.id, status: r.status, amountFen: Number(r.amount_fen), paidFen: Number(r.paid_fen) } : undefined;
}

/** What credit notes have already taken off the invoice (fen, positive). */
export async function creditedSoFar(tx: DbOrTx, invoiceId: string): Promise<number> {
  const { rows } = await tx.execute<{ n: string }>(sql`
    SELECT COALESCE(-sum(total_fen), 0) AS n FROM invoices WHERE credits_invoice_id = ${invoiceId}::uuid`);
  return Number(rows[0]!.n);
}

/**
 * Takes `amount` off the use (and its claim, when one is filed) and gives it back to the quota. A
 * use brought to nothing is `restored` and a claim brought to nothing `void`, each keeping the
 * amount it had (as a refused claim does), so the record says what was given back.
 */
export async function reduceVoucherUse(
  tx: DbOrTx,
  r: { useId: string; applicationId: string; claimId: string | null; amount: number; at: Date; reason: string },
) {
  const at = r.at.toISOString();
  await tx.execute(sql`
    UPDATE voucher_uses
       SET amount_fen = CASE WHEN amount_fen > ${r.amount} THEN amount_fen - ${r.amount} ELSE amount_fen END,
           status = CASE WHEN amount_fen > ${r.amount} THEN status ELSE 'restored'::voucher_use_status END,
           restored_at = CASE WHEN amount_fen > ${r.amount} THEN restored_at ELSE ${at}::timestamptz END
     WHERE id = ${r.useId}::uuid`);
  await tx.execute(sql`
    UPDATE voucher_applications SET remaining_fen = remaining_fen + ${r.amount}, updated_at = ${at}::timestamptz
     WHERE id = ${r.applicationId}::uuid`);
  if (r.claimId) {
    await tx.execute(sql`
      UPDATE voucher_claims
         SET amount_fen = CASE WHEN amount_fen > ${r.amount} THEN amount_fen - ${r.amount} ELSE amount_fen END,
             status = CASE WHEN amount_fen > ${r.amount} THEN status ELSE 'void'::voucher_claim_status END,
             reason = CASE WHEN amount_fen > ${r.amount} THEN reason ELSE ${r.reason} END,
             updated_at = ${at}::timestamptz
       WHERE id = ${r.claimId}::uuid`);
  }
}
