ALTER TABLE "bookings" ADD COLUMN "hourly_rate" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "rejection_reason" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "actual_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "actual_end" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "billable_minutes" integer;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "billed_amount" integer;