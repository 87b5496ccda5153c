/** Labs and their qualifications. */
export { labRoutes } from './routes.ts';
export { findLab, qualificationsOf } from './repository.ts';
export { labJobHandlers } from './jobs.ts';
export { acceptInvitations } from './members.ts';
/** Checking and storing a certificate scan, for the admission application's certificates. */
export { CERTIFICATE_MAX_BYTES, removeScan, scanOnDisk, storeCertificateScan } from './certificate-scan.ts';
export { ScanDownload, sendScan } from './scan-download.ts';
