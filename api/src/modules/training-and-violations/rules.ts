/**
 * Lab defaults when a lab has no settings row: blocked past 3 violations in 365 days; a person
 * holds at most 2 slots at once on one instrument and 5 across the lab (enough to compare a few
 * times before confirming, too few to keep a competitor off an instrument).
 */
export const DEFAULT_LAB_SETTINGS = {
  violationThreshold: 3,
  violationWindowDays: 365,
  maxHoldsPerInstrument: 2,
  maxHoldsPerLab: 5,
};

/** A user is blocked from self-booking at a lab when counted violations are MORE than the threshold. */
export function isBlocked(count: number, threshold: number): boolean {
  return count > threshold;
}
