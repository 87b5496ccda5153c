-- Hand-written: a revoked report is no service time (so far every original report counted one). Since
-- revocation reopens an order, the lab issues a new report for the same lines, and counting both
-- would make one service two. So a report counts one service time when it is not revoked and is
-- an original, or the replacement of a revoked report (a replacement drafted before the revocation
-- then carries the service). Revoked and replaced are final states, and a replacement issues only
-- while the report it replaces is issued or revoked, so a report's count does not change after it
-- is issued except by its own revocation: the trigger (now also on status), the rebuild and the
-- statistics' edge days all use this one function. The month a revoked report counted in loses
-- its service time; the new report counts in the month it is issued.
CREATE OR REPLACE FUNCTION stat_report_service_time(r reports) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN r.status = 'revoked' THEN 0
    WHEN r.replaces_report_id IS NULL THEN 1
    WHEN (SELECT p.status FROM reports p WHERE p.id = r.replaces_report_id) = 'revoked' THEN 1
    ELSE 0
  END
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
                              sign * stat_report_service_time(r), sign, 0, 0, 0);
END $$;--> statement-breakpoint
DROP TRIGGER reports_stat_update ON reports;--> statement-breakpoint
CREATE TRIGGER reports_stat_update AFTER UPDATE OF issued_at, replaces_report_id, order_id, line_ids, status ON reports
  FOR EACH ROW WHEN (OLD.issued_at IS NOT NULL OR NEW.issued_at IS NOT NULL) EXECUTE FUNCTION stat_rollup_trigger();--> statement-breakpoint
-- The rebuild from the records (0041 renamed 0040's to this name), with the same rule.
CREATE OR REPLACE FUNCTION stat_rebuild_record_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE stat_enterprise_months, stat_instrument_months IN ACCESS EXCLUSIVE MODE;
  TRUNCATE stat_enterprise_months, stat_instrument_months;
  INSERT INTO stat_enterprise_months (month, enterprise_id, kind, service_times, reports_issued, orders_completed,
                                      list_value_fen, charged_listed_fen)
  SELECT month, ent, kind, sum(st), sum(rep), sum(comp), sum(lv), sum(ch)
    FROM (
      SELECT stat_month(r.issued_at) AS month, o.customer_org_id AS ent,
             stat_report_kind(r) AS kind,
             stat_report_service_time(r) AS st, 1 AS rep, 0 AS comp, 0::bigint AS lv, 0::bigint AS ch
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
END $$;--> statement-breakpoint
SELECT rebuild_statistics_rollups();
