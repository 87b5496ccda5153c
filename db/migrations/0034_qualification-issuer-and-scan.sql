ALTER TABLE "lab_qualifications" ADD COLUMN "issuing_body" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "lab_qualifications" ADD COLUMN "file_size_bytes" integer;--> statement-breakpoint
-- A CNAS accreditation has one issuer; a CMA certificate's (the province's market regulator) is
-- left for the lab to enter.
UPDATE "lab_qualifications" SET "issuing_body" = '中国合格评定国家认可委员会' WHERE "kind" = 'cnas' AND "issuing_body" = '';
