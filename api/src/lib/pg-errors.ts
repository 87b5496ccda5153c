/** PostgreSQL error helpers: map SQLSTATEs to domain errors instead of 500s. */
interface PgError {
  code?: string;
  constraint?: string;
}

function pgError(error: unknown): PgError | undefined {
  let e: unknown = error;
  // drizzle wraps driver errors in `cause`.
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const candidate = e as PgError & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    e = candidate.cause;
  }
  return undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = pgError(error);
  return e?.code === '23505' && (!constraint || e.constraint === constraint);
}

/** A lost race for a booked range: exclusion-constraint violation (23P01) or deadlock (40P01). */
export function isLostRace(error: unknown): boolean {
  const code = pgError(error)?.code;
  return code === '23P01' || code === '40P01';
}

/** A number too large for its column (22003 numeric_value_out_of_range): the request's fault, not ours. */
export function isOutOfRange(error: unknown): boolean {
  return pgError(error)?.code === '22003';
}

/** A rule the database refused by name: check_violation (23514) on `constraint` (a CHECK, or a RAISE naming it). */
export function isCheckViolation(error: unknown, constraint: string): boolean {
  const e = pgError(error);
  return e?.code === '23514' && e.constraint === constraint;
}
