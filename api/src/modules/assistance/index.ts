/** Assistance requests: an enterprise asks its service officer for help. */
export { assistanceRoutes } from './routes.ts';
