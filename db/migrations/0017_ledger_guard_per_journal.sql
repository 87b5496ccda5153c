ALTER TABLE "ledger_transactions" ADD COLUMN "created_xact" bigint DEFAULT txid_current() NOT NULL;--> statement-breakpoint
-- The balance is checked once per journal at commit (the deferred trigger on ledger_transactions),
-- not once per entry; an entry may only join a journal written in the same database transaction,
-- so a committed journal can never be unbalanced afterwards by a later insert.
DROP TRIGGER ledger_entries_balanced ON ledger_entries;--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_entry_same_xact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM ledger_transactions t WHERE t.id = NEW.transaction_id AND t.created_xact = txid_current()
  ) THEN
    RAISE EXCEPTION 'ledger entry for transaction % refused: a journal is written whole, in one database transaction', NEW.transaction_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_balanced';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER ledger_entries_same_xact BEFORE INSERT ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entry_same_xact();
