import { sql, type SQL } from 'drizzle-orm';

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * How long a Stripe event may wait for its booking before it is a discrepancy: the webhook's job
 * books it within seconds and retries for hours; past this, something is stuck or was refused.
 */
export const STRIPE_GRACE = sql`interval '6 hours'`;

/** A processor object's subject id: a stable uuid from the account and the processor's id. */
const subject = (account: SQL, objectId: SQL) => sql`md5(${account} || ':' || ${objectId})::uuid`;

/**
 * "Money at Stripe with no ledger entry" — each a query of (lab_id, subject_kind, subject_id) like
 * the other detectors, over the stored webhook events of the labs' connected accounts.
 */
export const STRIPE_DETECTORS = {
  /**
   * A succeeded payment event (PaymentIntent, charge or completed Checkout Session) on a lab's
   * account, hours old, whose payment is recorded on no invoice — the job failed, or the payment
   * names no invoice of the lab (taken outside QIHub, or another lab's invoice). Events whose
   * re-read found the payment not succeeded are left out.
   */
  stripe_payment_unrecorded: (now: Date) => sql`
    SELECT DISTINCT a.lab_id, 'stripe_payment' AS subject_kind, ${subject(sql`e.account`, sql`x.pi`)} AS subject_id
      FROM processor_events e
      JOIN processor_accounts a ON a.account_id = e.account
     CROSS JOIN LATERAL (SELECT CASE WHEN e.object_type = 'payment_intent' THEN e.object_id
                                     ELSE e.payload #>> '{data,object,payment_intent}' END AS pi) x
     WHERE e.type IN ('payment_intent.succeeded', 'charge.succeeded', 'checkout.session.completed')
       AND e.created_at < ${ts(now)} - ${STRIPE_GRACE}
       AND x.pi IS NOT NULL
       AND (e.processed_at IS NULL OR e.outcome IS NULL OR e.outcome NOT IN ('pending', 'failed'))
       AND NOT EXISTS (SELECT 1 FROM card_payments c WHERE c.external_id = x.pi)`,
  /**
   * A refund that succeeded at Stripe (its event says so), hours old, of a payment we recorded,
   * with no refund row (and so no reversal in the lab's book).
   */
  stripe_refund_unrecorded: (now: Date) => sql`
    SELECT DISTINCT c.lab_id, 'stripe_refund' AS subject_kind, ${subject(sql`e.account`, sql`e.object_id`)} AS subject_id
      FROM processor_events e
      JOIN card_payments c ON c.external_id = e.payload #>> '{data,object,payment_intent}' AND c.account = e.account
     WHERE e.object_type = 'refund' AND e.payload #>> '{data,object,status}' = 'succeeded'
       AND e.created_at < ${ts(now)} - ${STRIPE_GRACE}
       AND NOT EXISTS (SELECT 1 FROM card_refunds r WHERE r.external_id = e.object_id)`,
  /**
   * A payout the processor reported paid with no journal moving it to the bank: its event is hours
   * old and the payout was never stored, or it is stored as paid without its booking (a currency
   * the books are not kept in, a failed job).
   */
  stripe_payout_unbooked: (now: Date) => sql`
    SELECT a.lab_id, 'payout' AS subject_kind, COALESCE(p.id, ${subject(sql`e.account`, sql`e.object_id`)}) AS subject_id
      FROM processor_events e
      JOIN processor_accounts a ON a.account_id = e.account
      LEFT JOIN payouts p ON p.external_id = e.object_id
     WHERE e.type = 'payout.paid' AND e.created_at < ${ts(now)} - ${STRIPE_GRACE} AND p.id IS NULL
    UNION
    SELECT p.lab_id, 'payout' AS subject_kind, p.id AS subject_id
      FROM payouts p
     WHERE p.status = 'paid'
       AND NOT EXISTS (SELECT 1 FROM ledger_transactions t
                        WHERE t.source_kind = 'payout' AND t.source_id = p.id AND t.kind = 'payout')`,
} satisfies Record<string, (now: Date) => SQL>;
