CREATE TYPE "public"."expedite_tier" AS ENUM('none', 'h72', 'h24', 'h8');--> statement-breakpoint
CREATE TYPE "public"."objection_status" AS ENUM('open', 'upheld', 'dismissed');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('requested', 'quoted', 'accepted', 'awaiting_samples', 'samples_received', 'in_progress', 'report_review', 'report_issued', 'closed', 'cancelled', 'expired');--> statement-breakpoint
CREATE TYPE "public"."report_status" AS ENUM('draft', 'reviewed', 'issued', 'replaced', 'revoked');--> statement-breakpoint
CREATE TYPE "public"."sample_status" AS ENUM('expected', 'received', 'rejected', 'returned', 'disposed');--> statement-breakpoint
CREATE TYPE "public"."assistance_status" AS ENUM('open', 'assigned', 'in_progress', 'resolved', 'closed');--> statement-breakpoint
CREATE TYPE "public"."event_kind" AS ENUM('course', 'standards_day', 'open_day', 'seminar');--> statement-breakpoint
CREATE TYPE "public"."event_status" AS ENUM('draft', 'published', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."registration_status" AS ENUM('registered', 'waitlisted', 'cancelled', 'attended', 'absent');--> statement-breakpoint
CREATE TABLE "lab_order_settings" (
	"lab_id" uuid PRIMARY KEY NOT NULL,
	"report_prefix" text NOT NULL,
	"objection_days" integer DEFAULT 15 NOT NULL,
	"expedite_h72_pct" integer DEFAULT 30 NOT NULL,
	"expedite_h24_pct" integer DEFAULT 100 NOT NULL,
	"expedite_h8_pct" integer DEFAULT 150 NOT NULL,
	"auto_quote_fixed_price" boolean DEFAULT true NOT NULL,
	"quote_validity_days" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lab_order_settings_prefix" CHECK ("lab_order_settings"."report_prefix" ~ '^[A-Z0-9]{2,12}$'),
	CONSTRAINT "lab_order_settings_objection" CHECK ("lab_order_settings"."objection_days" BETWEEN 0 AND 90),
	CONSTRAINT "lab_order_settings_expedite" CHECK ("lab_order_settings"."expedite_h72_pct" BETWEEN 0 AND 500 AND "lab_order_settings"."expedite_h24_pct" BETWEEN 0 AND 500 AND "lab_order_settings"."expedite_h8_pct" BETWEEN 0 AND 500)
);
--> statement-breakpoint
CREATE TABLE "lab_signatories" (
	"lab_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"scope_zh" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "lab_signatories_lab_id_user_id_pk" PRIMARY KEY("lab_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "order_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"message_id" uuid,
	"uploaded_by" uuid NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_path" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_attachments_size" CHECK ("order_attachments"."size_bytes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "order_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_side" text NOT NULL,
	"action" text NOT NULL,
	"from_status" "order_status",
	"to_status" "order_status",
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"service_id" uuid,
	"kind" "service_kind" NOT NULL,
	"description_zh" text NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"parameter_zh" text DEFAULT '' NOT NULL,
	"standard_code" text DEFAULT '' NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"unit" text DEFAULT 'item' NOT NULL,
	"unit_price_fen" integer,
	"amount_fen" integer,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"cma_qualification_id" uuid,
	"cnas_qualification_id" uuid,
	"in_cma_scope" boolean DEFAULT false NOT NULL,
	"in_cnas_scope" boolean DEFAULT false NOT NULL,
	"scope_checked_on" date,
	"added_by" text DEFAULT 'customer' NOT NULL,
	"removed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_lines_quantity" CHECK ("order_lines"."quantity" BETWEEN 1 AND 100000),
	CONSTRAINT "order_lines_money" CHECK (coalesce("order_lines"."unit_price_fen", 0) >= 0 AND coalesce("order_lines"."amount_fen", 0) >= 0),
	CONSTRAINT "order_lines_added_by" CHECK ("order_lines"."added_by" IN ('customer', 'lab'))
);
--> statement-breakpoint
CREATE TABLE "order_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"author_user_id" uuid NOT NULL,
	"author_side" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_messages_side" CHECK ("order_messages"."author_side" IN ('customer', 'lab'))
);
--> statement-breakpoint
CREATE TABLE "order_objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"report_id" uuid,
	"raised_by" uuid NOT NULL,
	"reason" text NOT NULL,
	"status" "objection_status" DEFAULT 'open' NOT NULL,
	"resolution" text,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_ratings" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"lab_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"rated_by" uuid NOT NULL,
	"rated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reply" text,
	"replied_by" uuid,
	"replied_at" timestamp with time zone,
	CONSTRAINT "order_ratings_score" CHECK ("order_ratings"."score" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "order_samples" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"unit" text DEFAULT '件' NOT NULL,
	"status" "sample_status" DEFAULT 'expected' NOT NULL,
	"condition_on_arrival" text,
	"photo_path" text,
	"received_at" timestamp with time zone,
	"received_by" uuid,
	"rejected_reason" text,
	"storage_location" text DEFAULT '' NOT NULL,
	"disposition_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_samples_quantity" CHECK ("order_samples"."quantity" BETWEEN 1 AND 100000)
);
--> statement-breakpoint
CREATE TABLE "order_sequences" (
	"year" integer PRIMARY KEY NOT NULL,
	"last_value" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"customer_org_id" uuid NOT NULL,
	"lab_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"status" "order_status" DEFAULT 'requested' NOT NULL,
	"title_zh" text NOT NULL,
	"request_notes" text DEFAULT '' NOT NULL,
	"quoted_at" timestamp with time zone,
	"quoted_by" uuid,
	"quote_valid_until" date,
	"quote_notes" text DEFAULT '' NOT NULL,
	"subtotal_fen" integer DEFAULT 0 NOT NULL,
	"surcharge_fen" integer DEFAULT 0 NOT NULL,
	"surcharge_waived" boolean DEFAULT false NOT NULL,
	"total_fen" integer DEFAULT 0 NOT NULL,
	"currency" char(3) DEFAULT 'CNY' NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"commission" jsonb,
	"deadline_tier_days" integer,
	"expedite" "expedite_tier" DEFAULT 'none' NOT NULL,
	"expedite_pct" integer DEFAULT 0 NOT NULL,
	"clock_started_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"needs_samples" boolean DEFAULT true NOT NULL,
	"work_started_at" timestamp with time zone,
	"report_issued_at" timestamp with time zone,
	"on_time" boolean,
	"objection_until" timestamp with time zone,
	"retest_count" integer DEFAULT 0 NOT NULL,
	"closed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" uuid,
	"cancel_reason" text,
	"cancellation_fee_fen" integer,
	"due_reminder_at" timestamp with time zone,
	"overdue_alert_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_money" CHECK ("orders"."subtotal_fen" >= 0 AND "orders"."surcharge_fen" >= 0 AND "orders"."total_fen" >= 0),
	CONSTRAINT "orders_deadline_tier" CHECK ("orders"."deadline_tier_days" IS NULL OR "orders"."deadline_tier_days" IN (5, 15, 25, 30)),
	CONSTRAINT "orders_customer_not_lab" CHECK ("orders"."customer_org_id" <> "orders"."lab_id")
);
--> statement-breakpoint
CREATE TABLE "report_sequences" (
	"lab_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last_value" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "report_sequences_lab_id_year_pk" PRIMARY KEY("lab_id","year")
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"lab_id" uuid NOT NULL,
	"number" text,
	"status" "report_status" DEFAULT 'draft' NOT NULL,
	"kind" text DEFAULT 'test' NOT NULL,
	"language" text DEFAULT 'zh' NOT NULL,
	"verification_code" text NOT NULL,
	"sample_summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"results" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"conclusion_zh" text DEFAULT '' NOT NULL,
	"conclusion_en" text DEFAULT '' NOT NULL,
	"cma_mark" boolean DEFAULT false NOT NULL,
	"cnas_mark" boolean DEFAULT false NOT NULL,
	"tester_id" uuid,
	"reviewer_id" uuid,
	"reviewed_at" timestamp with time zone,
	"signatory_id" uuid,
	"issued_at" timestamp with time zone,
	"pdf_path" text,
	"pdf_sha256" text,
	"replaces_report_id" uuid,
	"replaced_by_report_id" uuid,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_language" CHECK ("reports"."language" IN ('zh', 'en', 'both')),
	CONSTRAINT "reports_kind" CHECK ("reports"."kind" IN ('test', 'certificate', 'deliverable')),
	CONSTRAINT "reports_issued_has_number" CHECK ("reports"."status" = 'draft' OR "reports"."status" = 'reviewed' OR "reports"."number" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "assistance_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"title_zh" text NOT NULL,
	"problem_zh" text NOT NULL,
	"trigger" text DEFAULT 'other' NOT NULL,
	"product_zh" text DEFAULT '' NOT NULL,
	"status" "assistance_status" DEFAULT 'open' NOT NULL,
	"officer_user_id" uuid,
	"expert_user_id" uuid,
	"expert_name" text,
	"assigned_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assistance_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"visited_on" date NOT NULL,
	"recorded_by" uuid NOT NULL,
	"notes_zh" text NOT NULL,
	"problems_found" integer DEFAULT 0 NOT NULL,
	"problems_solved" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assistance_visits_counts" CHECK ("assistance_visits"."problems_found" >= 0 AND "assistance_visits"."problems_solved" >= 0 AND "assistance_visits"."problems_solved" <= "assistance_visits"."problems_found")
);
--> statement-breakpoint
CREATE TABLE "calibration_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_org_id" uuid NOT NULL,
	"lab_id" uuid NOT NULL,
	"order_id" uuid,
	"report_id" uuid,
	"instrument_name" text NOT NULL,
	"model" text DEFAULT '' NOT NULL,
	"serial_number" text NOT NULL,
	"measuring_range" text DEFAULT '' NOT NULL,
	"accuracy_class" text DEFAULT '' NOT NULL,
	"method" text DEFAULT 'calibration' NOT NULL,
	"calibrated_on" date NOT NULL,
	"next_due_on" date NOT NULL,
	"recall_reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calibration_records_dates" CHECK ("calibration_records"."next_due_on" > "calibration_records"."calibrated_on"),
	CONSTRAINT "calibration_records_method" CHECK ("calibration_records"."method" IN ('calibration', 'verification'))
);
--> statement-breakpoint
CREATE TABLE "enterprise_officers" (
	"enterprise_id" uuid PRIMARY KEY NOT NULL,
	"platform_org_id" uuid NOT NULL,
	"officer_user_id" uuid NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"org_id" uuid,
	"status" "registration_status" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"seats" integer NOT NULL,
	"seats_taken" integer DEFAULT 0 NOT NULL,
	"reminder_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_sessions_times" CHECK ("event_sessions"."ends_at" > "event_sessions"."starts_at"),
	CONSTRAINT "event_sessions_seats" CHECK ("event_sessions"."seats" >= 1 AND "event_sessions"."seats_taken" BETWEEN 0 AND "event_sessions"."seats")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organiser_org_id" uuid NOT NULL,
	"service_id" uuid,
	"kind" "event_kind" NOT NULL,
	"title_zh" text NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"description_zh" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"venue_zh" text DEFAULT '' NOT NULL,
	"region_code" text,
	"fee_fen" integer DEFAULT 0 NOT NULL,
	"status" "event_status" DEFAULT 'draft' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_fee" CHECK ("events"."fee_fen" >= 0)
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "order_id" uuid;--> statement-breakpoint
ALTER TABLE "lab_order_settings" ADD CONSTRAINT "lab_order_settings_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_signatories" ADD CONSTRAINT "lab_signatories_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_signatories" ADD CONSTRAINT "lab_signatories_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_attachments" ADD CONSTRAINT "order_attachments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_attachments" ADD CONSTRAINT "order_attachments_message_id_order_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."order_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_attachments" ADD CONSTRAINT "order_attachments_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_cma_qualification_id_lab_qualifications_id_fk" FOREIGN KEY ("cma_qualification_id") REFERENCES "public"."lab_qualifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_cnas_qualification_id_lab_qualifications_id_fk" FOREIGN KEY ("cnas_qualification_id") REFERENCES "public"."lab_qualifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_messages" ADD CONSTRAINT "order_messages_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_messages" ADD CONSTRAINT "order_messages_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_objections" ADD CONSTRAINT "order_objections_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_objections" ADD CONSTRAINT "order_objections_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_objections" ADD CONSTRAINT "order_objections_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_objections" ADD CONSTRAINT "order_objections_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_ratings" ADD CONSTRAINT "order_ratings_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_ratings" ADD CONSTRAINT "order_ratings_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_ratings" ADD CONSTRAINT "order_ratings_rated_by_users_id_fk" FOREIGN KEY ("rated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_ratings" ADD CONSTRAINT "order_ratings_replied_by_users_id_fk" FOREIGN KEY ("replied_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_samples" ADD CONSTRAINT "order_samples_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_samples" ADD CONSTRAINT "order_samples_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_quoted_by_users_id_fk" FOREIGN KEY ("quoted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_sequences" ADD CONSTRAINT "report_sequences_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_tester_id_users_id_fk" FOREIGN KEY ("tester_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_signatory_id_users_id_fk" FOREIGN KEY ("signatory_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_requests" ADD CONSTRAINT "assistance_requests_enterprise_id_organisations_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_requests" ADD CONSTRAINT "assistance_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_requests" ADD CONSTRAINT "assistance_requests_officer_user_id_users_id_fk" FOREIGN KEY ("officer_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_requests" ADD CONSTRAINT "assistance_requests_expert_user_id_users_id_fk" FOREIGN KEY ("expert_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_visits" ADD CONSTRAINT "assistance_visits_request_id_assistance_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."assistance_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_visits" ADD CONSTRAINT "assistance_visits_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD CONSTRAINT "calibration_records_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD CONSTRAINT "calibration_records_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD CONSTRAINT "calibration_records_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD CONSTRAINT "calibration_records_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_officers" ADD CONSTRAINT "enterprise_officers_enterprise_id_organisations_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_officers" ADD CONSTRAINT "enterprise_officers_platform_org_id_organisations_id_fk" FOREIGN KEY ("platform_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_officers" ADD CONSTRAINT "enterprise_officers_officer_user_id_users_id_fk" FOREIGN KEY ("officer_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registrations" ADD CONSTRAINT "event_registrations_session_id_event_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."event_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registrations" ADD CONSTRAINT "event_registrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registrations" ADD CONSTRAINT "event_registrations_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_sessions" ADD CONSTRAINT "event_sessions_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_organiser_org_id_organisations_id_fk" FOREIGN KEY ("organiser_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_attachments_order_idx" ON "order_attachments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_events_order_idx" ON "order_events" USING btree ("order_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "order_lines_position_uq" ON "order_lines" USING btree ("order_id","position");--> statement-breakpoint
CREATE INDEX "order_messages_order_idx" ON "order_messages" USING btree ("order_id","created_at");--> statement-breakpoint
CREATE INDEX "order_objections_order_idx" ON "order_objections" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_ratings_lab_idx" ON "order_ratings" USING btree ("lab_id");--> statement-breakpoint
CREATE UNIQUE INDEX "order_samples_code_uq" ON "order_samples" USING btree ("code");--> statement-breakpoint
CREATE INDEX "order_samples_order_idx" ON "order_samples" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_number_uq" ON "orders" USING btree ("number");--> statement-breakpoint
CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("customer_org_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_lab_status_idx" ON "orders" USING btree ("lab_id","status","created_at");--> statement-breakpoint
CREATE INDEX "orders_open_due_idx" ON "orders" USING btree ("due_at") WHERE "orders"."status" IN ('samples_received', 'in_progress', 'report_review');--> statement-breakpoint
CREATE UNIQUE INDEX "reports_number_uq" ON "reports" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_verification_uq" ON "reports" USING btree ("verification_code");--> statement-breakpoint
CREATE INDEX "reports_order_idx" ON "reports" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "assistance_requests_enterprise_idx" ON "assistance_requests" USING btree ("enterprise_id","created_at");--> statement-breakpoint
CREATE INDEX "assistance_visits_request_idx" ON "assistance_visits" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "calibration_records_customer_idx" ON "calibration_records" USING btree ("customer_org_id","next_due_on");--> statement-breakpoint
CREATE INDEX "calibration_records_due_idx" ON "calibration_records" USING btree ("next_due_on") WHERE "calibration_records"."recall_reminded_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "event_registrations_active_uq" ON "event_registrations" USING btree ("session_id","user_id") WHERE "event_registrations"."status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "event_registrations_session_idx" ON "event_registrations" USING btree ("session_id","status","created_at");--> statement-breakpoint
CREATE INDEX "event_sessions_event_idx" ON "event_sessions" USING btree ("event_id","starts_at");--> statement-breakpoint
CREATE INDEX "events_organiser_idx" ON "events" USING btree ("organiser_org_id");--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_order_idx" ON "bookings" USING btree ("order_id") WHERE "bookings"."order_id" IS NOT NULL;