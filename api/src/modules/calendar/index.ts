/** Calendar feeds (iCalendar) of bookings. */
export { calendarRoutes } from './routes.ts';
