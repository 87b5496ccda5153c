/** Calibration records of customers' equipment and recall reminders. */
export { calibrationRoutes } from './routes.ts';
export { calibrationJobHandlers } from './jobs.ts';
export { instrumentsOnCertificate, recordCertificateCalibrations } from './certificate.ts';
