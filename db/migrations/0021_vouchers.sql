CREATE TYPE "public"."voucher_application_status" AS ENUM('pending', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."voucher_claim_status" AS ENUM('submitted', 'approved', 'rejected', 'paid', 'void');--> statement-breakpoint
CREATE TYPE "public"."voucher_programme_status" AS ENUM('active', 'closed');--> statement-breakpoint
CREATE TYPE "public"."voucher_use_status" AS ENUM('applied', 'restored');--> statement-breakpoint
CREATE TABLE "voucher_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"enterprise_org_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"requested_fen" bigint NOT NULL,
	"purpose" text NOT NULL,
	"status" "voucher_application_status" DEFAULT 'pending' NOT NULL,
	"quota_fen" bigint DEFAULT 0 NOT NULL,
	"remaining_fen" bigint DEFAULT 0 NOT NULL,
	"reason" text,
	"applied_by" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voucher_applications_requested" CHECK ("voucher_applications"."requested_fen" > 0),
	CONSTRAINT "voucher_applications_remaining" CHECK ("voucher_applications"."remaining_fen" >= 0 AND "voucher_applications"."remaining_fen" <= "voucher_applications"."quota_fen")
);
--> statement-breakpoint
CREATE TABLE "voucher_claim_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"received_on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voucher_claim_payments_amount" CHECK ("voucher_claim_payments"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "voucher_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"use_id" uuid NOT NULL,
	"programme_id" uuid NOT NULL,
	"lab_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"paid_fen" bigint DEFAULT 0 NOT NULL,
	"status" "voucher_claim_status" DEFAULT 'submitted' NOT NULL,
	"reason" text,
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voucher_claims_amounts" CHECK ("voucher_claims"."amount_fen" > 0 AND "voucher_claims"."paid_fen" >= 0 AND "voucher_claims"."paid_fen" <= "voucher_claims"."amount_fen")
);
--> statement-breakpoint
CREATE TABLE "voucher_programmes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer_org_id" uuid NOT NULL,
	"region_code" char(6) NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text DEFAULT '' NOT NULL,
	"share_bp" integer NOT NULL,
	"cap_fen" bigint NOT NULL,
	"eligible_kinds" "service_kind"[] NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"status" "voucher_programme_status" DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voucher_programmes_share" CHECK ("voucher_programmes"."share_bp" BETWEEN 1 AND 10000),
	CONSTRAINT "voucher_programmes_cap" CHECK ("voucher_programmes"."cap_fen" > 0),
	CONSTRAINT "voucher_programmes_validity" CHECK ("voucher_programmes"."valid_to" >= "voucher_programmes"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "voucher_uses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"programme_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"lab_id" uuid NOT NULL,
	"customer_org_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"share_bp" integer NOT NULL,
	"status" "voucher_use_status" DEFAULT 'applied' NOT NULL,
	"used_by" uuid,
	"used_at" timestamp with time zone NOT NULL,
	"restored_at" timestamp with time zone,
	CONSTRAINT "voucher_uses_amount" CHECK ("voucher_uses"."amount_fen" > 0)
);
--> statement-breakpoint
ALTER TABLE "voucher_applications" ADD CONSTRAINT "voucher_applications_programme_id_voucher_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."voucher_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_applications" ADD CONSTRAINT "voucher_applications_enterprise_org_id_organisations_id_fk" FOREIGN KEY ("enterprise_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_applications" ADD CONSTRAINT "voucher_applications_applied_by_users_id_fk" FOREIGN KEY ("applied_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_applications" ADD CONSTRAINT "voucher_applications_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claim_payments" ADD CONSTRAINT "voucher_claim_payments_claim_id_voucher_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."voucher_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claim_payments" ADD CONSTRAINT "voucher_claim_payments_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_use_id_voucher_uses_id_fk" FOREIGN KEY ("use_id") REFERENCES "public"."voucher_uses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_programme_id_voucher_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."voucher_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_programmes" ADD CONSTRAINT "voucher_programmes_issuer_org_id_organisations_id_fk" FOREIGN KEY ("issuer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_programmes" ADD CONSTRAINT "voucher_programmes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_uses" ADD CONSTRAINT "voucher_uses_application_id_voucher_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."voucher_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_uses" ADD CONSTRAINT "voucher_uses_programme_id_voucher_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."voucher_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_uses" ADD CONSTRAINT "voucher_uses_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_uses" ADD CONSTRAINT "voucher_uses_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_uses" ADD CONSTRAINT "voucher_uses_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_uses" ADD CONSTRAINT "voucher_uses_used_by_users_id_fk" FOREIGN KEY ("used_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "voucher_applications_programme_idx" ON "voucher_applications" USING btree ("programme_id","created_at");--> statement-breakpoint
CREATE INDEX "voucher_applications_enterprise_idx" ON "voucher_applications" USING btree ("enterprise_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "voucher_applications_live_uq" ON "voucher_applications" USING btree ("programme_id","enterprise_org_id","year") WHERE "voucher_applications"."status" IN ('pending', 'approved');--> statement-breakpoint
CREATE INDEX "voucher_claim_payments_claim_idx" ON "voucher_claim_payments" USING btree ("claim_id");--> statement-breakpoint
CREATE UNIQUE INDEX "voucher_claims_use_uq" ON "voucher_claims" USING btree ("use_id");--> statement-breakpoint
CREATE INDEX "voucher_claims_programme_idx" ON "voucher_claims" USING btree ("programme_id","status");--> statement-breakpoint
CREATE INDEX "voucher_claims_lab_idx" ON "voucher_claims" USING btree ("lab_id","submitted_at");--> statement-breakpoint
CREATE INDEX "voucher_programmes_issuer_idx" ON "voucher_programmes" USING btree ("issuer_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "voucher_uses_invoice_uq" ON "voucher_uses" USING btree ("invoice_id") WHERE "voucher_uses"."status" = 'applied';--> statement-breakpoint
CREATE INDEX "voucher_uses_application_idx" ON "voucher_uses" USING btree ("application_id");