import { expect } from 'vitest';
import type { TestDatabase } from './db.ts';

/**
 * The promises of the money tables, checked in SQL over the whole database (issue 11): a list of
 * violations, each a short description with the rows involved, so a failing property names what
 * broke. Empty means every promise holds.
 */
export async function moneyViolations(db: TestDatabase): Promise<string[]> {
  const out: string[] = [];
  const check = async (what: string, query: string) => {
    const { rows } = await db.pool.query(query);
    if (rows.length > 0) out.push(`${what}: ${JSON.stringify(rows.slice(0, 5))}`);
  };
  // Every journal balances, has at least two lines, and stays within its own book.
  await check(
    'unbalanced ledger transaction',
    `SELECT t.id, t.kind, t.source_kind, COALESCE(SUM(e.amount_fen), 0)::bigint AS sum, count(e.id)::int AS n
       FROM ledger_transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id
      GROUP BY t.id HAVING COALESCE(SUM(e.amount_fen), 0) <> 0 OR count(e.id) < 2`,
  );
  await check(
    'entry on another book’s account',
    `SELECT e.id FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
       JOIN ledger_accounts a ON a.id = e.account_id WHERE a.book_org_id <> t.book_org_id`,
  );
  await check('zero ledger entry', `SELECT id FROM ledger_entries WHERE amount_fen = 0`);
  // An invoice is the sum of its lines; a credit note is negative and credits an invoice of the same parties.
  await check(
    'invoice total ≠ sum of its lines',
    `SELECT i.id, i.total_fen, COALESCE(SUM(l.amount_fen), 0)::bigint AS lines
       FROM invoices i LEFT JOIN invoice_lines l ON l.invoice_id = i.id
      GROUP BY i.id HAVING i.total_fen <> COALESCE(SUM(l.amount_fen), 0)`,
  );
  await check(
    'line of other parties than its invoice',
    `SELECT l.id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
      WHERE i.lab_id <> l.lab_id OR i.customer_org_id <> l.customer_org_id`,
  );
  await check(
    'malformed credit note',
    `SELECT n.id FROM invoices n LEFT JOIN invoices o ON o.id = n.credits_invoice_id
      WHERE n.kind = 'credit_note' AND (n.total_fen >= 0 OR o.id IS NULL OR o.kind <> 'invoice'
         OR o.lab_id <> n.lab_id OR o.customer_org_id <> n.customer_org_id)`,
  );
  // An issued invoice's receivable is what is left of it: total − paid − credited − voucher share.
  await check(
    'receivable of an invoice ≠ total − paid − credited − voucher share',
    `SELECT i.id, i.number, i.total_fen, i.amount_paid_fen, i.amount_credited_fen, i.voucher_share_fen,
            COALESCE(r.sum, 0)::bigint AS receivable
       FROM invoices i
       LEFT JOIN (SELECT e.invoice_id, SUM(e.amount_fen) AS sum FROM ledger_entries e
                    JOIN ledger_accounts a ON a.id = e.account_id
                   WHERE a.code = 'receivable' GROUP BY e.invoice_id) r ON r.invoice_id = i.id
      WHERE COALESCE(r.sum, 0) <> CASE WHEN i.kind = 'invoice'
              THEN i.total_fen - i.amount_paid_fen - i.amount_credited_fen - i.voucher_share_fen ELSE 0 END`,
  );
  await check(
    'receivable entry without its invoice, or of another customer',
    `SELECT e.id FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
       LEFT JOIN invoices i ON i.id = e.invoice_id
      WHERE a.code = 'receivable' AND (i.id IS NULL OR i.customer_org_id <> a.counterparty_org_id
         OR i.lab_id <> a.book_org_id)`,
  );
  await check(
    'invoice paid or credited beyond its total, or status out of step',
    `SELECT id, number, status, total_fen, amount_paid_fen, amount_credited_fen FROM invoices
      WHERE kind = 'invoice' AND (amount_paid_fen < 0 OR amount_credited_fen < 0
         OR amount_paid_fen + amount_credited_fen + voucher_share_fen > total_fen
         OR (status IN ('open', 'partially_paid')) <> (total_fen - amount_paid_fen - amount_credited_fen - voucher_share_fen > 0)
         OR (status = 'partially_paid' AND amount_paid_fen = 0))`,
  );
  await check(
    'payments short of what the invoice counts as paid',
    `SELECT i.id FROM invoices i LEFT JOIN payments p ON p.invoice_id = i.id
      GROUP BY i.id HAVING COALESCE(SUM(p.amount_fen), 0) < i.amount_paid_fen`,
  );
  // The unbilled receivable of each customer is exactly its charged lines not yet on any invoice.
  await check(
    'unbilled ≠ lines without invoice',
    `WITH u AS (SELECT a.book_org_id AS lab, a.counterparty_org_id AS customer, SUM(e.amount_fen) AS sum
                  FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
                 WHERE a.code = 'unbilled' GROUP BY 1, 2),
          l AS (SELECT lab_id AS lab, customer_org_id AS customer, SUM(amount_fen) AS sum
                  FROM invoice_lines WHERE invoice_id IS NULL GROUP BY 1, 2)
     SELECT COALESCE(u.lab, l.lab) AS lab, COALESCE(u.customer, l.customer) AS customer, u.sum AS ledger, l.sum AS lines
       FROM u FULL JOIN l ON l.lab = u.lab AND l.customer = u.customer
      WHERE COALESCE(u.sum, 0) <> COALESCE(l.sum, 0)`,
  );
  // Revenue (a platform's service fee is its fee_revenue) and output VAT of a book are exactly its
  // lines (every line accrued once) — except the fee Stripe takes at source on card payments, which
  // is invoiced by nobody (its own checks are below).
  await check(
    'revenue + VAT ≠ charged lines',
    `WITH r AS (SELECT a.book_org_id AS lab, -SUM(e.amount_fen) AS sum FROM ledger_entries e
                  JOIN ledger_accounts a ON a.id = e.account_id
                  JOIN ledger_transactions t ON t.id = e.transaction_id
                 WHERE a.code IN ('revenue', 'fee_revenue', 'vat_output')
                   AND t.kind NOT IN ('fee_income', 'fee_income_refund') GROUP BY 1),
          l AS (SELECT lab_id AS lab, SUM(amount_fen) AS sum FROM invoice_lines GROUP BY 1)
     SELECT COALESCE(r.lab, l.lab) AS lab, r.sum AS ledger, l.sum AS lines
       FROM r FULL JOIN l ON l.lab = r.lab WHERE COALESCE(r.sum, 0) <> COALESCE(l.sum, 0)`,
  );
  await check(
    'customer credit overspent (its account in debit)',
    `SELECT a.book_org_id, a.counterparty_org_id, SUM(e.amount_fen) AS sum FROM ledger_entries e
       JOIN ledger_accounts a ON a.id = e.account_id WHERE a.code = 'customer_credit'
      GROUP BY 1, 2 HAVING SUM(e.amount_fen) > 0`,
  );
  // Numbers are gapless per issuer and year, counted by the counter, and say what they are.
  await check(
    'gap or duplicate in invoice numbers',
    `SELECT i.lab_id, i.year, count(*)::int AS n, max(i.seq) AS max, count(DISTINCT i.seq)::int AS distinct_seqs,
            max(c.last) AS counter
       FROM invoices i LEFT JOIN invoice_counters c ON c.org_id = i.lab_id AND c.year = i.year
      GROUP BY i.lab_id, i.year
     HAVING min(i.seq) <> 1 OR max(i.seq) <> count(*) OR count(DISTINCT i.seq) <> count(*) OR max(c.last) <> count(*)`,
  );
  await check(
    'invoice number not its prefix, year and sequence',
    `SELECT id, number, year, seq FROM invoices
      WHERE number <> (CASE kind WHEN 'invoice' THEN 'ZD' ELSE 'HZ' END) || '-' || year || '-' || lpad(seq::text, 6, '0')`,
  );
  await check(
    'lines of a booking’s use ≠ its billed amount',
    `SELECT l.id, l.amount_fen, b.billed_amount FROM invoice_lines l JOIN bookings b ON b.id = l.source_id
      WHERE l.source_kind = 'booking' AND l.charge = 'use' AND l.amount_fen <> b.billed_amount`,
  );
  await check(
    'an internal or order booking billed',
    `SELECT l.id FROM invoice_lines l JOIN bookings b ON b.id = l.source_id
      WHERE l.source_kind = 'booking' AND (b.order_id IS NOT NULL OR b.customer_org_id = b.lab_id)`,
  );
  // Card money after the payment: each processor refund booked once, payouts and fees in step.
  await check(
    'card payment’s refunded ≠ its succeeded refunds, or a refund booked other than once',
    `SELECT c.external_id, c.refunded_fen, COALESCE(SUM(r.amount_fen) FILTER (WHERE r.status = 'succeeded'), 0)::bigint AS refunds,
            COALESCE(SUM(j.n) FILTER (WHERE r.status = 'succeeded'), 0)::int AS journals,
            count(r.id) FILTER (WHERE r.status = 'succeeded')::int AS succeeded
       FROM card_payments c
       LEFT JOIN card_refunds r ON r.external_payment_id = c.external_id
       LEFT JOIN LATERAL (SELECT count(*)::int AS n FROM ledger_transactions t
                           WHERE t.source_kind = 'card_refund' AND t.source_id = r.id) j ON true
      GROUP BY c.external_id, c.refunded_fen
     HAVING c.refunded_fen <> COALESCE(SUM(r.amount_fen) FILTER (WHERE r.status = 'succeeded'), 0)
         OR COALESCE(SUM(j.n) FILTER (WHERE r.status = 'succeeded'), 0) <> count(r.id) FILTER (WHERE r.status = 'succeeded')
         OR COALESCE(SUM(j.n) FILTER (WHERE r.status <> 'succeeded'), 0) <> 0`,
  );
  await check(
    'payout’s journals out of step with its booking',
    `SELECT p.id, p.status, p.booked_at, p.reversed_at,
            (SELECT count(*) FROM ledger_transactions t WHERE t.source_kind = 'payout' AND t.source_id = p.id AND t.kind = 'payout')::int AS paid,
            (SELECT count(*) FROM ledger_transactions t WHERE t.source_kind = 'payout' AND t.source_id = p.id AND t.kind = 'payout_reversal')::int AS reversed
       FROM payouts p
      WHERE (SELECT count(*) FROM ledger_transactions t WHERE t.source_kind = 'payout' AND t.source_id = p.id AND t.kind = 'payout')
              <> (p.booked_at IS NOT NULL)::int
         OR (SELECT count(*) FROM ledger_transactions t WHERE t.source_kind = 'payout' AND t.source_id = p.id AND t.kind = 'payout_reversal')
              <> (p.reversed_at IS NOT NULL)::int
         OR (p.status = 'paid' AND p.reversed_at IS NOT NULL)`,
  );
  await check(
    'platform fee revenue of a card payment ≠ its fee less what was given back',
    `SELECT c.external_id, c.fee_fen, c.fee_refunded_fen, -SUM(e.amount_fen) AS revenue
       FROM card_payments c
       JOIN ledger_transactions t ON t.source_kind = 'payment' AND t.source_id = c.payment_id
       JOIN ledger_entries e ON e.transaction_id = t.id
       JOIN ledger_accounts a ON a.id = e.account_id AND a.code = 'fee_revenue'
      GROUP BY c.external_id, c.fee_fen, c.fee_refunded_fen
     HAVING -SUM(e.amount_fen) <> c.fee_fen - c.fee_refunded_fen`,
  );
  await check(
    'lab’s platform fee expense of a card payment ≠ its fee less what was given back',
    `SELECT c.external_id, c.fee_fen, c.fee_refunded_fen, SUM(e.amount_fen) AS expense
       FROM card_payments c
       JOIN ledger_transactions t ON t.source_kind = 'payment' AND t.source_id = c.payment_id
       JOIN ledger_entries e ON e.transaction_id = t.id
       JOIN ledger_accounts a ON a.id = e.account_id AND a.code = 'platform_fee_expense'
      GROUP BY c.external_id, c.fee_fen, c.fee_refunded_fen
     HAVING SUM(e.amount_fen) <> c.fee_fen - c.fee_refunded_fen`,
  );
  return out;
}

/** Asserts every money promise holds (the violations are the failure message). */
export async function expectMoneyConsistent(db: TestDatabase): Promise<void> {
  expect(await moneyViolations(db)).toEqual([]);
}

/**
 * A digest of every money table — found by name, so the tables later slices add (vouchers, fapiao,
 * statements, payouts …) are in it without editing this — to show that a refused call changed nothing.
 */
export async function moneyDigest(db: TestDatabase): Promise<string> {
  const { rows: tables } = await db.pool.query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'
        AND tablename ~ '^(invoice|payment|ledger|bank_|billing|customer_billing|fapiao|voucher|statement|payout|reconcil|stripe|webhook|platform_fee)'
      ORDER BY 1`,
  );
  const parts: string[] = [];
  for (const { t } of tables) {
    const { rows } = await db.pool.query<{ h: string | null }>(
      `SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM ${t} x`,
    );
    parts.push(`${t}:${rows[0]?.h ?? ''}`);
  }
  return parts.join('\n');
}
