/** Sign-in, sessions and the actor behind a request. */
export { authRoutes } from './routes.ts';
export { isPlatformOperator, resolveActor } from './service.ts';
export { API_TOKEN_PREFIX, hashSecret, newSecret, SESSION_COOKIE, SESSION_PREFIX } from './tokens.ts';
