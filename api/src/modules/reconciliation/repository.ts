import { eq, sql, type SQL } from 'drizzle-orm';
import { reconciliationDiscrepancies, type DbOrTx, type ReconciliationDiscrepancy } from '@qihub/db';
import { VOUCHER_CLAIM_DETECTORS } from './repository/voucher-claims.ts';

export interface Period {
  start: Date;
  end: Date;
  fromDate: string;
  toDate: string;
}

const ids = (labs: string[]) =>
  sql`ARRAY[${sql.join(
    labs.map((l) => sql`${l}::uuid`),
    sql`, `,
  )}]::uuid[]`;
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

export interface LabRow {
  id: string;
  nameZh: string;
  nameEn: string;
  regionCode: string;
}

/** Labs whose region starts with one of the prefixes (the admin's platform scopes). */
export async function labsInRegions(tx: DbOrTx, prefixes: string[]): Promise<LabRow[]> {
  if (prefixes.length === 0) return [];
  const { rows } = await tx.execute<{ id: string; name_zh: string; name_en: string; region_code: string }>(sql`
    SELECT id, name_zh, name_en, region_code FROM organisations
     WHERE kind = 'lab' AND (${sql.join(
       prefixes.map((p) => sql`region_code LIKE ${p + '%'}`),
       sql` OR `,
     )})
     ORDER BY name_zh, id`);
  return rows.map((r) => ({ id: r.id, nameZh: r.name_zh, nameEn: r.name_en, regionCode: r.region_code }));
}

type Num = Record<string, string | null>;
const n = (v: string | null | undefined) => Number(v ?? 0);

/** Booked and used minutes and billed bookings per lab, over bookings starting in the period. */
export async function bookingFigures(tx: DbOrTx, labs: string[], p: Period) {
  const { rows } = await tx.execute<Num>(sql`
    SELECT lab_id,
           COALESCE(round(sum(extract(epoch FROM ends_at - starts_at) / 60)
             FILTER (WHERE status IN ('confirmed', 'in_use', 'completed', 'no_show'))), 0) AS booked,
           COALESCE(round(sum(extract(epoch FROM actual_end - actual_start) / 60)
             FILTER (WHERE actual_start IS NOT NULL AND actual_end IS NOT NULL)), 0) AS used,
           COALESCE(sum(billed_amount) FILTER (
             WHERE status = 'completed' AND order_id IS NULL AND customer_org_id <> lab_id), 0) AS billed
      FROM bookings
     WHERE lab_id = ANY(${ids(labs)}) AND starts_at >= ${ts(p.start)} AND starts_at < ${ts(p.end)}
     GROUP BY lab_id`);
  return new Map(rows.map((r) => [r.lab_id!, { booked: n(r.booked), used: n(r.used), billed: n(r.billed) }]));
}

/** Order totals accepted in the period, per lab. */
export async function ordersBilled(tx: DbOrTx, labs: string[], p: Period) {
  const { rows } = await tx.execute<Num>(sql`
    SELECT lab_id, COALESCE(sum(total_fen), 0) AS total FROM orders
     WHERE lab_id = ANY(${ids(labs)}) AND accepted_at >= ${ts(p.start)} AND accepted_at < ${ts(p.end)}
     GROUP BY lab_id`);
  return new Map(rows.map((r) => [r.lab_id!, n(r.total)]));
}

/** Invoices and credit notes (negative) issued in the period, per lab. */
export async function invoiced(tx: DbOrTx, labs: string[], p: Period) {
  const { rows } = await tx.execute<Num>(sql`
    SELECT lab_id, COALESCE(sum(total_fen), 0) AS total FROM invoices
     WHERE lab_id = ANY(${ids(labs)}) AND issued_at >= ${ts(p.start)} AND issued_at < ${ts(p.end)}
     GROUP BY lab_id`);
  return new Map(rows.map((r) => [r.lab_id!, n(r.total)]));
}

/** Payments received in the period, per lab and channel. */
export async function paidByChannel(tx: DbOrTx, labs: string[], p: Period) {
  const { rows } = await tx.execute<Num>(sql`
    SELECT lab_id, channel::text AS channel, sum(amount_fen) AS total FROM payments
     WHERE lab_id = ANY(${ids(labs)}) AND received_on BETWEEN ${p.fromDate}::date AND ${p.toDate}::date
     GROUP BY lab_id, channel`);
  return rows.map((r) => ({ labId: r.lab_id!, channel: r.channel!, amount: n(r.total) }));
}

/**
 * What customers still owe on invoices issued by the end of the period, aged by days past the due
 * date as of the period's last day: not due, 1–30, 31–60, 61–90, over 90.
 */
export async function outstanding(tx: DbOrTx, labs: string[], p: Period) {
  const { rows } = await tx.execute<Num>(sql`
    WITH due AS (
      SELECT lab_id, ${p.toDate}::date - due_date AS days,
             total_fen - voucher_share_fen - amount_paid_fen - amount_credited_fen AS amount
        FROM invoices
       WHERE lab_id = ANY(${ids(labs)}) AND kind = 'invoice' AND status IN ('open', 'partially_paid')
         AND issued_at < ${ts(p.end)})
    SELECT lab_id,
           COALESCE(sum(amount), 0) AS total,
           COALESCE(sum(amount) FILTER (WHERE days <= 0), 0) AS not_due,
           COALESCE(sum(amount) FILTER (WHERE days BETWEEN 1 AND 30), 0) AS d30,
           COALESCE(sum(amount) FILTER (WHERE days BETWEEN 31 AND 60), 0) AS d60,
           COALESCE(sum(amount) FILTER (WHERE days BETWEEN 61 AND 90), 0) AS d90,
           COALESCE(sum(amount) FILTER (WHERE days > 90), 0) AS d90plus
      FROM due WHERE amount > 0 GROUP BY lab_id`);
  return new Map(
    rows.map((r) => [
      r.lab_id!,
      { total: n(r.total), notDue: n(r.not_due), d30: n(r.d30), d60: n(r.d60), d90: n(r.d90), d90plus: n(r.d90plus) },
    ]),
  );
}

/**
 * The detectors: each a query of (lab_id, subject_kind, subject_id) for the problems there are now.
 * `now` is the run's instant, `today` its Asia/Shanghai date.
 */
export const DETECTORS = {
  // 创新券 claims waiting for a decision or for the programme's payment (thresholds in their file).
  ...VOUCHER_CLAIM_DETECTORS,
  /** A completed customer booking with a billed amount and no 'use' invoice line (the check-out charge was lost). */
  booking_not_invoiced: () => sql`
    SELECT b.lab_id, 'booking' AS subject_kind, b.id AS subject_id FROM bookings b
     WHERE b.status = 'completed' AND b.billed_amount > 0 AND b.order_id IS NULL AND b.customer_org_id <> b.lab_id
       AND NOT EXISTS (SELECT 1 FROM invoice_lines l
                        WHERE l.source_kind = 'booking' AND l.source_id = b.id AND l.charge = 'use')`,
  /** Still `in_use` more than two hours after its booked end (nobody checked it out). */
  booking_overrun: (now: Date) => sql`
    SELECT b.lab_id, 'booking' AS subject_kind, b.id AS subject_id FROM bookings b
     WHERE b.status = 'in_use' AND b.ends_at < ${ts(now)} - interval '2 hours'`,
  /** An invoice not (fully) paid after its due date (Asia/Shanghai). */
  invoice_overdue: (_now: Date, today: string) => sql`
    SELECT i.lab_id, 'invoice' AS subject_kind, i.id AS subject_id FROM invoices i
     WHERE i.kind = 'invoice' AND i.status IN ('open', 'partially_paid') AND i.due_date < ${today}::date`,
  /** A bank statement line still unmatched (or only suggested) three days after it was uploaded. */
  bank_line_unmatched: (now: Date) => sql`
    SELECT l.lab_id, 'bank_line' AS subject_kind, l.id AS subject_id FROM bank_statement_lines l
     WHERE l.status IN ('unmatched', 'suggested') AND l.created_at < ${ts(now)} - interval '3 days'`,
  // Extension points, when their tables land on main:
  //   stripe_charge_unledgered — a Stripe charge or payout (webhook events) with no ledger transaction;
  //   voucher_claim_waiting — a voucher redemption claim undecided for too long.
} satisfies Record<string, (now: Date, today: string) => SQL>;

export type DiscrepancyKind = keyof typeof DETECTORS;

/** Serialises recomputations (a second runner waits, then finds the work done). */
export async function lockRecompute(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('reconciliation.recompute'))`);
}

/**
 * One kind, set-based: problems found are inserted or seen again (a cleared one reopens: new
 * detectedAt, resolution reset); known problems not found any more are marked cleared.
 */
export async function syncKind(tx: DbOrTx, kind: DiscrepancyKind, found: SQL, now: Date) {
  const { rows } = await tx.execute<{ inserted: string; cleared: string }>(sql`
    WITH found AS (${found}),
    up AS (
      INSERT INTO reconciliation_discrepancies AS d (kind, lab_id, subject_kind, subject_id, detected_at, last_seen_at)
      SELECT ${kind}, f.lab_id, f.subject_kind, f.subject_id, ${ts(now)}, ${ts(now)} FROM found f
      ON CONFLICT (kind, subject_id) DO UPDATE SET
        last_seen_at = EXCLUDED.last_seen_at,
        detected_at = CASE WHEN d.cleared_at IS NULL THEN d.detected_at ELSE EXCLUDED.detected_at END,
        resolved_at = CASE WHEN d.cleared_at IS NULL THEN d.resolved_at END,
        resolved_by = CASE WHEN d.cleared_at IS NULL THEN d.resolved_by END,
        note = CASE WHEN d.cleared_at IS NULL THEN d.note END,
        cleared_at = NULL
      RETURNING (xmax = 0) AS inserted),
    gone AS (
      UPDATE reconciliation_discrepancies d SET cleared_at = ${ts(now)}
       WHERE d.kind = ${kind} AND d.cleared_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM found f WHERE f.subject_id = d.subject_id)
      RETURNING d.id)
    SELECT (SELECT count(*) FROM up WHERE inserted) AS inserted, (SELECT count(*) FROM gone) AS cleared`);
  return { inserted: n(rows[0]?.inserted), cleared: n(rows[0]?.cleared) };
}

/**
 * The facts of a discrepancy's subject that an administrator judges it by, whatever its kind: an
 * amount (what the booking billed, what is still due on the invoice, the bank line's credit, what
 * the programme still owes on the claim), the China date that matters (the booking's day, the
 * invoice's due date, the transfer's date, the claim's filing or approval date) and a reference
 * (the invoice's number, the bank line's payer, the instrument). Kinds without facts give nulls.
 */
const SUBJECT_FACTS = sql`
  SELECT b.billed_amount::bigint AS amount, (b.starts_at AT TIME ZONE 'Asia/Shanghai')::date AS on_date,
         i.name_zh AS reference
    FROM bookings b JOIN instruments i ON i.id = b.instrument_id
   WHERE d.subject_kind = 'booking' AND b.id = d.subject_id
  UNION ALL
  SELECT iv.total_fen - iv.voucher_share_fen - iv.amount_paid_fen - iv.amount_credited_fen, iv.due_date, iv.number
    FROM invoices iv WHERE d.subject_kind = 'invoice' AND iv.id = d.subject_id
  UNION ALL
  SELECT l.amount_fen, l.txn_date, l.counterparty
    FROM bank_statement_lines l WHERE d.subject_kind = 'bank_line' AND l.id = d.subject_id
  UNION ALL
  SELECT c.amount_fen - c.paid_fen, (COALESCE(c.decided_at, c.submitted_at) AT TIME ZONE 'Asia/Shanghai')::date,
         iv.number
    FROM voucher_claims c JOIN invoices iv ON iv.id = c.invoice_id
   WHERE d.subject_kind = 'voucher_claim' AND c.id = d.subject_id`;

/** The current (not cleared) discrepancies of the labs, with their subject's facts: open ones first, oldest first. */
export async function currentDiscrepancies(tx: DbOrTx, labs: string[], limit: number) {
  if (labs.length === 0) return [];
  return selectDiscrepancies(tx, sql`d.lab_id = ANY(${ids(labs)}) AND d.cleared_at IS NULL`, limit);
}

/** One discrepancy, as the queue shows it. */
export async function discrepancyById(tx: DbOrTx, id: string) {
  const [row] = await selectDiscrepancies(tx, sql`d.id = ${id}::uuid`, 1);
  return row ?? null;
}

async function selectDiscrepancies(tx: DbOrTx, where: SQL, limit: number) {
  const { rows } = await tx.execute<Record<string, string | null>>(sql`
    SELECT d.id, d.kind, d.lab_id, d.subject_kind, d.subject_id, d.detected_at, d.resolved_at, d.note,
           d.resolved_by, u.display_name AS resolved_by_name,
           f.amount, to_char(f.on_date, 'YYYY-MM-DD') AS on_date, f.reference
      FROM reconciliation_discrepancies d
      LEFT JOIN users u ON u.id = d.resolved_by
      LEFT JOIN LATERAL (${SUBJECT_FACTS} LIMIT 1) f ON true
     WHERE ${where}
     ORDER BY (d.resolved_at IS NOT NULL), d.detected_at, d.id
     LIMIT ${limit}`);
  return rows.map((r) => ({
    id: r.id!,
    kind: r.kind!,
    labId: r.lab_id!,
    subjectKind: r.subject_kind!,
    subjectId: r.subject_id!,
    detectedAt: new Date(r.detected_at!),
    resolvedAt: r.resolved_at ? new Date(r.resolved_at) : null,
    resolvedBy: r.resolved_by ? { id: r.resolved_by, name: r.resolved_by_name ?? '' } : null,
    note: r.note ?? null,
    facts: { amount: r.amount === null ? null : n(r.amount), date: r.on_date ?? null, reference: r.reference ?? null },
  }));
}

/** A discrepancy with its lab's region, for the access check. */
export async function discrepancyWithRegion(tx: DbOrTx, id: string) {
  const { rows } = await tx.execute<{ region_code: string }>(sql`
    SELECT o.region_code FROM reconciliation_discrepancies d JOIN organisations o ON o.id = d.lab_id
     WHERE d.id = ${id}::uuid`);
  return rows[0]?.region_code ?? null;
}

/** Marks it resolved (only if it is not already), under its row lock; null if it was. */
export async function markResolved(
  tx: DbOrTx,
  id: string,
  by: string | null,
  note: string,
  at: Date,
): Promise<ReconciliationDiscrepancy | null> {
  const [row] = await tx
    .update(reconciliationDiscrepancies)
    .set({ resolvedAt: at, resolvedBy: by, note })
    .where(sql`${eq(reconciliationDiscrepancies.id, id)} AND ${reconciliationDiscrepancies.resolvedAt} IS NULL`)
    .returning();
  return row ?? null;
}
