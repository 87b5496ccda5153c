-- Extensions the schema relies on; both ship in postgresql-contrib and in embedded-postgres.
-- pg_trgm: catalogue search (trigram GIN index, works for Chinese and English substrings).
-- btree_gist: exclusion constraints over (unit_id, tstzrange) for the booking engine.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gist;
