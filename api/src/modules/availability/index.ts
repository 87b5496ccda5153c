/** Opening windows, free slots and what occupies an instrument's time. */
export { availabilityRoutes } from './routes.ts';
export { DEFAULT_POLICY } from './booking-policy.ts';
export {
  chinaDayKind,
  chinaScheduleKnown,
  DEFAULT_WEEK,
  packageDayKind,
  setHolidayOverrides,
  statutoryHolidays,
  type HolidayOverride,
  openingWindows,
  withinOpening,
  type WeeklyHours,
  type Window,
} from './calendar.ts';
export { EFFECTIVE_HOURS_SQL, policyJson, takesTime } from './repository.ts';
export { parseSpan } from './service.ts';
