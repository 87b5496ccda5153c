DROP INDEX "invoice_lines_source_uq";--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD COLUMN "superseded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "voucher_claim_payments" ADD COLUMN "bank_line_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_lines_source_uq" ON "invoice_lines" USING btree ("source_kind","source_id","charge") WHERE "invoice_lines"."superseded_at" IS NULL;--> statement-breakpoint
-- An invoice inserted with seq 0 and its number's prefix ("ZD-2026-") takes the issuer's next number
-- in the insert itself: the counter row is locked (gapless numbers: a rollback gives the number
-- back) one round trip later than before, and the INSERT … RETURNING hands back the number.
CREATE FUNCTION invoices_take_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq = 0 THEN
    INSERT INTO invoice_counters (org_id, year, last) VALUES (NEW.lab_id, NEW.year, 1)
    ON CONFLICT (org_id, year) DO UPDATE SET last = invoice_counters.last + 1
    RETURNING last INTO NEW.seq;
    NEW.number := NEW.number || lpad(NEW.seq::text, 6, '0');
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER invoices_take_number BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_take_number();
