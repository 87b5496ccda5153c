import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { labStatements, type DbOrTx, type LabStatement } from '@qihub/db';

/**
 * The statement's figures, each one set-based query over the month (half-open instants
 * [start, end), the month's bounds in Asia/Shanghai). `customer` narrows every figure to one
 * customer's account with the lab (a monthly-account customer's statement).
 */
export interface Window {
  labId: string;
  customer: string | null;
  start: Date;
  end: Date;
  /** The month's first and last local dates, for date columns (payments' received_on). */
  fromDate: string;
  toDate: string;
}

const customerIs = (column: string, w: Window) =>
  w.customer === null ? sql`TRUE` : sql`${sql.raw(column)} = ${w.customer}::uuid`;

export interface OrgName {
  id: string;
  nameZh: string;
  nameEn: string;
}

export async function orgName(tx: DbOrTx, id: string): Promise<OrgName | null> {
  const { rows } = await tx.execute<{ id: string; name_zh: string; name_en: string }>(
    sql`SELECT id, name_zh, name_en FROM organisations WHERE id = ${id}::uuid`,
  );
  const r = rows[0];
  return r ? { id: r.id, nameZh: r.name_zh, nameEn: r.name_en } : null;
}

/** The lab (with its kind and region) — for access checks. */
export async function labInfo(tx: DbOrTx, id: string) {
  const { rows } = await tx.execute<{ id: string; kind: string; region_code: string }>(
    sql`SELECT id, kind, region_code FROM organisations WHERE id = ${id}::uuid`,
  );
  return rows[0] ? { id: rows[0].id, kind: rows[0].kind, regionCode: rows[0].region_code } : null;
}

export interface InstrumentRow {
  id: string;
  nameZh: string;
  nameEn: string;
  bookings: number;
  bookedMinutes: number;
  usedMinutes: number;
  completed: number;
  noShows: number;
  cancelled: number;
  billedFen: number;
}

/** Bookings that start in the month, per instrument: booked time, used time (check-in to check-out), outcomes, billed. */
export async function bookingsByInstrument(tx: DbOrTx, w: Window): Promise<InstrumentRow[]> {
  const { rows } = await tx.execute<Record<string, string>>(sql`
    SELECT i.id, i.name_zh, i.name_en,
           count(*) FILTER (WHERE b.status IN ('confirmed', 'in_use', 'completed', 'no_show')) AS bookings,
           COALESCE(round(sum(extract(epoch FROM b.ends_at - b.starts_at) / 60)
             FILTER (WHERE b.status IN ('confirmed', 'in_use', 'completed', 'no_show'))), 0) AS booked_minutes,
           COALESCE(round(sum(extract(epoch FROM b.actual_end - b.actual_start) / 60)
             FILTER (WHERE b.actual_start IS NOT NULL AND b.actual_end IS NOT NULL)), 0) AS used_minutes,
           count(*) FILTER (WHERE b.status = 'completed') AS completed,
           count(*) FILTER (WHERE b.status = 'no_show') AS no_shows,
           count(*) FILTER (WHERE b.status = 'cancelled') AS cancelled,
           COALESCE(sum(b.billed_amount) FILTER (
             WHERE b.status = 'completed' AND b.order_id IS NULL AND b.customer_org_id <> b.lab_id), 0) AS billed
      FROM bookings b
      JOIN instruments i ON i.id = b.instrument_id
     WHERE b.lab_id = ${w.labId}::uuid
       AND b.starts_at >= ${w.start.toISOString()}::timestamptz AND b.starts_at < ${w.end.toISOString()}::timestamptz
       AND b.status IN ('confirmed', 'in_use', 'completed', 'no_show', 'cancelled')
       AND ${customerIs('b.customer_org_id', w)}
     GROUP BY i.id, i.name_zh, i.name_en
     ORDER BY i.name_zh, i.id`);
  return rows.map((r) => ({
    id: r.id!,
    nameZh: r.name_zh!,
    nameEn: r.name_en!,
    bookings: Number(r.bookings),
    bookedMinutes: Number(r.booked_minutes),
    usedMinutes: Number(r.used_minutes),
    completed: Number(r.completed),
    noShows: Number(r.no_shows),
    cancelled: Number(r.cancelled),
    billedFen: Number(r.billed),
  }));
}

export interface OrderFigures {
  accepted: number;
  acceptedFen: number;
  completed: number;
  completedFen: number;
  cancelled: number;
  cancellationFeesFen: number;
}

/** Orders accepted, completed (report issued) and cancelled in the month. */
export async function orderFigures(tx: DbOrTx, w: Window): Promise<OrderFigures> {
  const s = sql`${w.start.toISOString()}::timestamptz`;
  const e = sql`${w.end.toISOString()}::timestamptz`;
  const { rows } = await tx.execute<Record<string, string>>(sql`
    SELECT count(*) FILTER (WHERE accepted_at >= ${s} AND accepted_at < ${e}) AS accepted,
           COALESCE(sum(total_fen) FILTER (WHERE accepted_at >= ${s} AND accepted_at < ${e}), 0) AS accepted_fen,
           count(*) FILTER (WHERE report_issued_at >= ${s} AND report_issued_at < ${e}) AS completed,
           COALESCE(sum(total_fen) FILTER (WHERE report_issued_at >= ${s} AND report_issued_at < ${e}), 0) AS completed_fen,
           count(*) FILTER (WHERE status = 'cancelled' AND cancelled_at >= ${s} AND cancelled_at < ${e}) AS cancelled,
           COALESCE(sum(cancellation_fee_fen) FILTER (
             WHERE status = 'cancelled' AND cancelled_at >= ${s} AND cancelled_at < ${e}), 0) AS fees
      FROM orders
     WHERE lab_id = ${w.labId}::uuid AND ${customerIs('customer_org_id', w)}
       AND ((accepted_at >= ${s} AND accepted_at < ${e})
         OR (report_issued_at >= ${s} AND report_issued_at < ${e})
         OR (cancelled_at >= ${s} AND cancelled_at < ${e}))`);
  const r = rows[0]!;
  return {
    accepted: Number(r.accepted),
    acceptedFen: Number(r.accepted_fen),
    completed: Number(r.completed),
    completedFen: Number(r.completed_fen),
    cancelled: Number(r.cancelled),
    cancellationFeesFen: Number(r.fees),
  };
}

export interface InvoiceRow {
  id: string;
  number: string;
  kind: 'invoice' | 'credit_note';
  issuedAt: Date;
  dueDate: string;
  customerId: string;
  customerNameZh: string;
  totalFen: number;
  voucherShareFen: number;
}

/** Invoices and credit notes issued in the month, oldest first (then by number). */
export async function invoicesIssued(tx: DbOrTx, w: Window): Promise<InvoiceRow[]> {
  const { rows } = await tx.execute<Record<string, string>>(sql`
    SELECT i.id, i.number, i.kind, i.issued_at, i.due_date::text AS due_date, i.customer_org_id,
           o.name_zh, i.total_fen, i.voucher_share_fen
      FROM invoices i
      JOIN organisations o ON o.id = i.customer_org_id
     WHERE i.lab_id = ${w.labId}::uuid AND ${customerIs('i.customer_org_id', w)}
       AND i.issued_at >= ${w.start.toISOString()}::timestamptz AND i.issued_at < ${w.end.toISOString()}::timestamptz
       -- Voided in error (作废, never credited): it never stood, and its re-issue is counted instead.
       AND NOT (i.status = 'void' AND NOT EXISTS (SELECT 1 FROM invoices n WHERE n.credits_invoice_id = i.id))
     ORDER BY i.issued_at, i.number`);
  return rows.map((r) => ({
    id: r.id!,
    number: r.number!,
    kind: r.kind as InvoiceRow['kind'],
    issuedAt: new Date(r.issued_at!),
    dueDate: r.due_date!,
    customerId: r.customer_org_id!,
    customerNameZh: r.name_zh!,
    totalFen: Number(r.total_fen),
    voucherShareFen: Number(r.voucher_share_fen),
  }));
}

/** Payments received in the month (by their received_on date), per channel. */
export async function paymentsByChannel(tx: DbOrTx, w: Window) {
  const { rows } = await tx.execute<{ channel: string; n: string; total: string }>(sql`
    SELECT channel::text AS channel, count(*) AS n, sum(amount_fen) AS total
      FROM payments
     WHERE lab_id = ${w.labId}::uuid AND ${customerIs('customer_org_id', w)}
       AND received_on BETWEEN ${w.fromDate}::date AND ${w.toDate}::date
     GROUP BY channel`);
  return new Map(rows.map((r) => [r.channel, { count: Number(r.n), amountFen: Number(r.total) }]));
}

export interface LedgerFigures {
  code: string;
  openingFen: number;
  closingFen: number;
  debitsFen: number;
  creditsFen: number;
}

/**
 * Per account code of the lab's book (optionally of one counterparty): the balance before the month,
 * after it, and the debits and credits posted in it.
 */
export async function ledgerFigures(tx: DbOrTx, w: Window, codes: string[]): Promise<Map<string, LedgerFigures>> {
  const s = sql`${w.start.toISOString()}::timestamptz`;
  const e = sql`${w.end.toISOString()}::timestamptz`;
  const { rows } = await tx.execute<Record<string, string>>(sql`
    SELECT a.code,
           COALESCE(sum(en.amount_fen) FILTER (WHERE t.posted_at < ${s}), 0) AS opening,
           COALESCE(sum(en.amount_fen) FILTER (WHERE t.posted_at < ${e}), 0) AS closing,
           COALESCE(sum(en.amount_fen) FILTER (WHERE t.posted_at >= ${s} AND t.posted_at < ${e} AND en.amount_fen > 0), 0) AS debits,
           COALESCE(-sum(en.amount_fen) FILTER (WHERE t.posted_at >= ${s} AND t.posted_at < ${e} AND en.amount_fen < 0), 0) AS credits
      FROM ledger_entries en
      JOIN ledger_transactions t ON t.id = en.transaction_id
      JOIN ledger_accounts a ON a.id = en.account_id
     WHERE t.book_org_id = ${w.labId}::uuid
       AND a.code IN (${sql.join(
         codes.map((c) => sql`${c}`),
         sql`, `,
       )})
       AND ${customerIs('a.counterparty_org_id', w)}
     GROUP BY a.code`);
  return new Map(
    rows.map((r) => [
      r.code!,
      {
        code: r.code!,
        openingFen: Number(r.opening),
        closingFen: Number(r.closing),
        debitsFen: Number(r.debits),
        creditsFen: Number(r.credits),
      },
    ]),
  );
}

export type StatementFiles = Pick<
  LabStatement,
  'json' | 'jsonSha256' | 'pdf' | 'pdfSha256' | 'xlsx' | 'xlsxSha256' | 'builtAt'
>;

/** Writes the month's statement, replacing an earlier build of it. */
export async function upsertStatement(
  tx: DbOrTx,
  key: { labId: string; customerOrgId: string | null; month: string },
  files: StatementFiles,
): Promise<LabStatement> {
  const [row] = await tx
    .insert(labStatements)
    .values({ ...key, ...files })
    .onConflictDoUpdate({
      target: [labStatements.labId, labStatements.customerOrgId, labStatements.month],
      set: files,
    })
    .returning();
  return row!;
}

export async function updateXlsx(tx: DbOrTx, id: string, xlsx: Buffer, xlsxSha256: string): Promise<LabStatement> {
  const [row] = await tx.update(labStatements).set({ xlsx, xlsxSha256 }).where(eq(labStatements.id, id)).returning();
  return row!;
}

export async function findStatement(
  tx: DbOrTx,
  key: { labId: string; customerOrgId: string | null; month: string },
): Promise<LabStatement | null> {
  const [row] = await tx
    .select()
    .from(labStatements)
    .where(
      and(
        eq(labStatements.labId, key.labId),
        key.customerOrgId === null
          ? isNull(labStatements.customerOrgId)
          : eq(labStatements.customerOrgId, key.customerOrgId),
        eq(labStatements.month, key.month),
      ),
    );
  return row ?? null;
}

/** The lab's own statements, newest month first, without the files. */
export async function listStatements(tx: DbOrTx, labId: string, before: string | undefined, limit: number) {
  return tx
    .select({
      month: labStatements.month,
      builtAt: labStatements.builtAt,
      jsonSha256: labStatements.jsonSha256,
      pdfSha256: labStatements.pdfSha256,
      xlsxSha256: labStatements.xlsxSha256,
    })
    .from(labStatements)
    .where(
      and(
        eq(labStatements.labId, labId),
        isNull(labStatements.customerOrgId),
        before ? lt(labStatements.month, before) : undefined,
      ),
    )
    .orderBy(desc(labStatements.month))
    .limit(limit);
}

/** Labs (admitted or suspended, not pending) that have no statement of the month yet. */
export async function labsWithoutStatement(tx: DbOrTx, month: string, limit: number): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    SELECT o.id FROM organisations o
     WHERE o.kind = 'lab' AND o.status <> 'pending'
       AND NOT EXISTS (SELECT 1 FROM lab_statements s
                        WHERE s.lab_id = o.id AND s.customer_org_id IS NULL AND s.month = ${month})
     ORDER BY o.id LIMIT ${limit}`);
  return rows.map((r) => r.id);
}

/**
 * Monthly-account (月结) customers with invoice lines or payments with a lab in the month and no
 * statement of it yet. The terms are the customer's own with the lab, else the lab's default.
 */
export async function monthlyAccountsWithoutStatement(
  tx: DbOrTx,
  w: { start: Date; end: Date; month: string },
  limit: number,
) {
  const { rows } = await tx.execute<{ lab_id: string; customer_org_id: string }>(sql`
    SELECT DISTINCT l.lab_id, l.customer_org_id
      FROM invoice_lines l
      LEFT JOIN customer_billing_terms c ON c.org_id = l.lab_id AND c.customer_org_id = l.customer_org_id
      LEFT JOIN billing_settings bs ON bs.org_id = l.lab_id
     WHERE l.occurred_at >= ${w.start.toISOString()}::timestamptz AND l.occurred_at < ${w.end.toISOString()}::timestamptz
       AND COALESCE(c.terms, bs.terms) = 'monthly'
       AND NOT EXISTS (SELECT 1 FROM lab_statements s
                        WHERE s.lab_id = l.lab_id AND s.customer_org_id = l.customer_org_id AND s.month = ${w.month})
     ORDER BY l.lab_id, l.customer_org_id LIMIT ${limit}`);
  return rows.map((r) => ({ labId: r.lab_id, customerOrgId: r.customer_org_id }));
}

/** Whether the organisation has ever had an invoice or an invoice line with the lab (a customer of it). */
export async function isCustomerOf(tx: DbOrTx, labId: string, customerOrgId: string): Promise<boolean> {
  const { rows } = await tx.execute<{ yes: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM invoice_lines WHERE lab_id = ${labId}::uuid AND customer_org_id = ${customerOrgId}::uuid)
        OR EXISTS (SELECT 1 FROM invoices WHERE lab_id = ${labId}::uuid AND customer_org_id = ${customerOrgId}::uuid) AS yes`);
  return rows[0]?.yes === true;
}
