ALTER TYPE "public"."charge_source" ADD VALUE 'platform_fee';--> statement-breakpoint
CREATE TABLE "platform_fee_invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"platform_org_id" uuid NOT NULL,
	"month" char(7) NOT NULL,
	"region_code" char(6) NOT NULL,
	"rate_bp" integer NOT NULL,
	"base_fen" bigint NOT NULL,
	"invoice_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_fee_invoices_month" CHECK ("platform_fee_invoices"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "platform_fee_invoices_rate" CHECK ("platform_fee_invoices"."rate_bp" > 0 AND "platform_fee_invoices"."rate_bp" <= 10000 AND "platform_fee_invoices"."base_fen" > 0)
);
--> statement-breakpoint
ALTER TABLE "platform_fee_invoices" ADD CONSTRAINT "platform_fee_invoices_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_fee_invoices" ADD CONSTRAINT "platform_fee_invoices_platform_org_id_organisations_id_fk" FOREIGN KEY ("platform_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_fee_invoices" ADD CONSTRAINT "platform_fee_invoices_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "platform_fee_invoices_lab_month_uq" ON "platform_fee_invoices" USING btree ("lab_id","month");--> statement-breakpoint
CREATE INDEX "platform_fee_invoices_platform_idx" ON "platform_fee_invoices" USING btree ("platform_org_id","month");