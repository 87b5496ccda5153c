/** Typical cases (典型案例) of the programme's 附件1. */
export { caseRoutes } from './routes.ts';
