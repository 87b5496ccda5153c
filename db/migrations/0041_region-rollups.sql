CREATE TABLE "stat_enterprise_years" (
	"year" integer NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"service_times" integer[] DEFAULT '{0,0,0,0,0,0,0,0,0,0,0,0}' NOT NULL,
	CONSTRAINT "stat_enterprise_years_year_enterprise_id_pk" PRIMARY KEY("year","enterprise_id")
);
--> statement-breakpoint
CREATE TABLE "stat_region_months" (
	"month" date NOT NULL,
	"region_code" text NOT NULL,
	"kind" text NOT NULL,
	"service_times" integer DEFAULT 0 NOT NULL,
	"reports_issued" integer DEFAULT 0 NOT NULL,
	"orders_completed" integer DEFAULT 0 NOT NULL,
	"list_value_fen" bigint DEFAULT 0 NOT NULL,
	"charged_listed_fen" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_region_months_month_region_code_kind_pk" PRIMARY KEY("month","region_code","kind")
);
--> statement-breakpoint
-- Hand-written: two rollups derived from stat_enterprise_months, kept by the function every change
-- to it goes through, so the statistics of a province's year read a few thousand rows instead of
-- ≈ 150,000 (a p99 over a second at 4 clients): the sums by where the enterprises are registered
-- (stat_region_months) and each customer's service times per month of a year (stat_enterprise_years,
-- for the enterprises served). Both are additive (x = x + delta), so concurrent writers cannot lose
-- each other's counts.
CREATE OR REPLACE FUNCTION stat_add_enterprise(m date, ent uuid, k text, st integer, rep integer, comp integer,
                                               lv bigint, ch bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  region text;
  mon integer := extract(month FROM m)::int;
  months integer[] := array_fill(0, ARRAY[12]);
BEGIN
  -- The enterprise's region as it is now, read first. FOR SHARE waits for a move of the enterprise that is under
  -- way (its trigger below moves the sums committed before it), and holds off a move until this
  -- transaction ends: a count is never left behind in the old region (and, taken before any rollup
  -- row, it cannot deadlock with the move).
  SELECT o.region_code INTO region FROM organisations o WHERE o.id = ent AND o.kind = 'enterprise' FOR SHARE;
  INSERT INTO stat_enterprise_months AS x (month, enterprise_id, kind, service_times, reports_issued, orders_completed,
                                           list_value_fen, charged_listed_fen)
  VALUES (m, ent, k, st, rep, comp, lv, ch)
  ON CONFLICT (month, enterprise_id, kind) DO UPDATE SET
    service_times = x.service_times + excluded.service_times,
    reports_issued = x.reports_issued + excluded.reports_issued,
    orders_completed = x.orders_completed + excluded.orders_completed,
    list_value_fen = x.list_value_fen + excluded.list_value_fen,
    charged_listed_fen = x.charged_listed_fen + excluded.charged_listed_fen;
  IF st <> 0 THEN
    months[mon] := st;
    INSERT INTO stat_enterprise_years AS y (year, enterprise_id, service_times)
    VALUES (extract(year FROM m)::int, ent, months)
    ON CONFLICT (year, enterprise_id) DO UPDATE SET service_times[mon] = y.service_times[mon] + st;
  END IF;
  IF region IS NOT NULL THEN
    INSERT INTO stat_region_months AS x (month, region_code, kind, service_times, reports_issued, orders_completed,
                                         list_value_fen, charged_listed_fen)
    VALUES (m, region, k, st, rep, comp, lv, ch)
    ON CONFLICT (month, region_code, kind) DO UPDATE SET
      service_times = x.service_times + excluded.service_times,
      reports_issued = x.reports_issued + excluded.reports_issued,
      orders_completed = x.orders_completed + excluded.orders_completed,
      list_value_fen = x.list_value_fen + excluded.list_value_fen,
      charged_listed_fen = x.charged_listed_fen + excluded.charged_listed_fen;
  END IF;
END $$;--> statement-breakpoint
-- An enterprise's sums under the region it counts in (sign -1 takes them out, +1 puts them in).
CREATE OR REPLACE FUNCTION stat_region_move(ent uuid, region text, sign integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_region_months AS x (month, region_code, kind, service_times, reports_issued, orders_completed,
                                       list_value_fen, charged_listed_fen)
  SELECT m.month, region, m.kind, sign * m.service_times, sign * m.reports_issued, sign * m.orders_completed,
         sign * m.list_value_fen, sign * m.charged_listed_fen
    FROM stat_enterprise_months m WHERE m.enterprise_id = ent
  ON CONFLICT (month, region_code, kind) DO UPDATE SET
    service_times = x.service_times + excluded.service_times,
    reports_issued = x.reports_issued + excluded.reports_issued,
    orders_completed = x.orders_completed + excluded.orders_completed,
    list_value_fen = x.list_value_fen + excluded.list_value_fen,
    charged_listed_fen = x.charged_listed_fen + excluded.charged_listed_fen
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_organisation_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.kind = 'enterprise' AND OLD.region_code IS NOT NULL THEN
    PERFORM stat_region_move(OLD.id, OLD.region_code, -1);
  END IF;
  IF NEW.kind = 'enterprise' AND NEW.region_code IS NOT NULL THEN
    PERFORM stat_region_move(NEW.id, NEW.region_code, 1);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER organisations_stat_moved AFTER UPDATE OF region_code, kind ON organisations FOR EACH ROW
  WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code OR OLD.kind IS DISTINCT FROM NEW.kind)
  EXECUTE FUNCTION stat_organisation_moved();--> statement-breakpoint
-- The rebuild: the per-enterprise and instrument rollups from the records as before (0040's body,
-- kept under another name), then the two derived ones from them.
ALTER FUNCTION rebuild_statistics_rollups() RENAME TO stat_rebuild_record_rollups;--> statement-breakpoint
CREATE OR REPLACE FUNCTION rebuild_statistics_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE stat_enterprise_months, stat_instrument_months, stat_region_months, stat_enterprise_years
    IN ACCESS EXCLUSIVE MODE;
  PERFORM stat_rebuild_record_rollups();
  TRUNCATE stat_region_months, stat_enterprise_years;
  INSERT INTO stat_region_months (month, region_code, kind, service_times, reports_issued, orders_completed,
                                  list_value_fen, charged_listed_fen)
  SELECT m.month, o.region_code, m.kind, sum(m.service_times), sum(m.reports_issued), sum(m.orders_completed),
         sum(m.list_value_fen), sum(m.charged_listed_fen)
    FROM stat_enterprise_months m
    JOIN organisations o ON o.id = m.enterprise_id AND o.kind = 'enterprise' AND o.region_code IS NOT NULL
   GROUP BY m.month, o.region_code, m.kind;
  INSERT INTO stat_enterprise_years (year, enterprise_id, service_times)
  SELECT y.year, y.enterprise_id, array_agg(coalesce(s.st, 0)::int ORDER BY g.mon)
    FROM (SELECT DISTINCT extract(year FROM month)::int AS year, enterprise_id
            FROM stat_enterprise_months WHERE service_times <> 0) y
   CROSS JOIN generate_series(1, 12) AS g(mon)
    LEFT JOIN (SELECT extract(year FROM month)::int AS year, extract(month FROM month)::int AS mon, enterprise_id,
                      sum(service_times) AS st
                 FROM stat_enterprise_months GROUP BY 1, 2, 3) s
      ON s.year = y.year AND s.mon = g.mon AND s.enterprise_id = y.enterprise_id
   GROUP BY y.year, y.enterprise_id;
END $$;--> statement-breakpoint
SELECT rebuild_statistics_rollups();
