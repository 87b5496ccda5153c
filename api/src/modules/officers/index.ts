/** Service officers (服务专员) named for enterprises, and the enterprises they serve. */
export { officerRoutes } from './routes.ts';
export { findEnterprise, isAdminOver } from './service.ts';
export { officerOf } from './repository.ts';
