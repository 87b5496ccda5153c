CREATE TYPE "public"."enterprise_size" AS ENUM('micro', 'small', 'medium', 'large');--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "enterprise_size" "enterprise_size";--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "industry_code" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_industry_code" CHECK ("organisations"."industry_code" IS NULL OR "organisations"."industry_code" ~ '^[A-T]$');--> statement-breakpoint
-- The statistics read the acts of a period: checked-out bookings by their check-out, reports by their
-- issue, orders by their first report (GET /v1/admin/statistics; pnpm bench:stats).
CREATE INDEX IF NOT EXISTS "bookings_checked_out_idx" ON "bookings" ("actual_end") WHERE "status" = 'completed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reports_issued_at_idx" ON "reports" ("issued_at") WHERE "issued_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "orders_report_issued_at_idx" ON "orders" ("report_issued_at") WHERE "report_issued_at" IS NOT NULL;
