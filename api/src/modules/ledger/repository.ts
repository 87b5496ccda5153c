import { and, eq, inArray, sql } from 'drizzle-orm';
import { ledgerAccounts, ledgerEntries, ledgerTransactions, type DbOrTx } from '@qihub/db';

export interface AccountKey {
  book: string;
  code: string;
  counterparty: string | null;
}

const keyOf = (k: AccountKey) => `${k.book}|${k.code}|${k.counterparty ?? ''}`;

/** The accounts' ids, creating the missing ones (a concurrent creator wins harmlessly). */
export async function accountIds(tx: DbOrTx, keys: AccountKey[]): Promise<Map<string, string>> {
  const unique = [...new Map(keys.map((k) => [keyOf(k), k])).values()];
  await tx
    .insert(ledgerAccounts)
    .values(unique.map((k) => ({ bookOrgId: k.book, code: k.code, counterpartyOrgId: k.counterparty })))
    .onConflictDoNothing();
  const books = [...new Set(unique.map((k) => k.book))];
  const codes = [...new Set(unique.map((k) => k.code))];
  const rows = await tx
    .select()
    .from(ledgerAccounts)
    .where(and(inArray(ledgerAccounts.bookOrgId, books), inArray(ledgerAccounts.code, codes)));
  return new Map(
    rows.map((r) => [keyOf({ book: r.bookOrgId, code: r.code, counterparty: r.counterpartyOrgId }), r.id]),
  );
}

export { keyOf as accountKey };

export async function insertTransaction(
  tx: DbOrTx,
  row: typeof ledgerTransactions.$inferInsert,
  entries: Omit<typeof ledgerEntries.$inferInsert, 'transactionId'>[],
): Promise<string> {
  const [t] = await tx.insert(ledgerTransactions).values(row).returning({ id: ledgerTransactions.id });
  await tx.insert(ledgerEntries).values(entries.map((e) => ({ ...e, transactionId: t!.id })));
  return t!.id;
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
