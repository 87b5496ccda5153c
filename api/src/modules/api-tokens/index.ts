/** Personal API tokens for integrations. */
export { apiTokenRoutes } from './routes.ts';
