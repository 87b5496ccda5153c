CREATE TABLE "holiday_calendar_stamp" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"stamp" uuid NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "holiday_calendar_stamp_one_row" CHECK ("holiday_calendar_stamp"."id")
);
