/** Calendar feeds (iCalendar) of bookings. */
export { calendarRoutes } from './routes.ts';
export { CALENDAR_STATUS } from './service.ts';
