CREATE TYPE "public"."booking_mode" AS ENUM('self', 'assisted');--> statement-breakpoint
CREATE TYPE "public"."booking_status" AS ENUM('held', 'pending_approval', 'confirmed', 'in_use', 'completed', 'cancelled', 'rejected', 'expired', 'no_show');--> statement-breakpoint
CREATE TYPE "public"."rate_tier" AS ENUM('internal', 'external');--> statement-breakpoint
CREATE TABLE "booking_policies" (
	"instrument_id" uuid PRIMARY KEY NOT NULL,
	"slot_minutes" integer DEFAULT 30 NOT NULL,
	"min_minutes" integer DEFAULT 30 NOT NULL,
	"max_minutes" integer DEFAULT 480 NOT NULL,
	"lead_minutes" integer DEFAULT 1440 NOT NULL,
	"horizon_days" integer DEFAULT 60 NOT NULL,
	"setup_minutes" integer DEFAULT 0 NOT NULL,
	"cleanup_minutes" integer DEFAULT 0 NOT NULL,
	"modes" "booking_mode"[] DEFAULT '{self,assisted}'::booking_mode[] NOT NULL,
	"requires_approval" boolean DEFAULT true NOT NULL,
	"hold_minutes" integer DEFAULT 15 NOT NULL,
	"cancellation_cutoff_minutes" integer DEFAULT 1440 NOT NULL,
	"cancellation_fee_bp" integer DEFAULT 5000 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "booking_policies_slot" CHECK ("booking_policies"."slot_minutes" BETWEEN 5 AND 1440),
	CONSTRAINT "booking_policies_durations" CHECK ("booking_policies"."min_minutes" > 0 AND "booking_policies"."max_minutes" >= "booking_policies"."min_minutes"),
	CONSTRAINT "booking_policies_fee" CHECK ("booking_policies"."cancellation_fee_bp" BETWEEN 0 AND 10000)
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instrument_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"lab_id" uuid NOT NULL,
	"customer_org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"mode" "booking_mode" NOT NULL,
	"status" "booking_status" NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"occupied" "tstzrange" NOT NULL,
	"hold_expires_at" timestamp with time zone,
	"rate_tier" "rate_tier" NOT NULL,
	"price_amount" integer NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"policy" jsonb NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"payment_status" text DEFAULT 'unpaid' NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" uuid,
	"cancellation_fee" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookings_times" CHECK ("bookings"."ends_at" > "bookings"."starts_at"),
	CONSTRAINT "bookings_price" CHECK ("bookings"."price_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "booking_policies" ADD CONSTRAINT "booking_policies_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_unit_id_instrument_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."instrument_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_customer_org_id_organisations_id_fk" FOREIGN KEY ("customer_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_customer_idx" ON "bookings" USING btree ("customer_org_id","starts_at");--> statement-breakpoint
CREATE INDEX "bookings_lab_idx" ON "bookings" USING btree ("lab_id","starts_at");--> statement-breakpoint
CREATE INDEX "bookings_instrument_idx" ON "bookings" USING btree ("instrument_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_uq" ON "idempotency_keys" USING btree ("user_id","key");