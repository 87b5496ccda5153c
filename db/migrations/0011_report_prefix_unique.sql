-- Report-number prefixes become unique across the platform. Before the index can exist, the data
-- must obey it:
-- 1. A lab that issued reports under its derived default ("QI" and the first four hex digits of its
--    id) without ever saving settings gets that default stored, so it is held like a chosen one.
INSERT INTO "lab_order_settings" ("lab_id", "report_prefix")
SELECT o."id", 'QI' || upper(substr(replace(o."id"::text, '-', ''), 1, 4))
FROM "organisations" o
WHERE o."kind" = 'lab'
  AND NOT EXISTS (SELECT 1 FROM "lab_order_settings" s WHERE s."lab_id" = o."id")
  AND EXISTS (SELECT 1 FROM "reports" r WHERE r."lab_id" = o."id" AND r."number" IS NOT NULL);
--> statement-breakpoint
-- 2. Where several labs hold one prefix, the lab that first issued a report under it keeps it (then
--    the one whose settings are oldest); each other lab gets the first of "QI" + 4, 6, 8, 10 hex
--    digits of its id that no lab holds or has issued under (random hex after that, never in practice).
DO $$
DECLARE
  dup record;
  hex text;
  candidate text;
  n int;
BEGIN
  FOR dup IN
    SELECT ranked."lab_id"
    FROM (
      SELECT s."lab_id",
             row_number() OVER (
               PARTITION BY s."report_prefix"
               ORDER BY (SELECT min(r."issued_at") FROM "reports" r
                         WHERE r."lab_id" = s."lab_id" AND starts_with(r."number", s."report_prefix" || '-'))
                        ASC NULLS LAST,
                        s."updated_at", s."lab_id"
             ) AS rank
      FROM "lab_order_settings" s
    ) ranked
    WHERE ranked.rank > 1
  LOOP
    hex := upper(replace(dup."lab_id"::text, '-', ''));
    n := 4;
    LOOP
      candidate := CASE WHEN n <= 10 THEN 'QI' || substr(hex, 1, n)
                        ELSE 'QI' || upper(substr(md5(random()::text), 1, 10)) END;
      EXIT WHEN NOT EXISTS (SELECT 1 FROM "lab_order_settings" WHERE "report_prefix" = candidate)
            AND NOT EXISTS (SELECT 1 FROM "reports"
                            WHERE "lab_id" <> dup."lab_id" AND starts_with("number", candidate || '-'));
      n := n + 2;
    END LOOP;
    UPDATE "lab_order_settings" SET "report_prefix" = candidate, "updated_at" = now()
    WHERE "lab_id" = dup."lab_id";
  END LOOP;
END $$;
--> statement-breakpoint
CREATE UNIQUE INDEX "lab_order_settings_report_prefix_uq" ON "lab_order_settings" USING btree ("report_prefix");
