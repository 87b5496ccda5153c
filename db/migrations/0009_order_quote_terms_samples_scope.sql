ALTER TABLE "order_lines" ADD COLUMN "sample_count" integer;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "scope_item_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "quote_terms" jsonb;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_scope_item_id_lab_qualification_scope_items_id_fk" FOREIGN KEY ("scope_item_id") REFERENCES "public"."lab_qualification_scope_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_sample_count" CHECK ("order_lines"."sample_count" IS NULL OR "order_lines"."sample_count" BETWEEN 1 AND 100000);--> statement-breakpoint
-- Orders quoted before the terms were copied onto the quote: the lab's settings as they are now (or the
-- defaults, for a lab that never saved any) are the best record of what was shown; an accepted order
-- keeps the expedite percentage it was charged for its tier.
UPDATE "orders" o SET "quote_terms" = jsonb_build_object(
  'expediteH72Pct', CASE WHEN o."expedite" = 'h72' THEN o."expedite_pct"
    ELSE coalesce((SELECT s."expedite_h72_pct" FROM "lab_order_settings" s WHERE s."lab_id" = o."lab_id"), 30) END,
  'expediteH24Pct', CASE WHEN o."expedite" = 'h24' THEN o."expedite_pct"
    ELSE coalesce((SELECT s."expedite_h24_pct" FROM "lab_order_settings" s WHERE s."lab_id" = o."lab_id"), 100) END,
  'expediteH8Pct', CASE WHEN o."expedite" = 'h8' THEN o."expedite_pct"
    ELSE coalesce((SELECT s."expedite_h8_pct" FROM "lab_order_settings" s WHERE s."lab_id" = o."lab_id"), 150) END,
  'objectionDays', coalesce((SELECT s."objection_days" FROM "lab_order_settings" s WHERE s."lab_id" = o."lab_id"), 15)
)
WHERE o."quoted_at" IS NOT NULL AND o."quote_terms" IS NULL;--> statement-breakpoint
-- The number of samples was not kept apart from the priced quantity before: on a line priced per
-- sample the two are the same; elsewhere the number is unknown and stays null.
UPDATE "order_lines" SET "sample_count" = "quantity" WHERE "unit" = 'sample' AND "sample_count" IS NULL;--> statement-breakpoint
-- A line marked inside a scope records the scope item that covers it, where exactly one item of the
-- covering certificate has its standard (spaces and case aside) and parameter.
UPDATE "order_lines" l SET "scope_item_id" = m."item_id"
FROM (
  SELECT l2."id" AS "line_id", (array_agg(i."id"))[1] AS "item_id"
  FROM "order_lines" l2
  JOIN "lab_qualification_scope_items" i
    ON i."qualification_id" = coalesce(l2."cma_qualification_id", l2."cnas_qualification_id")
   AND upper(regexp_replace(i."standard_code", '\s', '', 'g')) = upper(regexp_replace(l2."standard_code", '\s', '', 'g'))
   AND (l2."parameter_zh" = '' OR regexp_replace(i."parameter_zh", '\s', '', 'g') = regexp_replace(l2."parameter_zh", '\s', '', 'g'))
  WHERE l2."scope_item_id" IS NULL
  GROUP BY l2."id"
  HAVING count(*) = 1
) m
WHERE l."id" = m."line_id";
