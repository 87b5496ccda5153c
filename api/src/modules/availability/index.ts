/** Opening windows, free slots and what occupies an instrument's time. */
export { availabilityRoutes } from './routes.ts';
export { DEFAULT_POLICY } from './booking-policy.ts';
export {
  chinaDayKind,
  chinaScheduleKnown,
  holidayCalendarGeneration,
  DEFAULT_WEEK,
  packageDayKind,
  statutoryHolidays,
  openingWindows,
  withinOpening,
  type WeeklyHours,
  type Window,
} from './calendar.ts';
export { refreshHolidayCalendar } from './holiday-years.ts';
export { EFFECTIVE_HOURS_SQL, policyJson, takesTime } from './repository.ts';
export { parseSpan } from './service.ts';
