/** Instruments: the catalogue and a lab's own list. */
export { instrumentRoutes } from './routes.ts';
export { instrumentPhotoRoutes } from './photo-routes.ts';
export { catalogueFilters, LabIdParams, LabQualificationOut, SearchPage } from './schema.ts';
export { effectiveSort } from './service.ts';
