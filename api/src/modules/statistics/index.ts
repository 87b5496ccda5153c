/** The programme's statistics (附件2), computed from the records for a platform admin's region. */
export { statisticsRoutes } from './routes.ts';
export { statistics, regionInScope, rebuildStatisticsRollups, type Figures, type Statistics } from './service.ts';
