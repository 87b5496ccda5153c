CREATE TYPE "public"."system_role" AS ENUM('operator');--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "system_role" "system_role";