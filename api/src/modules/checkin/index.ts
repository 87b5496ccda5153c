/** Check-in at the instrument: QR labels and the page they open (the check-in itself is the bookings module's). */
export { checkinRoutes } from './routes.ts';
