/** The bookings module's SQL, by concern (see `repository/`). */
export * from './repository/bookings.ts';
export * from './repository/holds.ts';
export * from './repository/slot-facts.ts';
export * from './repository/series.ts';
export * from './repository/waitlist.ts';
export * from './repository/notices.ts';
export * from './repository/operator.ts';
