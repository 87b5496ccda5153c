import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';

/**
 * 创新券 redemption claims that wait too long, in calendar days of Asia/Shanghai (a person counts
 * days on the calendar, and the holiday calendar is the programme's, not ours):
 * - filed and not decided after 20 days — about the 15 working days programmes commonly give
 *   themselves to review a claim (a month with two weekends in each half);
 * - approved and the programme's payment not (fully) arrived 30 days after the approval — the
 *   treasury's usual payment run after an approval is monthly.
 * A claim counts from the China date it was filed (or approved): filed on 1 December it is waiting
 * too long from 21 December on, not on 20 December.
 */
export const CLAIM_DECISION_DAYS = 20;
export const CLAIM_PAYMENT_DAYS = 30;

const chinaDate = (column: SQL) => sql`(${column} AT TIME ZONE 'Asia/Shanghai')::date`;

/** The voucher-claim detectors, each a query of (lab_id, subject_kind, subject_id) as `today` (a China date) sees them. */
export const VOUCHER_CLAIM_DETECTORS = {
  /** Filed (submitted) and not approved or rejected after CLAIM_DECISION_DAYS days. */
  voucher_claim_waiting: (_now: Date, today: string) => sql`
    SELECT c.lab_id, 'voucher_claim' AS subject_kind, c.id AS subject_id FROM voucher_claims c
     WHERE c.status = 'submitted'
       AND ${chinaDate(sql`c.submitted_at`)} <= ${today}::date - ${CLAIM_DECISION_DAYS}::int`,
  /** Approved, and the programme has not paid it in full CLAIM_PAYMENT_DAYS days after the approval. */
  voucher_claim_unpaid: (_now: Date, today: string) => sql`
    SELECT c.lab_id, 'voucher_claim' AS subject_kind, c.id AS subject_id FROM voucher_claims c
     WHERE c.status = 'approved' AND c.paid_fen < c.amount_fen AND c.decided_at IS NOT NULL
       AND ${chinaDate(sql`c.decided_at`)} <= ${today}::date - ${CLAIM_PAYMENT_DAYS}::int`,
} satisfies Record<string, (now: Date, today: string) => SQL>;

const n = (v: string | null | undefined) => Number(v ?? 0);

/**
 * The labs' voucher claims over the period: claimed (filed in it, void ones left out), approved
 * (approved in it, whether paid since or not) and paid (the programmes' payments received in it).
 */
export async function voucherClaimFigures(
  tx: DbOrTx,
  labs: string[],
  p: { start: Date; end: Date; fromDate: string; toDate: string },
) {
  const ids = sql`ARRAY[${sql.join(
    labs.map((l) => sql`${l}::uuid`),
    sql`, `,
  )}]::uuid[]`;
  const start = sql`${p.start.toISOString()}::timestamptz`;
  const end = sql`${p.end.toISOString()}::timestamptz`;
  const { rows } = await tx.execute<Record<string, string | null>>(sql`
    SELECT c.lab_id,
           COALESCE(sum(c.amount_fen) FILTER (
             WHERE c.status <> 'void' AND c.submitted_at >= ${start} AND c.submitted_at < ${end}), 0) AS claimed,
           COALESCE(sum(c.amount_fen) FILTER (
             WHERE c.status IN ('approved', 'paid') AND c.decided_at >= ${start} AND c.decided_at < ${end}), 0) AS approved,
           COALESCE((SELECT sum(cp.amount_fen) FROM voucher_claim_payments cp JOIN voucher_claims x ON x.id = cp.claim_id
                      WHERE x.lab_id = c.lab_id
                        AND cp.received_on BETWEEN ${p.fromDate}::date AND ${p.toDate}::date), 0) AS paid
      FROM voucher_claims c
     WHERE c.lab_id = ANY(${ids})
     GROUP BY c.lab_id`);
  return new Map(rows.map((r) => [r.lab_id!, { claimed: n(r.claimed), approved: n(r.approved), paid: n(r.paid) }]));
}
