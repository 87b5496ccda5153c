CREATE TYPE "public"."typical_case_status" AS ENUM('draft', 'submitted', 'returned', 'published');--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"email_off" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "typical_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"author_user_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"title" text NOT NULL,
	"enterprise_name" text NOT NULL,
	"industry" text DEFAULT '' NOT NULL,
	"problem" text NOT NULL,
	"service" text NOT NULL,
	"result" text NOT NULL,
	"cost_saved_fen" bigint,
	"time_saved_days" integer,
	"notes" text DEFAULT '' NOT NULL,
	"status" "typical_case_status" DEFAULT 'draft' NOT NULL,
	"return_reason" text,
	"submitted_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "typical_cases_figures_ck" CHECK (coalesce("typical_cases"."cost_saved_fen", 0) >= 0 AND coalesce("typical_cases"."time_saved_days", 0) >= 0),
	CONSTRAINT "typical_cases_published_ck" CHECK ("typical_cases"."status" <> 'published' OR "typical_cases"."published_at" IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "typical_cases" ADD CONSTRAINT "typical_cases_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "typical_cases" ADD CONSTRAINT "typical_cases_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "typical_cases" ADD CONSTRAINT "typical_cases_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "typical_cases_org_idx" ON "typical_cases" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "typical_cases_published_idx" ON "typical_cases" USING btree ("published_at") WHERE "typical_cases"."status" = 'published';