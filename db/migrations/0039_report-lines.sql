ALTER TABLE "reports" ADD COLUMN "line_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
-- Reports issued before an order could have several cover every line of their order.
UPDATE reports r SET line_ids = coalesce(
  (SELECT array_agg(ol.id ORDER BY ol.position) FROM order_lines ol
   WHERE ol.order_id = r.order_id AND ol.removed_at IS NULL),
  '{}'::uuid[]);--> statement-breakpoint
-- The backstop of the service's rule (checked there under the order's row lock): a report covers
-- lines of its own order only, and a line is covered by at most one live report (draft, reviewed,
-- issued), a replacement sharing the lines of the report it replaces.
CREATE OR REPLACE FUNCTION reports_lines_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(NEW.line_ids) AS l(id)
             WHERE NOT EXISTS (SELECT 1 FROM order_lines ol WHERE ol.id = l.id AND ol.order_id = NEW.order_id)) THEN
    RAISE EXCEPTION 'report % covers a line of another order', NEW.id USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status IN ('draft', 'reviewed', 'issued') AND EXISTS (
    SELECT 1 FROM reports r
    WHERE r.order_id = NEW.order_id AND r.id <> NEW.id
      AND r.status IN ('draft', 'reviewed', 'issued')
      AND r.line_ids && NEW.line_ids
      AND r.id IS DISTINCT FROM NEW.replaces_report_id
      AND r.replaces_report_id IS DISTINCT FROM NEW.id) THEN
    RAISE EXCEPTION 'a line of report % is covered by another live report', NEW.id USING ERRCODE = 'exclusion_violation';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER reports_lines_once BEFORE INSERT OR UPDATE OF line_ids, status, order_id ON reports
  FOR EACH ROW EXECUTE FUNCTION reports_lines_once();
