DROP INDEX "invoice_lines_source_uq";--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD COLUMN "superseded_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_lines_source_uq" ON "invoice_lines" USING btree ("source_kind","source_id","charge") WHERE "invoice_lines"."superseded_at" IS NULL;