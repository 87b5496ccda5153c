ALTER TABLE "bookings" ADD COLUMN "free_cancellation_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lab_booking_settings" ADD COLUMN "max_holds_per_instrument" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "lab_booking_settings" ADD COLUMN "max_holds_per_lab" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
CREATE INDEX "bookings_hold_expiry_idx" ON "bookings" USING btree ("hold_expires_at") WHERE "bookings"."status" = 'held';--> statement-breakpoint
CREATE INDEX "bookings_user_holds_idx" ON "bookings" USING btree ("user_id","hold_expires_at") WHERE "bookings"."status" = 'held';--> statement-breakpoint
ALTER TABLE "lab_booking_settings" ADD CONSTRAINT "lab_booking_settings_holds" CHECK ("lab_booking_settings"."max_holds_per_instrument" BETWEEN 1 AND 1000 AND "lab_booking_settings"."max_holds_per_lab" BETWEEN "lab_booking_settings"."max_holds_per_instrument" AND 1000);--> statement-breakpoint
-- Hold limits, proven by the database under concurrency (the pattern of ARCHITECTURE decision 1:
-- the service checks first for a clear answer, the database has the last word). Every writer of a
-- hold calls this before its insert. With a person, it takes that person's lock at the lab and
-- then counts their live holds (held, hold_expires_at after p_at; a series counts once, the series
-- being written not at all) in a fresh snapshot: a VOLATILE function's query in READ COMMITTED
-- sees every hold committed before the lock was granted, which the calling statement's own
-- snapshot may not. At a limit it raises check_violation on "bookings_hold_limit" (detail:
-- 'instrument' or 'lab'). Then, with or without a person (waitlist offers, order work and
-- reschedules hold no new slot of their own), it takes the instrument's hold lock — always after
-- the person's, so two writers never wait on each other crosswise.
CREATE FUNCTION booking_hold_lock(
  p_instrument uuid,
  p_lab uuid,
  p_person uuid,
  p_series uuid,
  p_at timestamptz,
  p_per_instrument integer,
  p_per_lab integer
) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  on_instrument integer;
  at_lab integer;
BEGIN
  IF p_person IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('hold-limit:' || p_person::text || ':' || p_lab::text, 0));
    SELECT count(DISTINCT coalesce(b.series_id, b.id)) FILTER (WHERE b.instrument_id = p_instrument),
           count(DISTINCT coalesce(b.series_id, b.id))
      INTO on_instrument, at_lab
      FROM bookings b
     WHERE b.user_id = p_person AND b.lab_id = p_lab AND b.status = 'held' AND b.hold_expires_at > p_at
       AND (p_series IS NULL OR b.series_id IS DISTINCT FROM p_series);
    IF on_instrument >= p_per_instrument OR at_lab >= p_per_lab THEN
      RAISE EXCEPTION 'hold limit reached' USING
        ERRCODE = 'check_violation',
        CONSTRAINT = 'bookings_hold_limit',
        DETAIL = CASE WHEN on_instrument >= p_per_instrument THEN 'instrument' ELSE 'lab' END;
    END IF;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(p_instrument::text, 0));
  RETURN true;
END
$$;
