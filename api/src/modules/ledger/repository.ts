import { and, eq, sql, type SQL } from 'drizzle-orm';
import { ledgerAccounts, ledgerEntries, type DbOrTx } from '@qihub/db';

export interface AccountKey {
  book: string;
  code: string;
  counterparty: string | null;
}

export interface EntryRow {
  code: string;
  counterparty: string | null;
  amount: number;
  invoiceId: string | null;
}

/**
 * One journal in two statements: the accounts it needs are created if missing (a concurrent
 * creator wins harmlessly), then the transaction and its entries are inserted together, each entry
 * finding its account by (book, code, counterparty). Returns the transaction's id.
 */
export async function insertJournal(
  tx: DbOrTx,
  row: { book: string; kind: string; sourceKind: string; sourceId: string | null; memo: string; postedAt: Date },
  entries: EntryRow[],
): Promise<string> {
  const values = (f: (e: EntryRow, i: number) => SQL) =>
    sql.join(
      entries.map((e, i) => sql`(${f(e, i)})`),
      sql`, `,
    );
  await tx.execute(sql`
    INSERT INTO ledger_accounts (book_org_id, code, counterparty_org_id)
    VALUES ${values((e) => sql`${row.book}::uuid, ${e.code}, ${e.counterparty}::uuid`)}
    ON CONFLICT ON CONSTRAINT ledger_accounts_uq DO NOTHING`);
  const result = await tx.execute<{ id: string; n: number }>(sql`
    WITH t AS (
      INSERT INTO ledger_transactions (book_org_id, kind, source_kind, source_id, memo, posted_at)
      VALUES (${row.book}::uuid, ${row.kind}, ${row.sourceKind}, ${row.sourceId}::uuid, ${row.memo}, ${row.postedAt.toISOString()}::timestamptz)
      RETURNING id
    ), e AS (
      INSERT INTO ledger_entries (transaction_id, account_id, amount_fen, invoice_id)
      SELECT t.id, a.id, k.amount, k.invoice_id
        FROM t
        CROSS JOIN (VALUES ${values((e, i) => sql`${i}::int, ${e.code}, ${e.counterparty}::uuid, ${e.amount}::bigint, ${e.invoiceId}::uuid`)})
             AS k(ord, code, counterparty, amount, invoice_id)
        JOIN ledger_accounts a
          ON a.book_org_id = ${row.book}::uuid AND a.code = k.code
         AND a.counterparty_org_id IS NOT DISTINCT FROM k.counterparty
      ORDER BY k.ord
      RETURNING 1
    )
    SELECT (SELECT id FROM t) AS id, (SELECT count(*)::int FROM e) AS n`);
  const r = result.rows[0]!;
  if (r.n !== entries.length)
    throw new Error(`journal ${r.id}: ${r.n} of ${entries.length} entries found their account`);
  return r.id;
}

export interface TrialBalanceRow {
  book: string;
  bookNameZh: string;
  bookNameEn: string;
  code: string;
  counterparty: string | null;
  counterpartyNameZh: string | null;
  debit: number;
  credit: number;
}

/**
 * Debit and credit totals per account of the given books, over the entries posted on the local
 * (Asia/Shanghai) dates from..to inclusive. Accounts without entries in the period are left out.
 */
export async function trialBalance(tx: DbOrTx, books: string[], from: string, to: string) {
  if (books.length === 0) return [];
  const rows = await tx.execute<{
    book: string;
    book_name_zh: string;
    book_name_en: string;
    code: string;
    counterparty: string | null;
    counterparty_name_zh: string | null;
    debit: string;
    credit: string;
  }>(sql`
    SELECT a.book_org_id AS book, b.name_zh AS book_name_zh, b.name_en AS book_name_en, a.code,
           a.counterparty_org_id AS counterparty, c.name_zh AS counterparty_name_zh,
           COALESCE(SUM(e.amount_fen) FILTER (WHERE e.amount_fen > 0), 0) AS debit,
           COALESCE(-SUM(e.amount_fen) FILTER (WHERE e.amount_fen < 0), 0) AS credit
      FROM ledger_entries e
      JOIN ledger_transactions t ON t.id = e.transaction_id
      JOIN ledger_accounts a ON a.id = e.account_id
      JOIN organisations b ON b.id = a.book_org_id
      LEFT JOIN organisations c ON c.id = a.counterparty_org_id
     WHERE t.book_org_id IN (${sql.join(
       books.map((b) => sql`${b}::uuid`),
       sql`, `,
     )})
       AND t.posted_at >= (${from}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
       AND t.posted_at < ((${to}::date + 1))::timestamp AT TIME ZONE 'Asia/Shanghai'
     GROUP BY a.book_org_id, b.name_zh, b.name_en, a.code, a.counterparty_org_id, c.name_zh
     ORDER BY b.name_zh, a.book_org_id, a.code, c.name_zh NULLS FIRST`);
  return rows.rows.map((r): TrialBalanceRow => ({
    book: r.book,
    bookNameZh: r.book_name_zh,
    bookNameEn: r.book_name_en,
    code: r.code,
    counterparty: r.counterparty,
    counterpartyNameZh: r.counterparty_name_zh,
    debit: Number(r.debit),
    credit: Number(r.credit),
  }));
}

/** Balance (debits − credits) of one account key, from all its entries; 0 when it has none. */
export async function balanceOf(tx: DbOrTx, k: AccountKey): Promise<number> {
  const rows = await tx
    .select({ total: sql<string>`COALESCE(SUM(${ledgerEntries.amountFen}), 0)` })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .where(
      and(
        eq(ledgerAccounts.bookOrgId, k.book),
        eq(ledgerAccounts.code, k.code),
        k.counterparty === null
          ? sql`${ledgerAccounts.counterpartyOrgId} IS NULL`
          : eq(ledgerAccounts.counterpartyOrgId, k.counterparty),
      ),
    );
  return Number(rows[0]?.total ?? 0);
}

/** The books (organisations) of the labs and platforms whose region starts with one of the prefixes. */
export async function booksInRegions(tx: DbOrTx, prefixes: string[]): Promise<string[]> {
  if (prefixes.length === 0) return [];
  const rows = await tx.execute<{ id: string }>(sql`
    SELECT id FROM organisations
     WHERE kind IN ('lab', 'platform')
       AND (${sql.join(
         prefixes.map((p) => sql`region_code LIKE ${p + '%'}`),
         sql` OR `,
       )})`);
  return rows.rows.map((r) => r.id);
}
