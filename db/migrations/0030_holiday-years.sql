CREATE TABLE "holiday_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"holidays" date[] NOT NULL,
	"makeup_workdays" date[] NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "holiday_years_year" CHECK ("holiday_years"."year" BETWEEN 2000 AND 2100)
);
