/** A lab's opening hours, closures, booking policy and settings. */
export { labSettingsRoutes } from './routes.ts';
