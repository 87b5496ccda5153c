import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import {
  invoices,
  organisations,
  platformFeeInvoices,
  platformFeeRates,
  regions,
  type DbOrTx,
  type Invoice,
  type PlatformFeeInvoice,
} from '@qihub/db';

/** The significant prefix of a GB/T 2260 code in SQL (as `regionPrefix` in lib/region.ts). */
const prefixOf = (col: string) =>
  sql.raw(
    `(CASE WHEN ${col} LIKE '%0000' THEN left(${col}, 2) WHEN ${col} LIKE '%00' THEN left(${col}, 4) ELSE ${col} END)`,
  );

export interface FeeCandidate {
  labId: string;
  regionCode: string;
  rateBp: number;
  platformOrgId: string;
}

/**
 * Labs with a positive rate and no fee invoice for `month` yet, with the region whose rate applies
 * (the most specific one set: the county's, else its city's, else its province's) and the issuing
 * platform (the active platform nearest that region). Ordered, so every worker walks them alike.
 */
export async function labsToInvoice(tx: DbOrTx, month: string): Promise<FeeCandidate[]> {
  const { rows } = await tx.execute<{
    lab_id: string;
    region_code: string;
    rate_bp: number;
    platform_org_id: string;
  }>(sql`
    SELECT o.id AS lab_id, r.region_code, r.rate_bp, p.id AS platform_org_id
      FROM organisations o
     CROSS JOIN LATERAL (
           SELECT f.region_code, f.rate_bp FROM platform_fee_rates f
            WHERE f.region_code IN (o.region_code, left(o.region_code, 4) || '00', left(o.region_code, 2) || '0000')
            ORDER BY length(rtrim(f.region_code, '0')) DESC
            LIMIT 1) r
     CROSS JOIN LATERAL (
           SELECT pl.id FROM organisations pl
            WHERE pl.kind = 'platform' AND pl.status = 'active'
              AND r.region_code LIKE ${prefixOf('pl.region_code')} || '%'
            ORDER BY length(${prefixOf('pl.region_code')}) DESC, pl.id
            LIMIT 1) p
     WHERE o.kind = 'lab' AND r.rate_bp > 0
       AND NOT EXISTS (SELECT 1 FROM platform_fee_invoices x WHERE x.lab_id = o.id AND x.month = ${month})
     ORDER BY o.id`);
  return rows.map((r) => ({
    labId: r.lab_id,
    regionCode: r.region_code,
    rateBp: Number(r.rate_bp),
    platformOrgId: r.platform_org_id,
  }));
}

/** Serialises the fee invoice of one (lab, month) for the rest of the transaction. */
export async function lockLabMonth(tx: DbOrTx, labId: string, month: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`platform-fee:${labId}:${month}`}, 0))`);
}

export async function findFeeInvoice(tx: DbOrTx, labId: string, month: string) {
  const [row] = await tx
    .select()
    .from(platformFeeInvoices)
    .where(and(eq(platformFeeInvoices.labId, labId), eq(platformFeeInvoices.month, month)));
  return row;
}

export type FeeChannel = 'bank_transfer' | 'manual' | 'voucher';

/**
 * The lab's fee base in [start, end): money booked into its bank account in its own ledger — bank
 * transfers (matched or recorded by hand) and voucher programmes' payments — per channel, CNY. Card
 * payments never reach `bank` (processor clearing), nor does applied credit.
 */
export async function feeBase(tx: DbOrTx, labId: string, start: Date, end: Date) {
  const { rows } = await tx.execute<{ channel: FeeChannel; base: string }>(sql`
    SELECT CASE WHEN t.kind = 'voucher_payment' THEN 'voucher' ELSE p.channel::text END AS channel,
           SUM(e.amount_fen)::bigint AS base
      FROM ledger_transactions t
      JOIN ledger_entries e ON e.transaction_id = t.id
      JOIN ledger_accounts a ON a.id = e.account_id AND a.code = 'bank'
      LEFT JOIN payments p ON t.source_kind = 'payment' AND p.id = t.source_id
     WHERE t.book_org_id = ${labId}::uuid
       AND t.posted_at >= ${start.toISOString()}::timestamptz AND t.posted_at < ${end.toISOString()}::timestamptz
       AND e.amount_fen > 0 AND e.currency = 'CNY'
       AND (t.kind = 'voucher_payment' OR (t.kind = 'payment' AND p.channel IN ('bank_transfer', 'manual')))
     GROUP BY 1
     ORDER BY 1`);
  return rows.map((r) => ({ channel: r.channel, baseFen: Number(r.base) }));
}

export async function insertFeeInvoice(tx: DbOrTx, row: typeof platformFeeInvoices.$inferInsert) {
  const [saved] = await tx.insert(platformFeeInvoices).values(row).returning();
  return saved!;
}

/**
 * Payments on fee invoices (from these bank lines, or all when none are named) whose lab has not
 * booked its side yet: what the lab paid the platform, to post in the lab's book.
 */
export async function unsettledFeePayments(tx: DbOrTx, bankLineIds: string[] | null) {
  const { rows } = await tx.execute<{
    payment_id: string;
    amount_fen: string;
    currency: string;
    lab_id: string;
    platform_org_id: string;
    number: string;
  }>(sql`
    SELECT p.id AS payment_id, p.amount_fen, p.currency, f.lab_id, f.platform_org_id, i.number
      FROM payments p
      JOIN platform_fee_invoices f ON f.invoice_id = p.invoice_id
      JOIN invoices i ON i.id = p.invoice_id
     WHERE p.channel IN ('bank_transfer', 'manual')
       ${bankLineIds ? sql`AND p.bank_line_id = ANY(${`{${bankLineIds.join(',')}}`}::uuid[])` : sql``}
       AND NOT EXISTS (SELECT 1 FROM ledger_transactions t
                        WHERE t.book_org_id = f.lab_id AND t.source_kind = 'platform_fee_payment'
                          AND t.source_id = p.id)
     ORDER BY p.created_at, p.id`);
  return rows.map((r) => ({
    paymentId: r.payment_id,
    amountFen: Number(r.amount_fen),
    currency: r.currency,
    labId: r.lab_id,
    platformOrgId: r.platform_org_id,
    number: r.number,
  }));
}

export interface FeeListFilter {
  /** Fee invoices to these labs only. */
  labId?: string;
  /** Fee invoices to labs in these regions (significant prefixes). */
  regionPrefixes?: string[];
  status?: Invoice['status'];
  month?: string;
  after?: { issuedAt: Date; id: string };
  limit: number;
}

/** Fee invoices with their (lab, month) rows, newest first. */
export async function listFeeInvoices(tx: DbOrTx, f: FeeListFilter) {
  const where: (SQL | undefined)[] = [];
  if (f.labId) where.push(eq(platformFeeInvoices.labId, f.labId));
  if (f.regionPrefixes) {
    if (f.regionPrefixes.length === 0) return [];
    where.push(or(...f.regionPrefixes.map((p) => sql`${organisations.regionCode} LIKE ${`${p}%`}`)));
  }
  if (f.status) where.push(eq(invoices.status, f.status));
  if (f.month) where.push(eq(platformFeeInvoices.month, f.month));
  if (f.after) {
    where.push(
      or(
        lt(invoices.issuedAt, f.after.issuedAt),
        and(eq(invoices.issuedAt, f.after.issuedAt), lt(invoices.id, f.after.id)),
      ),
    );
  }
  return tx
    .select({ fee: platformFeeInvoices, invoice: invoices })
    .from(platformFeeInvoices)
    .innerJoin(invoices, eq(invoices.id, platformFeeInvoices.invoiceId))
    .innerJoin(organisations, eq(organisations.id, platformFeeInvoices.labId))
    .where(and(...where))
    .orderBy(desc(invoices.issuedAt), desc(invoices.id))
    .limit(f.limit);
}

/** One fee invoice by its invoice id, with the lab's region. */
export async function findByInvoice(tx: DbOrTx, invoiceId: string) {
  const [row] = await tx
    .select({ fee: platformFeeInvoices, invoice: invoices, labRegion: organisations.regionCode })
    .from(platformFeeInvoices)
    .innerJoin(invoices, eq(invoices.id, platformFeeInvoices.invoiceId))
    .innerJoin(organisations, eq(organisations.id, platformFeeInvoices.labId))
    .where(eq(platformFeeInvoices.invoiceId, invoiceId));
  return row as { fee: PlatformFeeInvoice; invoice: Invoice; labRegion: string } | undefined;
}

/** The rates set in regions under these prefixes, with the regions' names. */
export async function ratesUnder(tx: DbOrTx, prefixes: string[]) {
  if (prefixes.length === 0) return [];
  const { rows } = await tx.execute<{
    region_code: string;
    name_zh: string | null;
    rate_bp: number;
    updated_at: Date | string;
  }>(sql`
    SELECT f.region_code, r.name_zh, f.rate_bp, f.updated_at
      FROM platform_fee_rates f LEFT JOIN regions r ON r.code = f.region_code
     WHERE ${or(...prefixes.map((p) => sql`f.region_code LIKE ${`${p}%`}`))}
     ORDER BY f.region_code`);
  return rows.map((r) => ({
    regionCode: r.region_code,
    regionNameZh: r.name_zh ?? '',
    rateBp: Number(r.rate_bp),
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

/** The rates set for exactly these region codes. */
export async function ratesOf(tx: DbOrTx, codes: string[]) {
  if (codes.length === 0) return [];
  return tx
    .select({ regionCode: platformFeeRates.regionCode, rateBp: platformFeeRates.rateBp })
    .from(platformFeeRates)
    .where(inArray(platformFeeRates.regionCode, codes));
}

/** Region names for codes. */
export async function regionNames(tx: DbOrTx, codes: string[]) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await tx
    .select({ code: regions.code, nameZh: regions.nameZh })
    .from(regions)
    .where(inArray(regions.code, codes));
  return new Map(rows.map((r) => [r.code, r.nameZh]));
}

/** Serialises the sweep that books the labs' side of fee payments (two workers never both book one). */
export async function lockSettleSweep(tx: DbOrTx) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended('platform-fee-settle', 0))`);
}
