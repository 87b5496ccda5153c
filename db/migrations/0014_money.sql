CREATE TYPE "public"."bank_line_status" AS ENUM('matched', 'suggested', 'unmatched', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."billing_terms" AS ENUM('prepay', 'on_delivery', 'monthly');--> statement-breakpoint
CREATE TYPE "public"."charge_source" AS ENUM('booking', 'order', 'event_registration');--> statement-breakpoint
CREATE TYPE "public"."invoice_kind" AS ENUM('invoice', 'credit_note');--> statement-breakpoint
CREATE TYPE "public"."invoice_status" AS ENUM('open', 'partially_paid', 'paid', 'void');--> statement-breakpoint
CREATE TYPE "public"."payment_channel" AS ENUM('bank_transfer', 'card', 'voucher', 'credit', 'manual');--> statement-breakpoint
CREATE TABLE "bank_statement_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"statement_id" uuid NOT NULL,
	"line_key" text NOT NULL,
	"txn_date" date NOT NULL,
	"counterparty" text DEFAULT '' NOT NULL,
	"counterparty_account" text DEFAULT '' NOT NULL,
	"amount_fen" bigint NOT NULL,
	"remark" text DEFAULT '' NOT NULL,
	"status" "bank_line_status" NOT NULL,
	"suggested_invoice_id" uuid,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_statement_lines_amount" CHECK ("bank_statement_lines"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "bank_statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"uploaded_by" uuid,
	"charset" text NOT NULL,
	"lines" integer NOT NULL,
	"matched" integer NOT NULL,
	"suggested" integer NOT NULL,
	"unmatched" integer NOT NULL,
	"duplicates" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"terms" "billing_terms" DEFAULT 'on_delivery' NOT NULL,
	"due_days" integer DEFAULT 15 NOT NULL,
	"monthly_due_days" integer DEFAULT 30 NOT NULL,
	"tax_rate_bp" integer DEFAULT 600 NOT NULL,
	"account_name" text DEFAULT '' NOT NULL,
	"bank_name" text DEFAULT '' NOT NULL,
	"account_number" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_settings_due" CHECK ("billing_settings"."due_days" BETWEEN 0 AND 365 AND "billing_settings"."monthly_due_days" BETWEEN 0 AND 365),
	CONSTRAINT "billing_settings_tax" CHECK ("billing_settings"."tax_rate_bp" BETWEEN 0 AND 2000)
);
--> statement-breakpoint
CREATE TABLE "customer_billing_terms" (
	"org_id" uuid NOT NULL,
	"customer_org_id" uuid NOT NULL,
	"terms" "billing_terms" NOT NULL,
	"due_days" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_billing_terms_org_id_customer_org_id_pk" PRIMARY KEY("org_id","customer_org_id"),
	CONSTRAINT "customer_billing_terms_due" CHECK ("customer_billing_terms"."due_days" IS NULL OR "customer_billing_terms"."due_days" BETWEEN 0 AND 365)
);
--> statement-breakpoint
CREATE TABLE "invoice_counters" (
	"org_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "invoice_counters_org_id_year_pk" PRIMARY KEY("org_id","year")
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"customer_org_id" uuid NOT NULL,
	"invoice_id" uuid,
	"source_kind" charge_source NOT NULL,
	"source_id" uuid NOT NULL,
	"charge" text NOT NULL,
	"description_zh" text NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"amount_fen" bigint NOT NULL,
	"tax_rate_bp" integer NOT NULL,
	"currency" char(3) DEFAULT 'CNY' NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"customer_org_id" uuid NOT NULL,
	"kind" "invoice_kind" DEFAULT 'invoice' NOT NULL,
	"number" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"credits_invoice_id" uuid,
	"status" "invoice_status" DEFAULT 'open' NOT NULL,
	"total_fen" bigint NOT NULL,
	"voucher_share_fen" bigint DEFAULT 0 NOT NULL,
	"amount_paid_fen" bigint DEFAULT 0 NOT NULL,
	"amount_credited_fen" bigint DEFAULT 0 NOT NULL,
	"currency" char(3) DEFAULT 'CNY' NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"due_date" date NOT NULL,
	"payment_reference" text NOT NULL,
	"payee" jsonb NOT NULL,
	"terms" "billing_terms" NOT NULL,
	"reason" text,
	"voided_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_kind_total" CHECK (("invoices"."kind" = 'invoice' AND "invoices"."total_fen" >= 0 AND "invoices"."credits_invoice_id" IS NULL) OR ("invoices"."kind" = 'credit_note' AND "invoices"."total_fen" < 0 AND "invoices"."credits_invoice_id" IS NOT NULL)),
	CONSTRAINT "invoices_amounts" CHECK ("invoices"."voucher_share_fen" >= 0 AND "invoices"."amount_paid_fen" >= 0 AND "invoices"."amount_credited_fen" >= 0 AND ("invoices"."kind" = 'credit_note' OR "invoices"."voucher_share_fen" + "invoices"."amount_paid_fen" + "invoices"."amount_credited_fen" <= "invoices"."total_fen"))
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"book_org_id" uuid NOT NULL,
	"code" text NOT NULL,
	"counterparty_org_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_uq" UNIQUE NULLS NOT DISTINCT("book_org_id","code","counterparty_org_id"),
	CONSTRAINT "ledger_accounts_code" CHECK ("ledger_accounts"."code" ~ '^[a-z_]{2,40}$')
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transaction_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"currency" char(3) DEFAULT 'CNY' NOT NULL,
	"invoice_id" uuid,
	CONSTRAINT "ledger_entries_nonzero" CHECK ("ledger_entries"."amount_fen" <> 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"book_org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"source_kind" text NOT NULL,
	"source_id" uuid,
	"memo" text DEFAULT '' NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"customer_org_id" uuid NOT NULL,
	"invoice_id" uuid,
	"channel" "payment_channel" NOT NULL,
	"amount_fen" bigint NOT NULL,
	"currency" char(3) DEFAULT 'CNY' NOT NULL,
	"received_on" date NOT NULL,
	"bank_line_id" uuid,
	"external_id" text,
	"recorded_by" uuid,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount" CHECK ("payments"."amount_fen" > 0)
);
--> statement-breakpoint
ALTER TABLE "bank_statement_lines" ADD CONSTRAINT "bank_statement_lines_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_statement_lines" ADD CONSTRAINT "bank_statement_lines_statement_id_bank_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."bank_statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_statement_lines" ADD CONSTRAINT "bank_statement_lines_suggested_invoice_id_invoices_id_fk" FOREIGN KEY ("suggested_invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_statement_lines" ADD CONSTRAINT "bank_statement_lines_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_statements" ADD CONSTRAINT "bank_statements_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_statements" ADD CONSTRAINT "bank_statements_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD CONSTRAINT "billing_settings_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_billing_terms" ADD CONSTRAINT "customer_billing_terms_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_billing_terms" ADD CONSTRAINT "customer_billing_terms_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_counters" ADD CONSTRAINT "invoice_counters_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_book_org_id_organisations_id_fk" FOREIGN KEY ("book_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_counterparty_org_id_organisations_id_fk" FOREIGN KEY ("counterparty_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_book_org_id_organisations_id_fk" FOREIGN KEY ("book_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bank_statement_lines_key_uq" ON "bank_statement_lines" USING btree ("lab_id","line_key");--> statement-breakpoint
CREATE INDEX "bank_statement_lines_queue_idx" ON "bank_statement_lines" USING btree ("lab_id","txn_date") WHERE "bank_statement_lines"."status" IN ('suggested', 'unmatched');--> statement-breakpoint
CREATE INDEX "bank_statements_lab_idx" ON "bank_statements" USING btree ("lab_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_lines_source_uq" ON "invoice_lines" USING btree ("source_kind","source_id","charge");--> statement-breakpoint
CREATE INDEX "invoice_lines_invoice_idx" ON "invoice_lines" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_lines_unbilled_idx" ON "invoice_lines" USING btree ("lab_id","customer_org_id","occurred_at") WHERE "invoice_lines"."invoice_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_uq" ON "invoices" USING btree ("lab_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_seq_uq" ON "invoices" USING btree ("lab_id","year","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_reference_uq" ON "invoices" USING btree ("payment_reference");--> statement-breakpoint
CREATE INDEX "invoices_lab_idx" ON "invoices" USING btree ("lab_id","issued_at");--> statement-breakpoint
CREATE INDEX "invoices_customer_idx" ON "invoices" USING btree ("customer_org_id","issued_at");--> statement-breakpoint
CREATE INDEX "invoices_open_idx" ON "invoices" USING btree ("lab_id","due_date") WHERE "invoices"."status" IN ('open', 'partially_paid');--> statement-breakpoint
CREATE INDEX "ledger_entries_transaction_idx" ON "ledger_entries" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_invoice_idx" ON "ledger_entries" USING btree ("invoice_id") WHERE "ledger_entries"."invoice_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "ledger_transactions_book_idx" ON "ledger_transactions" USING btree ("book_org_id","posted_at");--> statement-breakpoint
CREATE INDEX "ledger_transactions_source_idx" ON "ledger_transactions" USING btree ("source_kind","source_id");--> statement-breakpoint
CREATE INDEX "payments_invoice_idx" ON "payments" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "payments_lab_idx" ON "payments" USING btree ("lab_id","received_on");