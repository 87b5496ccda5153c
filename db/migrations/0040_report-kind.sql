-- Hand-written: an order may have several reports, each covering some of its lines (0039), so an
-- issued report counts under the service kind of the first line it covers, no longer under its
-- order's first line (a calibration certificate and a test report of one order are two kinds). A
-- report covering no recorded line keeps its order's first kind. The trigger, the rebuild and the
-- statistics' edge days all use this one function. Reports issued so far cover all their order's
-- lines (0039's backfill), so their kind is unchanged and the rollups need no rebuild.
CREATE OR REPLACE FUNCTION stat_report_kind(r reports) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT ol.kind::text FROM order_lines ol
                   WHERE ol.id = ANY (r.line_ids) AND ol.order_id = r.order_id
                   ORDER BY ol.position LIMIT 1), stat_order_kind(r.order_id))
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION stat_report_apply(r reports, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ent uuid;
BEGIN
  IF r.issued_at IS NULL THEN RETURN; END IF;
  SELECT o.customer_org_id INTO ent FROM orders o WHERE o.id = r.order_id;
  -- Orders are never deleted (their money is in the ledger); a report without one counts nowhere.
  IF ent IS NULL THEN RETURN; END IF;
  PERFORM stat_add_enterprise(stat_month(r.issued_at), ent, stat_report_kind(r),
                              sign * (r.replaces_report_id IS NULL)::int, sign, 0, 0, 0);
END $$;--> statement-breakpoint
DROP TRIGGER reports_stat_update ON reports;--> statement-breakpoint
CREATE TRIGGER reports_stat_update AFTER UPDATE OF issued_at, replaces_report_id, order_id, line_ids ON reports FOR EACH ROW
  WHEN (OLD.issued_at IS NOT NULL OR NEW.issued_at IS NOT NULL) EXECUTE FUNCTION stat_rollup_trigger();--> statement-breakpoint
CREATE OR REPLACE FUNCTION rebuild_statistics_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE stat_enterprise_months, stat_instrument_months IN ACCESS EXCLUSIVE MODE;
  TRUNCATE stat_enterprise_months, stat_instrument_months;
  INSERT INTO stat_enterprise_months (month, enterprise_id, kind, service_times, reports_issued, orders_completed,
                                      list_value_fen, charged_listed_fen)
  SELECT month, ent, kind, sum(st), sum(rep), sum(comp), sum(lv), sum(ch)
    FROM (
      SELECT stat_month(r.issued_at) AS month, o.customer_org_id AS ent,
             stat_report_kind(r) AS kind,
             (r.replaces_report_id IS NULL)::int AS st, 1 AS rep, 0 AS comp, 0::bigint AS lv, 0::bigint AS ch
        FROM reports r JOIN orders o ON o.id = r.order_id
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
END $$;
