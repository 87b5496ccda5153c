CREATE TABLE "lab_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" "member_role" NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_user_id" uuid,
	"cancelled_at" timestamp with time zone,
	"emailed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "lab_qualifications" ADD COLUMN "withdrawn_on" date;--> statement-breakpoint
ALTER TABLE "lab_qualifications" ADD COLUMN "file_path" text;--> statement-breakpoint
ALTER TABLE "lab_qualifications" ADD COLUMN "file_name" text;--> statement-breakpoint
ALTER TABLE "lab_qualifications" ADD COLUMN "file_type" text;--> statement-breakpoint
ALTER TABLE "lab_qualifications" ADD COLUMN "file_sha256" text;--> statement-breakpoint
ALTER TABLE "lab_qualifications" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lab_invitations" ADD CONSTRAINT "lab_invitations_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_invitations" ADD CONSTRAINT "lab_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_invitations" ADD CONSTRAINT "lab_invitations_accepted_user_id_users_id_fk" FOREIGN KEY ("accepted_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lab_invitations_open_uq" ON "lab_invitations" USING btree ("lab_id","email") WHERE "lab_invitations"."accepted_at" IS NULL AND "lab_invitations"."cancelled_at" IS NULL;--> statement-breakpoint
CREATE INDEX "lab_invitations_email_idx" ON "lab_invitations" USING btree ("email");