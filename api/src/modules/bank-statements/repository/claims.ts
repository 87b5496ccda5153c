import { sql } from 'drizzle-orm';
import type { Tx } from '@qihub/db';

/** A name compared after NFKC (full-width → half-width), trimmed, case-folded (as `match.ts`). */
const normName = (col: string) => sql.raw(`lower(btrim(normalize(${col}, NFKC), E' \\t\\r\\n'))`);

/**
 * The voucher programme pays the lab by bank transfer (创新券兑付): a new line not matched to an
 * invoice whose payer is the programme's issuer (its name, after NFKC) and whose remark holds the
 * invoice number of one of the lab's approved claims pays that claim — at most what is still open
 * on it, lines of one claim taken in file order. Set-based like the invoice matcher, in the same
 * transaction after `lockLab`; booked as the manual claim payment is (a voucher_claim_payments row,
 * Dr bank / Cr voucher_receivable of the issuer, the claim's paid amount and status). Returns how
 * many lines it matched.
 */
export async function applyClaimPayments(tx: Tx, labId: string, at: Date): Promise<number> {
  await tx.execute(sql`
    SELECT c.id FROM voucher_claims c
     WHERE c.lab_id = ${labId}::uuid AND c.status = 'approved'
     ORDER BY c.id
       FOR UPDATE`);
  await tx.execute(sql`
    CREATE TEMP TABLE claim_alloc ON COMMIT DROP AS
    WITH waiting AS MATERIALIZED (
      SELECT st.line_id, st.ord, st.amount_fen, st.txn_date, upper(normalize(st.remark, NFKC)) AS remark,
             ${normName('st.counterparty')} AS payer
        FROM bank_stage st JOIN bank_statement_lines l ON l.id = st.line_id
       WHERE l.status IN ('unmatched', 'suggested')
    ), open_claims AS MATERIALIZED (
      SELECT c.id, c.amount_fen - c.paid_fen AS open, upper(i.number) AS number, p.issuer_org_id,
             p.name_zh AS programme, c.submitted_at,
             ${normName('o.name_zh')} AS name_zh, ${normName('o.name_en')} AS name_en
        FROM voucher_claims c
        JOIN invoices i ON i.id = c.invoice_id
        JOIN voucher_programmes p ON p.id = c.programme_id
        JOIN organisations o ON o.id = p.issuer_org_id
       WHERE c.lab_id = ${labId}::uuid AND c.status = 'approved' AND c.amount_fen > c.paid_fen
    ), fits AS (
      SELECT DISTINCT ON (w.line_id) w.line_id, w.ord, w.amount_fen, w.txn_date, c.id AS claim_id, c.open,
             c.issuer_org_id, c.programme, c.number
        FROM waiting w JOIN open_claims c
          ON w.payer <> '' AND (w.payer = c.name_zh OR w.payer = c.name_en)
         AND strpos(w.remark, c.number) > 0 AND w.amount_fen <= c.open
       ORDER BY w.line_id, c.submitted_at, c.id
    ), running AS (
      SELECT f.*, SUM(f.amount_fen) OVER (PARTITION BY f.claim_id ORDER BY f.ord) AS upto FROM fits f
    )
    SELECT line_id, claim_id, issuer_org_id, programme, number, txn_date, amount_fen,
           gen_random_uuid() AS payment_id, gen_random_uuid() AS txn_id
      FROM running WHERE upto <= open`);
  await tx.execute(sql`
    INSERT INTO ledger_accounts (book_org_id, code, counterparty_org_id)
    SELECT ${labId}::uuid, 'bank', NULL::uuid WHERE EXISTS (SELECT 1 FROM claim_alloc)
    UNION
    SELECT DISTINCT ${labId}::uuid, 'voucher_receivable', issuer_org_id FROM claim_alloc
    ON CONFLICT DO NOTHING`);
  await tx.execute(sql`
    INSERT INTO voucher_claim_payments (id, claim_id, amount_fen, received_on, note, bank_line_id, created_at)
    SELECT payment_id, claim_id, amount_fen, txn_date, '对公转账 银行流水匹配 (bank line)', line_id, ${at}::timestamptz
      FROM claim_alloc`);
  await tx.execute(sql`
    INSERT INTO ledger_transactions (id, book_org_id, kind, source_kind, source_id, memo, posted_at)
    SELECT txn_id, ${labId}::uuid, 'voucher_payment', 'voucher_claim_payment', payment_id,
           '创新券兑付 ' || programme || ' ' || number, ${at}::timestamptz
      FROM claim_alloc`);
  await tx.execute(sql`
    INSERT INTO ledger_entries (transaction_id, account_id, amount_fen)
    SELECT a.txn_id, acc.id, e.amount
      FROM claim_alloc a
     CROSS JOIN LATERAL (VALUES ('bank', NULL::uuid, a.amount_fen), ('voucher_receivable', a.issuer_org_id, -a.amount_fen))
           AS e(code, counterparty, amount)
      JOIN ledger_accounts acc
        ON acc.book_org_id = ${labId}::uuid AND acc.code = e.code
       AND acc.counterparty_org_id IS NOT DISTINCT FROM e.counterparty`);
  await tx.execute(sql`
    UPDATE voucher_claims c
       SET paid_fen = c.paid_fen + p.paid,
           status = CASE WHEN c.paid_fen + p.paid = c.amount_fen THEN 'paid'::voucher_claim_status ELSE c.status END,
           paid_at = CASE WHEN c.paid_fen + p.paid = c.amount_fen THEN ${at}::timestamptz ELSE c.paid_at END,
           updated_at = ${at}::timestamptz
      FROM (SELECT claim_id, SUM(amount_fen) AS paid FROM claim_alloc GROUP BY claim_id) p
     WHERE c.id = p.claim_id`);
  const { rows } = await tx.execute<{ n: number }>(sql`
    WITH upd AS (
      UPDATE bank_statement_lines SET status = 'matched', suggested_invoice_id = NULL
       WHERE id IN (SELECT line_id FROM claim_alloc) RETURNING 1
    ) SELECT count(*)::int AS n FROM upd`);
  return rows[0]!.n;
}
