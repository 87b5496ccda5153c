CREATE TYPE "public"."violation_kind" AS ENUM('no_show', 'late_cancellation', 'overbooking');--> statement-breakpoint
CREATE TYPE "public"."waitlist_status" AS ENUM('waiting', 'offered', 'accepted', 'expired', 'cancelled');--> statement-breakpoint
CREATE TABLE "booking_block_lifts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"lifted_by" uuid,
	"reason" text DEFAULT '' NOT NULL,
	"lifted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "booking_series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instrument_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"customer_org_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"local_start" text NOT NULL,
	"time_zone" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"mode" "booking_mode" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "booking_violations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"booking_id" uuid,
	"kind" "violation_kind" NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_feeds_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "lab_booking_settings" (
	"lab_id" uuid PRIMARY KEY NOT NULL,
	"violation_threshold" integer DEFAULT 3 NOT NULL,
	"violation_window_days" integer DEFAULT 365 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lab_booking_settings_threshold" CHECK ("lab_booking_settings"."violation_threshold" >= 0),
	CONSTRAINT "lab_booking_settings_window" CHECK ("lab_booking_settings"."violation_window_days" BETWEEN 1 AND 3650)
);
--> statement-breakpoint
CREATE TABLE "training_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"instrument_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"qualified_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_records_expiry" CHECK ("training_records"."expires_at" IS NULL OR "training_records"."expires_at" > "training_records"."qualified_at")
);
--> statement-breakpoint
CREATE TABLE "waitlist_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instrument_id" uuid NOT NULL,
	"lab_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"customer_org_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"mode" "booking_mode" NOT NULL,
	"status" "waitlist_status" DEFAULT 'waiting' NOT NULL,
	"offered_booking_id" uuid,
	"offer_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waitlist_times" CHECK ("waitlist_entries"."ends_at" > "waitlist_entries"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "booking_policies" ADD COLUMN "qualification_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_policies" ADD COLUMN "no_show_grace_minutes" integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_policies" ADD COLUMN "late_void_minutes" integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_policies" ADD COLUMN "quota_minutes_per_week" integer;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "cancellation_fee_waived" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "operator_id" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "series_id" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "rescheduled_to" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "reminded_24h_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "reminded_1h_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "late_arrival" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_block_lifts" ADD CONSTRAINT "booking_block_lifts_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_block_lifts" ADD CONSTRAINT "booking_block_lifts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_block_lifts" ADD CONSTRAINT "booking_block_lifts_lifted_by_users_id_fk" FOREIGN KEY ("lifted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_series" ADD CONSTRAINT "booking_series_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_series" ADD CONSTRAINT "booking_series_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_series" ADD CONSTRAINT "booking_series_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_violations" ADD CONSTRAINT "booking_violations_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_violations" ADD CONSTRAINT "booking_violations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_violations" ADD CONSTRAINT "booking_violations_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_booking_settings" ADD CONSTRAINT "lab_booking_settings_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_offered_booking_id_bookings_id_fk" FOREIGN KEY ("offered_booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booking_block_lifts_idx" ON "booking_block_lifts" USING btree ("lab_id","user_id","lifted_at");--> statement-breakpoint
CREATE INDEX "booking_violations_user_idx" ON "booking_violations" USING btree ("lab_id","user_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "booking_violations_once_uq" ON "booking_violations" USING btree ("booking_id","kind");--> statement-breakpoint
CREATE INDEX "training_records_user_idx" ON "training_records" USING btree ("user_id","instrument_id");--> statement-breakpoint
CREATE INDEX "training_records_instrument_idx" ON "training_records" USING btree ("instrument_id");--> statement-breakpoint
CREATE INDEX "waitlist_instrument_idx" ON "waitlist_entries" USING btree ("instrument_id","starts_at");--> statement-breakpoint
CREATE INDEX "waitlist_user_idx" ON "waitlist_entries" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_operator_id_users_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_user_idx" ON "bookings" USING btree ("user_id","starts_at");--> statement-breakpoint
CREATE INDEX "bookings_series_idx" ON "bookings" USING btree ("series_id");--> statement-breakpoint
CREATE INDEX "bookings_active_start_idx" ON "bookings" USING btree ("starts_at") WHERE "bookings"."status" IN ('pending_approval', 'confirmed');--> statement-breakpoint
ALTER TABLE "booking_policies" ADD CONSTRAINT "booking_policies_no_show" CHECK ("booking_policies"."no_show_grace_minutes" >= 0 AND "booking_policies"."late_void_minutes" >= "booking_policies"."no_show_grace_minutes");--> statement-breakpoint
ALTER TABLE "booking_policies" ADD CONSTRAINT "booking_policies_quota" CHECK ("booking_policies"."quota_minutes_per_week" IS NULL OR "booking_policies"."quota_minutes_per_week" > 0);--> statement-breakpoint
-- An operator is never double-booked either: two active assisted bookings with the same operator
-- never overlap, whatever path writes them.
ALTER TABLE bookings ADD CONSTRAINT bookings_operator_no_overlap
  EXCLUDE USING gist (operator_id WITH =, occupied WITH &&)
  WHERE (operator_id IS NOT NULL AND status IN ('held', 'pending_approval', 'confirmed', 'in_use'));
