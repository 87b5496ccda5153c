CREATE TYPE "public"."custody_step" AS ENUM('received', 'stored', 'taken', 'back', 'returned', 'disposed');--> statement-breakpoint
CREATE TABLE "sample_custody_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sample_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"step" "custody_step" NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	"location" text,
	"taken_by" text,
	"return_method" text,
	"courier" text,
	"tracking_number" text,
	"collected_by" text,
	"cause" text,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "sample_custody_stored_where" CHECK ("sample_custody_entries"."step" NOT IN ('stored', 'back') OR coalesce("sample_custody_entries"."location", '') <> ''),
	CONSTRAINT "sample_custody_taken_by" CHECK ("sample_custody_entries"."step" <> 'taken' OR coalesce("sample_custody_entries"."taken_by", '') <> ''),
	CONSTRAINT "sample_custody_return_method" CHECK ("sample_custody_entries"."return_method" IS NULL OR ("sample_custody_entries"."step" = 'returned' AND "sample_custody_entries"."return_method" IN ('courier', 'in_person'))),
	CONSTRAINT "sample_custody_courier" CHECK ("sample_custody_entries"."return_method" IS DISTINCT FROM 'courier' OR (coalesce("sample_custody_entries"."courier", '') <> '' AND coalesce("sample_custody_entries"."tracking_number", '') <> ''))
);
--> statement-breakpoint
ALTER TABLE "sample_custody_entries" ADD CONSTRAINT "sample_custody_entries_sample_id_order_samples_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."order_samples"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_custody_entries" ADD CONSTRAINT "sample_custody_entries_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_custody_entries" ADD CONSTRAINT "sample_custody_entries_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sample_custody_sample_idx" ON "sample_custody_entries" USING btree ("sample_id","id");--> statement-breakpoint
CREATE INDEX "sample_custody_order_idx" ON "sample_custody_entries" USING btree ("order_id","id");--> statement-breakpoint
-- The custody log is append-only: a wrong entry is corrected by a later one, never rewritten.
CREATE OR REPLACE FUNCTION sample_custody_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'sample custody entries are append-only'
    USING ERRCODE = 'check_violation', CONSTRAINT = 'sample_custody_append_only';
END
$$;--> statement-breakpoint
CREATE TRIGGER sample_custody_append_only BEFORE UPDATE OR DELETE ON sample_custody_entries
  FOR EACH ROW EXECUTE FUNCTION sample_custody_append_only();--> statement-breakpoint
-- Samples handled before the log existed get their receipt and their end carried over, so every
-- sample's state still follows from its log.
INSERT INTO sample_custody_entries (sample_id, order_id, step, at, actor_user_id, location, cause)
SELECT s.id, s.order_id, 'received', s.received_at, s.received_by, NULLIF(s.storage_location, ''), 'backfill'
  FROM order_samples s
 WHERE s.status IN ('received', 'returned', 'disposed') AND s.received_at IS NOT NULL;--> statement-breakpoint
INSERT INTO sample_custody_entries (sample_id, order_id, step, at, cause)
SELECT s.id, s.order_id, s.status::text::custody_step, coalesce(s.disposition_at, s.received_at), 'backfill'
  FROM order_samples s
 WHERE s.status IN ('returned', 'disposed') AND s.received_at IS NOT NULL;
