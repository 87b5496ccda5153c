CREATE TABLE "closures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"instrument_id" uuid,
	"unit_id" uuid,
	"during" "tstzrange" NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opening_hours" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid,
	"instrument_id" uuid,
	"weekday" integer NOT NULL,
	"opens_at" text NOT NULL,
	"closes_at" text NOT NULL,
	CONSTRAINT "opening_hours_owner" CHECK (("opening_hours"."site_id" IS NULL) <> ("opening_hours"."instrument_id" IS NULL)),
	CONSTRAINT "opening_hours_weekday" CHECK ("opening_hours"."weekday" BETWEEN 1 AND 7),
	CONSTRAINT "opening_hours_times" CHECK ("opening_hours"."opens_at" ~ '^[0-2][0-9]:[0-5][0-9]$' AND "opening_hours"."closes_at" ~ '^[0-2][0-9]:[0-5][0-9]$' AND "opening_hours"."opens_at" < "opening_hours"."closes_at")
);
--> statement-breakpoint
ALTER TABLE "closures" ADD CONSTRAINT "closures_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "closures" ADD CONSTRAINT "closures_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "closures" ADD CONSTRAINT "closures_unit_id_instrument_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."instrument_units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_hours" ADD CONSTRAINT "opening_hours_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_hours" ADD CONSTRAINT "opening_hours_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "closures_lab_idx" ON "closures" USING btree ("lab_id");--> statement-breakpoint
CREATE INDEX "opening_hours_site_idx" ON "opening_hours" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "opening_hours_instrument_idx" ON "opening_hours" USING btree ("instrument_id");