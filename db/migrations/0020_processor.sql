CREATE TABLE "card_payments" (
	"external_id" text PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"lab_id" uuid NOT NULL,
	"account" text NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"fee_fen" bigint DEFAULT 0 NOT NULL,
	"currency" char(3) NOT NULL,
	"refunded_fen" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "card_payments_refunded" CHECK ("card_payments"."refunded_fen" >= 0 AND "card_payments"."refunded_fen" <= "card_payments"."amount_fen")
);
--> statement-breakpoint
CREATE TABLE "card_refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"external_payment_id" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"external_id" text,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "card_refunds_external_id_unique" UNIQUE("external_id"),
	CONSTRAINT "card_refunds_amount" CHECK ("card_refunds"."amount_fen" > 0),
	CONSTRAINT "card_refunds_status" CHECK ("card_refunds"."status" IN ('pending', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "platform_fee_rates" (
	"region_code" char(6) PRIMARY KEY NOT NULL,
	"rate_bp" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "platform_fee_rates_bp" CHECK ("platform_fee_rates"."rate_bp" >= 0 AND "platform_fee_rates"."rate_bp" <= 10000)
);
--> statement-breakpoint
CREATE TABLE "processor_accounts" (
	"lab_id" uuid NOT NULL,
	"processor" text DEFAULT 'stripe' NOT NULL,
	"account_id" text NOT NULL,
	"charges_enabled" boolean DEFAULT false NOT NULL,
	"details_submitted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processor_accounts_pk" PRIMARY KEY("lab_id","processor"),
	CONSTRAINT "processor_accounts_account_id_unique" UNIQUE("account_id")
);
--> statement-breakpoint
CREATE TABLE "processor_attempts" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"operation" text NOT NULL,
	"account" text,
	"request_hash" text NOT NULL,
	"response" jsonb,
	"last_error" text,
	"tries" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "processor_events" (
	"id" text PRIMARY KEY NOT NULL,
	"processor" text DEFAULT 'stripe' NOT NULL,
	"type" text NOT NULL,
	"account" text,
	"object_id" text,
	"object_type" text,
	"created_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"via" text DEFAULT 'webhook' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"outcome" text
);
--> statement-breakpoint
ALTER TABLE "card_payments" ADD CONSTRAINT "card_payments_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_payments" ADD CONSTRAINT "card_payments_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_payments" ADD CONSTRAINT "card_payments_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_refunds" ADD CONSTRAINT "card_refunds_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_refunds" ADD CONSTRAINT "card_refunds_external_payment_id_card_payments_external_id_fk" FOREIGN KEY ("external_payment_id") REFERENCES "public"."card_payments"("external_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_refunds" ADD CONSTRAINT "card_refunds_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_fee_rates" ADD CONSTRAINT "platform_fee_rates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "processor_accounts" ADD CONSTRAINT "processor_accounts_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "card_payments_invoice_idx" ON "card_payments" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "card_refunds_invoice_idx" ON "card_refunds" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "processor_attempts_operation_idx" ON "processor_attempts" USING btree ("operation","created_at");--> statement-breakpoint
CREATE INDEX "processor_events_pending_idx" ON "processor_events" USING btree ("received_at") WHERE "processor_events"."processed_at" IS NULL;