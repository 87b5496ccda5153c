CREATE TABLE "stat_enterprise_months" (
	"month" date NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"service_times" integer DEFAULT 0 NOT NULL,
	"reports_issued" integer DEFAULT 0 NOT NULL,
	"orders_completed" integer DEFAULT 0 NOT NULL,
	"list_value_fen" bigint DEFAULT 0 NOT NULL,
	"charged_listed_fen" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_enterprise_months_month_enterprise_id_kind_pk" PRIMARY KEY("month","enterprise_id","kind")
);
--> statement-breakpoint
CREATE TABLE "stat_instrument_months" (
	"month" date NOT NULL,
	"instrument_id" uuid NOT NULL,
	"lab_id" uuid NOT NULL,
	"machine_seconds" numeric DEFAULT 0 NOT NULL,
	"external_seconds" numeric DEFAULT 0 NOT NULL,
	"external_uses" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_instrument_months_month_instrument_id_lab_id_pk" PRIMARY KEY("month","instrument_id","lab_id")
);
--> statement-breakpoint
-- Hand-written: the triggers that keep the statistics rollups in the same transaction as the change
-- they count, and the rebuild. Each source row contributes through one function (used with sign +1
-- for the new row and -1 for the old one), and the rebuild sums the same contributions, so the two
-- cannot disagree on what counts. Months are China months (Asia/Shanghai), as the figures are.
CREATE OR REPLACE FUNCTION stat_month(at timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT date_trunc('month', at AT TIME ZONE 'Asia/Shanghai')::date
$$;--> statement-breakpoint
-- The service kind of an order's reports: its first line that is not withdrawn, or commissioned testing.
CREATE OR REPLACE FUNCTION stat_order_kind(order_id uuid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT ol.kind::text FROM order_lines ol
                   WHERE ol.order_id = stat_order_kind.order_id AND ol.removed_at IS NULL
                   ORDER BY ol.position LIMIT 1), 'commissioned_test')
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_add_enterprise(m date, ent uuid, k text, st integer, rep integer, comp integer,
                                               lv bigint, ch bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_enterprise_months AS x (month, enterprise_id, kind, service_times, reports_issued, orders_completed,
                                           list_value_fen, charged_listed_fen)
  VALUES (m, ent, k, st, rep, comp, lv, ch)
  ON CONFLICT (month, enterprise_id, kind) DO UPDATE SET
    service_times = x.service_times + excluded.service_times,
    reports_issued = x.reports_issued + excluded.reports_issued,
    orders_completed = x.orders_completed + excluded.orders_completed,
    list_value_fen = x.list_value_fen + excluded.list_value_fen,
    charged_listed_fen = x.charged_listed_fen + excluded.charged_listed_fen
$$;--> statement-breakpoint
-- A checked-out booking: a customer's own booking (not order work) is one service time of instrument
-- time with its list-price value; every one is machine time of its instrument, external when the
-- customer is another organisation than the lab.
CREATE OR REPLACE FUNCTION stat_booking_apply(b bookings, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  rate integer;
  secs numeric;
BEGIN
  IF b.status <> 'completed' OR b.actual_end IS NULL THEN RETURN; END IF;
  IF b.order_id IS NULL THEN
    SELECT i.external_rate_hour INTO rate FROM instruments i WHERE i.id = b.instrument_id;
    IF rate IS NULL OR b.billable_minutes IS NULL OR b.billed_amount IS NULL THEN
      PERFORM stat_add_enterprise(stat_month(b.actual_end), b.customer_org_id, 'instrument_time', sign, 0, 0, 0, 0);
    ELSE
      PERFORM stat_add_enterprise(stat_month(b.actual_end), b.customer_org_id, 'instrument_time', sign, 0, 0,
                                  sign * round(rate::numeric * b.billable_minutes / 60)::bigint,
                                  sign * b.billed_amount::bigint);
    END IF;
  END IF;
  IF b.actual_start IS NOT NULL THEN
    secs := extract(epoch FROM b.actual_end - b.actual_start);
    INSERT INTO stat_instrument_months AS x (month, instrument_id, lab_id, machine_seconds, external_seconds, external_uses)
    VALUES (stat_month(b.actual_end), b.instrument_id, b.lab_id, sign * secs,
            CASE WHEN b.customer_org_id <> b.lab_id THEN sign * secs ELSE 0 END,
            CASE WHEN b.customer_org_id <> b.lab_id THEN sign ELSE 0 END)
    ON CONFLICT (month, instrument_id, lab_id) DO UPDATE SET
      machine_seconds = x.machine_seconds + excluded.machine_seconds,
      external_seconds = x.external_seconds + excluded.external_seconds,
      external_uses = x.external_uses + excluded.external_uses;
  END IF;
END $$;--> statement-breakpoint
-- An issued report: one report of its order's customer, and one service time when it is an original.
CREATE OR REPLACE FUNCTION stat_report_apply(r reports, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ent uuid;
BEGIN
  IF r.issued_at IS NULL THEN RETURN; END IF;
  SELECT o.customer_org_id INTO ent FROM orders o WHERE o.id = r.order_id;
  -- Orders are never deleted (their money is in the ledger); a report without one counts nowhere.
  IF ent IS NULL THEN RETURN; END IF;
  PERFORM stat_add_enterprise(stat_month(r.issued_at), ent, stat_order_kind(r.order_id),
                              sign * (r.replaces_report_id IS NULL)::int, sign, 0, 0, 0);
END $$;--> statement-breakpoint
-- An order completed (its first report issued), with the list-price value of its catalogue lines.
CREATE OR REPLACE FUNCTION stat_order_apply(o orders, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  lv bigint;
  ch bigint;
BEGIN
  IF o.report_issued_at IS NULL THEN RETURN; END IF;
  SELECT sum(s.price_amount::bigint * ol.quantity), sum(ol.amount_fen)::bigint INTO lv, ch
    FROM order_lines ol JOIN services s ON s.id = ol.service_id
   WHERE ol.order_id = o.id AND ol.removed_at IS NULL AND s.price_amount IS NOT NULL
     AND s.price_model <> 'on_quote' AND ol.amount_fen IS NOT NULL;
  PERFORM stat_add_enterprise(stat_month(o.report_issued_at), o.customer_org_id, '', 0, 0, sign,
                              sign * coalesce(lv, 0), sign * coalesce(ch, 0));
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    CASE TG_TABLE_NAME
      WHEN 'bookings' THEN PERFORM stat_booking_apply(OLD, -1);
      WHEN 'reports' THEN PERFORM stat_report_apply(OLD, -1);
      ELSE PERFORM stat_order_apply(OLD, -1);
    END CASE;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    CASE TG_TABLE_NAME
      WHEN 'bookings' THEN PERFORM stat_booking_apply(NEW, 1);
      WHEN 'reports' THEN PERFORM stat_report_apply(NEW, 1);
      ELSE PERFORM stat_order_apply(NEW, 1);
    END CASE;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER bookings_stat_insert AFTER INSERT ON bookings FOR EACH ROW
  WHEN (NEW.status = 'completed') EXECUTE FUNCTION stat_rollup_trigger();--> statement-breakpoint
CREATE TRIGGER bookings_stat_update AFTER UPDATE OF status, actual_start, actual_end, order_id, customer_org_id, lab_id,
  instrument_id, billable_minutes, billed_amount ON bookings FOR EACH ROW
  WHEN (OLD.status = 'completed' OR NEW.status = 'completed') EXECUTE FUNCTION stat_rollup_trigger();--> statement-breakpoint
CREATE TRIGGER bookings_stat_delete AFTER DELETE ON bookings FOR EACH ROW
  WHEN (OLD.status = 'completed') EXECUTE FUNCTION stat_rollup_trigger();--> statement-breakpoint
CREATE TRIGGER reports_stat_insert AFTER INSERT ON reports FOR EACH ROW
  WHEN (NEW.issued_at IS NOT NULL) EXECUTE FUNCTION stat_rollup_trigger();--> statement-breakpoint
CREATE TRIGGER reports_stat_update AFTER UPDATE OF issued_at, replaces_report_id, order_id ON reports FOR EACH ROW
  WHEN (OLD.issued_at IS NOT NULL OR NEW.issued_at IS NOT NULL) EXECUTE FUNCTION stat_rollup_trigger();--> statement-breakpoint
CREATE TRIGGER reports_stat_delete AFTER DELETE ON reports FOR EACH ROW
  WHEN (OLD.issued_at IS NOT NULL) EXECUTE FUNCTION stat_rollup_trigger();--> statement-breakpoint
CREATE TRIGGER orders_stat_insert AFTER INSERT ON orders FOR EACH ROW
  WHEN (NEW.report_issued_at IS NOT NULL) EXECUTE FUNCTION stat_rollup_trigger();--> statement-breakpoint
CREATE TRIGGER orders_stat_update AFTER UPDATE OF report_issued_at, customer_org_id ON orders FOR EACH ROW
  WHEN (OLD.report_issued_at IS NOT NULL OR NEW.report_issued_at IS NOT NULL) EXECUTE FUNCTION stat_rollup_trigger();--> statement-breakpoint
CREATE TRIGGER orders_stat_delete AFTER DELETE ON orders FOR EACH ROW
  WHEN (OLD.report_issued_at IS NOT NULL) EXECUTE FUNCTION stat_rollup_trigger();--> statement-breakpoint
-- The rollups again from the records, set-based, in one transaction (writers wait for it): after a
-- bulk load with the triggers off, or when a catalogue price behind a list value changed.
CREATE OR REPLACE FUNCTION rebuild_statistics_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE stat_enterprise_months, stat_instrument_months IN ACCESS EXCLUSIVE MODE;
  TRUNCATE stat_enterprise_months, stat_instrument_months;
  INSERT INTO stat_enterprise_months (month, enterprise_id, kind, service_times, reports_issued, orders_completed,
                                      list_value_fen, charged_listed_fen)
  SELECT month, ent, kind, sum(st), sum(rep), sum(comp), sum(lv), sum(ch)
    FROM (
      SELECT stat_month(r.issued_at) AS month, o.customer_org_id AS ent,
             coalesce(fk.kind, 'commissioned_test') AS kind,
             (r.replaces_report_id IS NULL)::int AS st, 1 AS rep, 0 AS comp, 0::bigint AS lv, 0::bigint AS ch
        FROM reports r JOIN orders o ON o.id = r.order_id
        LEFT JOIN (SELECT DISTINCT ON (ol.order_id) ol.order_id, ol.kind::text AS kind FROM order_lines ol
                    WHERE ol.removed_at IS NULL ORDER BY ol.order_id, ol.position) fk ON fk.order_id = o.id
       WHERE r.issued_at IS NOT NULL
      UNION ALL
      SELECT stat_month(o.report_issued_at), o.customer_org_id, '', 0, 0, 1, coalesce(l.lv, 0), coalesce(l.ch, 0)
        FROM orders o
        LEFT JOIN (SELECT ol.order_id, sum(s.price_amount::bigint * ol.quantity)::bigint AS lv, sum(ol.amount_fen)::bigint AS ch
                     FROM order_lines ol JOIN services s ON s.id = ol.service_id
                    WHERE ol.removed_at IS NULL AND s.price_amount IS NOT NULL AND s.price_model <> 'on_quote'
                      AND ol.amount_fen IS NOT NULL
                    GROUP BY ol.order_id) l ON l.order_id = o.id
       WHERE o.report_issued_at IS NOT NULL
      UNION ALL
      SELECT stat_month(b.actual_end), b.customer_org_id, 'instrument_time', 1, 0, 0,
             CASE WHEN i.external_rate_hour IS NOT NULL AND b.billable_minutes IS NOT NULL AND b.billed_amount IS NOT NULL
                  THEN round(i.external_rate_hour::numeric * b.billable_minutes / 60)::bigint ELSE 0 END,
             CASE WHEN i.external_rate_hour IS NOT NULL AND b.billable_minutes IS NOT NULL AND b.billed_amount IS NOT NULL
                  THEN b.billed_amount::bigint ELSE 0 END
        FROM bookings b JOIN instruments i ON i.id = b.instrument_id
       WHERE b.status = 'completed' AND b.actual_end IS NOT NULL AND b.order_id IS NULL
    ) c
   GROUP BY month, ent, kind;
  INSERT INTO stat_instrument_months (month, instrument_id, lab_id, machine_seconds, external_seconds, external_uses)
  SELECT stat_month(b.actual_end), b.instrument_id, b.lab_id, sum(extract(epoch FROM b.actual_end - b.actual_start)),
         coalesce(sum(extract(epoch FROM b.actual_end - b.actual_start)) FILTER (WHERE b.customer_org_id <> b.lab_id), 0),
         count(*) FILTER (WHERE b.customer_org_id <> b.lab_id)
    FROM bookings b
   WHERE b.status = 'completed' AND b.actual_end IS NOT NULL AND b.actual_start IS NOT NULL
   GROUP BY 1, 2, 3;
END $$;--> statement-breakpoint
SELECT rebuild_statistics_rollups();
