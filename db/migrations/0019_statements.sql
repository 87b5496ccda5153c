CREATE TABLE "lab_statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"customer_org_id" uuid,
	"month" char(7) NOT NULL,
	"json" text NOT NULL,
	"json_sha256" char(64) NOT NULL,
	"pdf" "bytea" NOT NULL,
	"pdf_sha256" char(64) NOT NULL,
	"xlsx" "bytea" NOT NULL,
	"xlsx_sha256" char(64) NOT NULL,
	"built_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lab_statements_uq" UNIQUE NULLS NOT DISTINCT("lab_id","customer_org_id","month"),
	CONSTRAINT "lab_statements_month" CHECK ("lab_statements"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
CREATE TABLE "reconciliation_discrepancies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"lab_id" uuid NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"cleared_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"note" text,
	CONSTRAINT "reconciliation_discrepancies_uq" UNIQUE("kind","subject_id"),
	CONSTRAINT "reconciliation_discrepancies_kind" CHECK ("reconciliation_discrepancies"."kind" ~ '^[a-z_]{2,40}$')
);
--> statement-breakpoint
ALTER TABLE "lab_statements" ADD CONSTRAINT "lab_statements_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_statements" ADD CONSTRAINT "lab_statements_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_discrepancies" ADD CONSTRAINT "reconciliation_discrepancies_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_discrepancies" ADD CONSTRAINT "reconciliation_discrepancies_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconciliation_discrepancies_lab_idx" ON "reconciliation_discrepancies" USING btree ("lab_id","detected_at");