-- The ledger's rules, held by the database and not only by the code (issue 11):
-- 1. every transaction's entries sum to zero, and every entry's account is in the transaction's
--    book — checked at COMMIT by a deferred constraint trigger, so an unbalanced journal inserted by
--    raw SQL fails the whole transaction;
-- 2. a transaction has at least two entries (also at commit);
-- 3. entries and transactions are append-only: corrections are new entries.
CREATE OR REPLACE FUNCTION ledger_check_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tx_id uuid;
  total numeric;
  entry_count integer;
  foreign_books integer;
BEGIN
  IF TG_TABLE_NAME = 'ledger_transactions' THEN
    tx_id := NEW.id;
  ELSE
    tx_id := NEW.transaction_id;
  END IF;
  SELECT COALESCE(SUM(e.amount_fen), 0), COUNT(*),
         COUNT(*) FILTER (WHERE a.book_org_id <> t.book_org_id)
    INTO total, entry_count, foreign_books
    FROM ledger_transactions t
    LEFT JOIN ledger_entries e ON e.transaction_id = t.id
    LEFT JOIN ledger_accounts a ON a.id = e.account_id
   WHERE t.id = tx_id;
  IF total <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance: entries sum to %', tx_id, total
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_balanced';
  END IF;
  IF entry_count < 2 THEN
    RAISE EXCEPTION 'ledger transaction % has % entries; a journal needs at least two', tx_id, entry_count
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_balanced';
  END IF;
  IF foreign_books > 0 THEN
    RAISE EXCEPTION 'ledger transaction % posts to an account of another book', tx_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_one_book';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_entries_balanced
  AFTER INSERT ON ledger_entries DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_check_transaction();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_transactions_balanced
  AFTER INSERT ON ledger_transactions DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_check_transaction();--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on % is refused; post a correcting entry instead', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();--> statement-breakpoint
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
