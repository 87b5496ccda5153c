CREATE TABLE "order_commission_scans" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"file_path" text NOT NULL,
	"file_name" text NOT NULL,
	"file_type" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_size_bytes" integer NOT NULL,
	"uploaded_by" uuid,
	"uploaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_commission_scans_type" CHECK ("order_commission_scans"."file_type" IN ('application/pdf', 'image/jpeg', 'image/png')),
	CONSTRAINT "order_commission_scans_size" CHECK ("order_commission_scans"."file_size_bytes" > 0)
);
--> statement-breakpoint
ALTER TABLE "order_commission_scans" ADD CONSTRAINT "order_commission_scans_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_commission_scans" ADD CONSTRAINT "order_commission_scans_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;