import { sql } from 'drizzle-orm';
import type { Tx } from '@qihub/db';
import type { StatementLine } from '../csv.ts';

/**
 * Matching a bank statement against a lab's open invoices, set-based: a fixed number of statements
 * whatever the number of lines (no query per line). All of it runs in the caller's transaction,
 * after `lockLab`, so a failure leaves nothing and two uploads of one lab never interleave.
 */

/** 付款识别码 in a remark (after NFKC and upper-casing): "QH" + 8 characters without look-alikes. */
const REFERENCE = 'QH[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}';

/** What the customer still owes on an invoice (the voucher share is the programme's), in SQL. */
const DUE = sql.raw(`GREATEST(i.total_fen - i.voucher_share_fen - i.amount_paid_fen - i.amount_credited_fen, 0)`);
const OPEN = sql.raw(`i.kind = 'invoice' AND i.status IN ('open', 'partially_paid')`);
/** A name compared after NFKC (full-width → half-width), trimmed, case-folded. */
const normName = (col: string) => sql.raw(`lower(btrim(normalize(${col}, NFKC), E' \\t\\r\\n'))`);

/** Serialises the uploads and manual matches of one lab (released at commit or rollback). */
export async function lockLab(tx: Tx, labId: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended('bank_statements:' || ${labId}::text, 0))`);
}

export async function insertStatement(tx: Tx, labId: string, uploadedBy: string | null, charset: string, at: Date) {
  const { rows } = await tx.execute<{ id: string }>(sql`
    INSERT INTO bank_statements (lab_id, uploaded_by, charset, lines, matched, suggested, unmatched, duplicates, created_at)
    VALUES (${labId}::uuid, ${uploadedBy}::uuid, ${charset}, 0, 0, 0, 0, 0, ${at.toISOString()}::timestamptz)
    RETURNING id`);
  return rows[0]!.id;
}

/**
 * Stages the parsed lines in a scratch table (one statement: the lines travel as one JSON
 * parameter) and inserts the new ones; a line already known by its key (uploaded before, or a
 * concurrent upload that committed first) is left alone and counted as a duplicate.
 */
export async function stageLines(tx: Tx, labId: string, statementId: string, lines: StatementLine[], at: Date) {
  await tx.execute(sql`
    CREATE TEMP TABLE bank_stage (
      ord integer PRIMARY KEY,
      line_key text NOT NULL,
      txn_date date NOT NULL,
      counterparty text NOT NULL,
      counterparty_account text NOT NULL,
      amount_fen bigint NOT NULL,
      remark text NOT NULL,
      line_id uuid
    ) ON COMMIT DROP`);
  const json = JSON.stringify(
    lines.map((l) => ({
      ord: l.ord,
      line_key: l.lineKey,
      txn_date: l.txnDate,
      counterparty: l.counterparty,
      counterparty_account: l.counterpartyAccount,
      amount_fen: l.amountFen,
      remark: l.remark,
    })),
  );
  await tx.execute(sql`
    INSERT INTO bank_stage (ord, line_key, txn_date, counterparty, counterparty_account, amount_fen, remark)
    SELECT ord, line_key, txn_date, counterparty, counterparty_account, amount_fen, remark
      FROM json_to_recordset(${json}::json) AS x(ord integer, line_key text, txn_date date, counterparty text,
                                                 counterparty_account text, amount_fen bigint, remark text)`);
  await tx.execute(sql`ANALYZE bank_stage`);
  await tx.execute(sql`
    INSERT INTO bank_statement_lines
           (lab_id, statement_id, line_key, txn_date, counterparty, counterparty_account, amount_fen, remark, status,
            created_at)
    SELECT ${labId}::uuid, ${statementId}::uuid, line_key, txn_date, counterparty, counterparty_account, amount_fen,
           remark, 'unmatched', ${at.toISOString()}::timestamptz
      FROM bank_stage ORDER BY ord
    ON CONFLICT (lab_id, line_key) DO NOTHING`);
  // A key repeated within the file (a bank listing one 流水号 twice) is one line: its first row.
  await tx.execute(sql`
    UPDATE bank_stage s SET line_id = l.id
      FROM bank_statement_lines l,
           (SELECT DISTINCT ON (line_key) ord FROM bank_stage ORDER BY line_key, ord) f
     WHERE f.ord = s.ord AND l.lab_id = ${labId}::uuid AND l.statement_id = ${statementId}::uuid
       AND l.line_key = s.line_key`);
}

/**
 * Pays the invoices whose payment references the new lines' remarks hold. Locks those invoices
 * first; then each (line, invoice) pair gets what the line has left after its older invoices
 * (running sums, oldest due first), capped by what earlier lines of the file already paid on that
 * invoice; what a line has left over is the customer's credit, on its newest invoice's payment.
 * Each payment is its own balanced journal: Dr bank / Cr receivable / Cr customer_credit.
 */
export async function applyReferences(tx: Tx, labId: string, at: Date) {
  await tx.execute(sql`
    SELECT i.id FROM invoices i
     WHERE i.lab_id = ${labId}::uuid AND ${OPEN}
       AND i.payment_reference IN (
             SELECT (regexp_matches(upper(normalize(s.remark, NFKC)), ${REFERENCE}, 'g'))[1]
               FROM bank_stage s WHERE s.line_id IS NOT NULL)
     ORDER BY i.id
       FOR UPDATE`);
  await tx.execute(sql`
    CREATE TEMP TABLE bank_alloc ON COMMIT DROP AS
    WITH refs AS (
      SELECT DISTINCT s.line_id, s.ord, s.amount_fen AS line_amount, s.txn_date, m.r[1] AS ref
        FROM bank_stage s
       CROSS JOIN LATERAL regexp_matches(upper(normalize(s.remark, NFKC)), ${REFERENCE}, 'g') AS m(r)
       WHERE s.line_id IS NOT NULL
    ), cand AS (
      SELECT r.line_id, r.ord, r.line_amount, r.txn_date, i.id AS invoice_id, i.customer_org_id, i.number,
             i.currency, i.due_date, i.issued_at, ${DUE} AS due
        FROM refs r JOIN invoices i ON i.payment_reference = r.ref
       WHERE i.lab_id = ${labId}::uuid AND ${OPEN}
    ), per_line AS (
      SELECT c.*, c.line_amount - COALESCE(SUM(c.due) OVER (
               PARTITION BY c.line_id ORDER BY c.due_date, c.issued_at, c.invoice_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line_left
        FROM cand c
    ), claims AS (
      SELECT p.*, LEAST(GREATEST(p.line_left, 0), p.due) AS claim FROM per_line p
    ), capped AS (
      SELECT c.*, LEAST(c.claim, GREATEST(c.due - COALESCE(SUM(c.claim) OVER (
               PARTITION BY c.invoice_id ORDER BY c.ord
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0)) AS applied
        FROM claims c
    )
    SELECT line_id, invoice_id, customer_org_id, number, currency, txn_date, applied::bigint AS applied,
           (CASE WHEN row_number() OVER (PARTITION BY line_id ORDER BY due_date DESC, issued_at DESC, invoice_id DESC) = 1
                 THEN line_amount - SUM(applied) OVER (PARTITION BY line_id) ELSE 0 END)::bigint AS excess,
           gen_random_uuid() AS payment_id, gen_random_uuid() AS txn_id
      FROM capped`);
  await tx.execute(sql`DELETE FROM bank_alloc WHERE applied + excess = 0`);
  await tx.execute(sql`
    INSERT INTO ledger_accounts (book_org_id, code, counterparty_org_id)
    SELECT ${labId}::uuid, 'bank', NULL WHERE EXISTS (SELECT 1 FROM bank_alloc)
    UNION
    SELECT DISTINCT ${labId}::uuid, c.code, a.customer_org_id
      FROM bank_alloc a CROSS JOIN (VALUES ('receivable'), ('customer_credit')) AS c(code)
    ON CONFLICT DO NOTHING`);
  await tx.execute(sql`
    INSERT INTO payments (id, lab_id, customer_org_id, invoice_id, channel, amount_fen, currency, received_on,
                          bank_line_id, note)
    SELECT payment_id, ${labId}::uuid, customer_org_id, invoice_id, 'bank_transfer', applied + excess, currency,
           txn_date, line_id, ''
      FROM bank_alloc`);
  await tx.execute(sql`
    INSERT INTO ledger_transactions (id, book_org_id, kind, source_kind, source_id, memo, posted_at)
    SELECT txn_id, ${labId}::uuid, 'payment', 'payment', payment_id, number, ${at}::timestamptz FROM bank_alloc`);
  await tx.execute(sql`
    INSERT INTO ledger_entries (transaction_id, account_id, amount_fen, currency, invoice_id)
    SELECT a.txn_id, acc.id, e.amount, a.currency, e.invoice_id
      FROM bank_alloc a
     CROSS JOIN LATERAL (VALUES ('bank', NULL::uuid, a.applied + a.excess, NULL::uuid),
                                ('receivable', a.customer_org_id, -a.applied, a.invoice_id),
                                ('customer_credit', a.customer_org_id, -a.excess, NULL::uuid))
           AS e(code, counterparty, amount, invoice_id)
      JOIN ledger_accounts acc
        ON acc.book_org_id = ${labId}::uuid AND acc.code = e.code
       AND COALESCE(acc.counterparty_org_id, '00000000-0000-0000-0000-000000000000'::uuid)
         = COALESCE(e.counterparty, '00000000-0000-0000-0000-000000000000'::uuid)
     WHERE e.amount <> 0`);
  // The invoices' new amounts and status from the aggregates; one turning paid queues invoices.paid.
  await tx.execute(sql`
    WITH paid AS (
      SELECT invoice_id, SUM(applied) AS applied FROM bank_alloc GROUP BY invoice_id HAVING SUM(applied) > 0
    ), upd AS (
      UPDATE invoices i
         SET amount_paid_fen = i.amount_paid_fen + p.applied,
             status = CASE WHEN ${DUE} - p.applied > 0 THEN 'partially_paid'::invoice_status ELSE 'paid' END,
             paid_at = CASE WHEN ${DUE} - p.applied > 0 THEN i.paid_at ELSE ${at}::timestamptz END,
             updated_at = ${at}::timestamptz
        FROM paid p
       WHERE i.id = p.invoice_id
      RETURNING i.id, i.status
    )
    INSERT INTO outbox (topic, payload, dedupe_key)
    SELECT 'invoices.paid', jsonb_build_object('invoiceId', id), 'invoices.paid:' || id FROM upd WHERE status = 'paid'
    ON CONFLICT DO NOTHING`);
  await tx.execute(sql`
    UPDATE bank_statement_lines SET status = 'matched' WHERE id IN (SELECT line_id FROM bank_alloc)`);
}

/**
 * A new line without a reference whose amount equals an open invoice's amount due and whose payer
 * is that invoice's customer (names compared after NFKC) is only a suggestion for a person to
 * confirm: the oldest such invoice.
 */
export async function suggestByAmountAndPayer(tx: Tx, labId: string) {
  // Both sides normalised once (not once per pair), then one join on (amount, name).
  await tx.execute(sql`
    WITH waiting AS MATERIALIZED (
      SELECT st.line_id, st.amount_fen, ${normName('st.counterparty')} AS payer
        FROM bank_stage st
       WHERE st.line_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bank_alloc a WHERE a.line_id = st.line_id)
    ), open_invoices AS MATERIALIZED (
      SELECT i.id, i.due_date, i.issued_at, ${DUE} AS due, ${normName('o.name_zh')} AS name_zh,
             ${normName('o.name_en')} AS name_en
        FROM invoices i JOIN organisations o ON o.id = i.customer_org_id
       WHERE i.lab_id = ${labId}::uuid AND ${OPEN}
    ), fits AS (
      SELECT w.line_id, v.id AS invoice_id, v.due_date, v.issued_at
        FROM waiting w JOIN open_invoices v ON v.due = w.amount_fen AND v.name_zh = w.payer
       WHERE w.payer <> ''
      UNION
      SELECT w.line_id, v.id, v.due_date, v.issued_at
        FROM waiting w JOIN open_invoices v ON v.due = w.amount_fen AND v.name_en = w.payer
       WHERE w.payer <> ''
    )
    UPDATE bank_statement_lines l SET status = 'suggested', suggested_invoice_id = s.invoice_id
      FROM (SELECT DISTINCT ON (line_id) line_id, invoice_id FROM fits
             ORDER BY line_id, due_date, issued_at, invoice_id) s
     WHERE l.id = s.line_id`);
}

/** The ids of the lines this statement added. */
export async function statementLineIds(tx: Tx, statementId: string): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string }>(
    sql`SELECT id FROM bank_statement_lines WHERE statement_id = ${statementId}::uuid`,
  );
  return rows.map((r) => r.id);
}

export interface StatementCounts {
  lines: number;
  matched: number;
  suggested: number;
  unmatched: number;
  duplicates: number;
}

/** The file's counts, written on the statement row and answered. */
export async function finishStatement(tx: Tx, statementId: string): Promise<StatementCounts> {
  const { rows } = await tx.execute<Record<keyof StatementCounts, number>>(sql`
    WITH c AS (
      SELECT count(*)::int AS lines,
             count(*) FILTER (WHERE l.status = 'matched')::int AS matched,
             count(*) FILTER (WHERE l.status = 'suggested')::int AS suggested,
             count(*) FILTER (WHERE l.status = 'unmatched')::int AS unmatched,
             count(*) FILTER (WHERE s.line_id IS NULL)::int AS duplicates
        FROM bank_stage s LEFT JOIN bank_statement_lines l ON l.id = s.line_id
    )
    UPDATE bank_statements b
       SET lines = c.lines, matched = c.matched, suggested = c.suggested, unmatched = c.unmatched,
           duplicates = c.duplicates
      FROM c WHERE b.id = ${statementId}::uuid
    RETURNING b.lines, b.matched, b.suggested, b.unmatched, b.duplicates`);
  return rows[0]!;
}
