-- No double booking, proven by the database (ARCHITECTURE decision 1): two active bookings can
-- never occupy overlapping time on the same instrument unit, whatever path writes them.
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
  EXCLUDE USING gist (unit_id WITH =, occupied WITH &&)
  WHERE (status IN ('held', 'pending_approval', 'confirmed', 'in_use'));
--> statement-breakpoint
-- The occupied range must cover the booked time (buffers only widen it).
ALTER TABLE bookings ADD CONSTRAINT bookings_occupied_covers
  CHECK (lower(occupied) <= starts_at AND upper(occupied) >= ends_at AND NOT isempty(occupied));
