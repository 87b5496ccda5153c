CREATE TABLE "order_efficiency_facts" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"lab_id" uuid NOT NULL,
	"status" "order_status" NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"first_quoted_at" timestamp with time zone,
	"clock_started_date" date,
	"report_issued_at" timestamp with time zone,
	"report_issued_date" date,
	"on_time" boolean,
	"retest_count" integer DEFAULT 0 NOT NULL,
	"upheld_objections" integer DEFAULT 0 NOT NULL,
	"kind" text,
	"rating_score" smallint,
	"rated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "order_efficiency_facts" ADD CONSTRAINT "order_efficiency_facts_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_efficiency_facts_requested_idx" ON "order_efficiency_facts" USING btree ("requested_at");--> statement-breakpoint
CREATE INDEX "order_efficiency_facts_issued_idx" ON "order_efficiency_facts" USING btree ("report_issued_at");--> statement-breakpoint
CREATE INDEX "order_efficiency_facts_rated_idx" ON "order_efficiency_facts" USING btree ("rated_at");--> statement-breakpoint
CREATE INDEX "order_efficiency_facts_lab_idx" ON "order_efficiency_facts" USING btree ("lab_id");--> statement-breakpoint
-- Hand-written: the efficiency facts are kept in the same transaction as the change they sum up, and
-- rebuilt from the records on demand. One view says what an order's facts are; the triggers refresh
-- the row of the order a change touches from it and the rebuild copies it whole, so the two cannot
-- disagree. China dates are Asia/Shanghai, as the evaluation's are.
CREATE OR REPLACE VIEW order_efficiency_source AS
SELECT o.id AS order_id, o.lab_id, o.status, o.created_at AS requested_at,
       -- LEAST ignores nulls: the quote stamp, or an earlier first quote on the timeline (re-quoted since).
       LEAST((SELECT min(e.at) FROM order_events e WHERE e.order_id = o.id AND e.action = 'order.quoted'),
             o.quoted_at) AS first_quoted_at,
       (o.clock_started_at AT TIME ZONE 'Asia/Shanghai')::date AS clock_started_date,
       o.report_issued_at,
       (o.report_issued_at AT TIME ZONE 'Asia/Shanghai')::date AS report_issued_date,
       o.on_time, o.retest_count,
       (SELECT count(*) FROM order_objections ob WHERE ob.order_id = o.id AND ob.status = 'upheld')::int
         AS upheld_objections,
       (SELECT ln.kind::text FROM order_lines ln WHERE ln.order_id = o.id
         ORDER BY (ln.removed_at IS NOT NULL), ln.position LIMIT 1) AS kind,
       r.score::smallint AS rating_score, r.rated_at
  FROM orders o
  LEFT JOIN order_ratings r ON r.order_id = o.id;--> statement-breakpoint
CREATE OR REPLACE FUNCTION refresh_order_efficiency_fact(p_order uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_order IS NULL THEN RETURN; END IF;
  INSERT INTO order_efficiency_facts AS f
  SELECT * FROM order_efficiency_source s WHERE s.order_id = p_order
  ON CONFLICT (order_id) DO UPDATE SET
    lab_id = excluded.lab_id, status = excluded.status, requested_at = excluded.requested_at,
    first_quoted_at = excluded.first_quoted_at, clock_started_date = excluded.clock_started_date,
    report_issued_at = excluded.report_issued_at, report_issued_date = excluded.report_issued_date,
    on_time = excluded.on_time, retest_count = excluded.retest_count,
    upheld_objections = excluded.upheld_objections, kind = excluded.kind,
    rating_score = excluded.rating_score, rated_at = excluded.rated_at;
  IF NOT FOUND THEN DELETE FROM order_efficiency_facts WHERE order_id = p_order; END IF;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION order_efficiency_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'orders' THEN
    PERFORM refresh_order_efficiency_fact(NEW.id);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM refresh_order_efficiency_fact(OLD.order_id); END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.order_id IS DISTINCT FROM OLD.order_id) THEN
    PERFORM refresh_order_efficiency_fact(NEW.order_id);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Orders: every new one, and updates of what the facts hold (deletes cascade).
CREATE TRIGGER orders_efficiency_insert AFTER INSERT ON orders
  FOR EACH ROW EXECUTE FUNCTION order_efficiency_trigger();--> statement-breakpoint
CREATE TRIGGER orders_efficiency_update AFTER UPDATE ON orders FOR EACH ROW
  WHEN ((OLD.lab_id, OLD.status, OLD.created_at, OLD.quoted_at, OLD.clock_started_at, OLD.report_issued_at,
         OLD.on_time, OLD.retest_count)
        IS DISTINCT FROM (NEW.lab_id, NEW.status, NEW.created_at, NEW.quoted_at, NEW.clock_started_at,
         NEW.report_issued_at, NEW.on_time, NEW.retest_count))
  EXECUTE FUNCTION order_efficiency_trigger();--> statement-breakpoint
-- The timeline: only quotes count (most events are something else).
CREATE TRIGGER order_events_efficiency_insert AFTER INSERT ON order_events FOR EACH ROW
  WHEN (NEW.action = 'order.quoted') EXECUTE FUNCTION order_efficiency_trigger();--> statement-breakpoint
CREATE TRIGGER order_events_efficiency_update AFTER UPDATE ON order_events FOR EACH ROW
  WHEN ((OLD.action = 'order.quoted' OR NEW.action = 'order.quoted')
        AND (OLD.order_id, OLD.action, OLD.at) IS DISTINCT FROM (NEW.order_id, NEW.action, NEW.at))
  EXECUTE FUNCTION order_efficiency_trigger();--> statement-breakpoint
CREATE TRIGGER order_events_efficiency_delete AFTER DELETE ON order_events FOR EACH ROW
  WHEN (OLD.action = 'order.quoted') EXECUTE FUNCTION order_efficiency_trigger();--> statement-breakpoint
-- Lines: the first one's kind.
CREATE TRIGGER order_lines_efficiency_insert AFTER INSERT OR DELETE ON order_lines
  FOR EACH ROW EXECUTE FUNCTION order_efficiency_trigger();--> statement-breakpoint
CREATE TRIGGER order_lines_efficiency_update AFTER UPDATE ON order_lines FOR EACH ROW
  WHEN ((OLD.order_id, OLD.kind, OLD.position, OLD.removed_at IS NULL)
        IS DISTINCT FROM (NEW.order_id, NEW.kind, NEW.position, NEW.removed_at IS NULL))
  EXECUTE FUNCTION order_efficiency_trigger();--> statement-breakpoint
-- Objections: the upheld ones.
CREATE TRIGGER order_objections_efficiency_insert AFTER INSERT OR DELETE ON order_objections
  FOR EACH ROW EXECUTE FUNCTION order_efficiency_trigger();--> statement-breakpoint
CREATE TRIGGER order_objections_efficiency_update AFTER UPDATE ON order_objections FOR EACH ROW
  WHEN ((OLD.order_id, OLD.status) IS DISTINCT FROM (NEW.order_id, NEW.status))
  EXECUTE FUNCTION order_efficiency_trigger();--> statement-breakpoint
-- Ratings.
CREATE TRIGGER order_ratings_efficiency AFTER INSERT OR UPDATE OR DELETE ON order_ratings
  FOR EACH ROW EXECUTE FUNCTION order_efficiency_trigger();--> statement-breakpoint
-- The rebuild: every order's facts from the records (after a bulk load with the triggers off, or to
-- check them); returns the rows written.
CREATE OR REPLACE FUNCTION rebuild_order_efficiency_facts() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  LOCK TABLE order_efficiency_facts IN EXCLUSIVE MODE;
  DELETE FROM order_efficiency_facts;
  INSERT INTO order_efficiency_facts SELECT * FROM order_efficiency_source;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;--> statement-breakpoint
SELECT rebuild_order_efficiency_facts();
