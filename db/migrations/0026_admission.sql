CREATE TYPE "public"."admission_case_kind" AS ENUM('admission', 'exit');--> statement-breakpoint
CREATE TYPE "public"."admission_case_status" AS ENUM('draft', 'submitted', 'changes_requested', 'on_notice', 'admitted', 'rejected', 'exited');--> statement-breakpoint
CREATE TABLE "admission_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"kind" "admission_case_kind" NOT NULL,
	"status" "admission_case_status" NOT NULL,
	"application" jsonb,
	"reason" text,
	"submitted_at" timestamp with time zone,
	"notice_starts_at" timestamp with time zone,
	"notice_ends_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admission_cases_notice_dates" CHECK (("admission_cases"."notice_starts_at" IS NULL) = ("admission_cases"."notice_ends_at" IS NULL) AND ("admission_cases"."notice_ends_at" IS NULL OR "admission_cases"."notice_ends_at" > "admission_cases"."notice_starts_at"))
);
--> statement-breakpoint
CREATE TABLE "admission_objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"contact" text NOT NULL,
	"filed_by" uuid,
	"filed_at" timestamp with time zone NOT NULL,
	"handling" text,
	"handled_at" timestamp with time zone,
	"handled_by" uuid,
	CONSTRAINT "admission_objections_handled" CHECK (("admission_objections"."handling" IS NULL) = ("admission_objections"."handled_at" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "admission_cases" ADD CONSTRAINT "admission_cases_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admission_objections" ADD CONSTRAINT "admission_objections_case_id_admission_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."admission_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admission_objections" ADD CONSTRAINT "admission_objections_filed_by_users_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admission_objections" ADD CONSTRAINT "admission_objections_handled_by_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admission_cases_lab_idx" ON "admission_cases" USING btree ("lab_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "admission_cases_one_admission_uq" ON "admission_cases" USING btree ("lab_id") WHERE "admission_cases"."kind" = 'admission';--> statement-breakpoint
CREATE INDEX "admission_cases_notice_idx" ON "admission_cases" USING btree ("notice_starts_at");--> statement-breakpoint
CREATE INDEX "admission_objections_case_idx" ON "admission_objections" USING btree ("case_id");