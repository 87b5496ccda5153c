CREATE TYPE "public"."fapiao_request_status" AS ENUM('pending', 'issued', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."fapiao_type" AS ENUM('normal', 'special');--> statement-breakpoint
CREATE TABLE "fapiao_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"lab_id" uuid NOT NULL,
	"customer_org_id" uuid NOT NULL,
	"type" "fapiao_type" NOT NULL,
	"status" "fapiao_request_status" DEFAULT 'pending' NOT NULL,
	"title" jsonb NOT NULL,
	"amount_fen" bigint NOT NULL,
	"tax_fen" bigint NOT NULL,
	"rates" jsonb NOT NULL,
	"currency" char(3) DEFAULT 'CNY' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"requested_by" uuid,
	"requested_at" timestamp with time zone NOT NULL,
	"fapiao_number" text,
	"issued_on" date,
	"lab_note" text DEFAULT '' NOT NULL,
	"reject_reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "fapiao_requests_issued" CHECK (("fapiao_requests"."status" = 'issued') = ("fapiao_requests"."fapiao_number" IS NOT NULL AND "fapiao_requests"."issued_on" IS NOT NULL)),
	CONSTRAINT "fapiao_requests_number" CHECK ("fapiao_requests"."fapiao_number" IS NULL OR "fapiao_requests"."fapiao_number" ~ '^([0-9]{8}|[0-9]{20})$'),
	CONSTRAINT "fapiao_requests_rejected" CHECK (("fapiao_requests"."status" = 'rejected') = ("fapiao_requests"."reject_reason" IS NOT NULL)),
	CONSTRAINT "fapiao_requests_amount" CHECK ("fapiao_requests"."amount_fen" >= 0 AND "fapiao_requests"."tax_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "fapiao_titles" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"type" "fapiao_type" DEFAULT 'normal' NOT NULL,
	"name" text NOT NULL,
	"taxpayer_number" char(18) NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"bank_name" text DEFAULT '' NOT NULL,
	"bank_account" text DEFAULT '' NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fapiao_titles_name" CHECK (length("fapiao_titles"."name") > 0)
);
--> statement-breakpoint
ALTER TABLE "fapiao_requests" ADD CONSTRAINT "fapiao_requests_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fapiao_requests" ADD CONSTRAINT "fapiao_requests_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fapiao_requests" ADD CONSTRAINT "fapiao_requests_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fapiao_requests" ADD CONSTRAINT "fapiao_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fapiao_requests" ADD CONSTRAINT "fapiao_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fapiao_titles" ADD CONSTRAINT "fapiao_titles_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fapiao_titles" ADD CONSTRAINT "fapiao_titles_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "fapiao_requests_live_uq" ON "fapiao_requests" USING btree ("invoice_id") WHERE "fapiao_requests"."status" IN ('pending', 'issued');--> statement-breakpoint
CREATE INDEX "fapiao_requests_lab_idx" ON "fapiao_requests" USING btree ("lab_id","status","requested_at");--> statement-breakpoint
CREATE INDEX "fapiao_requests_customer_idx" ON "fapiao_requests" USING btree ("customer_org_id","requested_at");