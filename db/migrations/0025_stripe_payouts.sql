CREATE TABLE "payouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"processor" text DEFAULT 'stripe' NOT NULL,
	"external_id" text NOT NULL,
	"lab_id" uuid NOT NULL,
	"account" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text NOT NULL,
	"arrival_date" date,
	"booked_at" timestamp with time zone,
	"reversed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payouts_external_id_unique" UNIQUE("external_id"),
	CONSTRAINT "payouts_amount" CHECK ("payouts"."amount_fen" > 0),
	CONSTRAINT "payouts_status" CHECK ("payouts"."status" IN ('pending', 'in_transit', 'paid', 'failed', 'canceled')),
	CONSTRAINT "payouts_reversed_after_booked" CHECK ("payouts"."reversed_at" IS NULL OR "payouts"."booked_at" IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "card_payments" ADD COLUMN "fee_refunded_fen" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payouts_lab_idx" ON "payouts" USING btree ("lab_id","created_at");--> statement-breakpoint
ALTER TABLE "card_payments" ADD CONSTRAINT "card_payments_fee_refunded" CHECK ("card_payments"."fee_refunded_fen" >= 0 AND "card_payments"."fee_refunded_fen" <= "card_payments"."fee_fen");