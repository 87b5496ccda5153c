CREATE TYPE "public"."enterprise_size" AS ENUM('micro', 'small', 'medium', 'large');--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "enterprise_size" "enterprise_size";--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "industry_code" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_industry_code" CHECK ("organisations"."industry_code" IS NULL OR "organisations"."industry_code" ~ '^[A-T]$');